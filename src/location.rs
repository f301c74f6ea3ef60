//! Source locations shared by every phase: a file relative to the workspace
//! root and a 1-based line/column range (columns in characters), plus the byte
//! range that miette needs to draw a snippet.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Where something sits in a file of the workspace. Ordered by file,
/// then position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// Path relative to the workspace root, with `/` separators; shared by
    /// every location in the file.
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// Byte range in the file, for snippets.
    pub byte_start: u32,
    pub byte_end: u32,
}

impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Sorting compares locations of one file far more often than of
        // two, and those share the file's string: its bytes are not read.
        let file = if Arc::ptr_eq(&self.file, &other.file) {
            std::cmp::Ordering::Equal
        } else {
            self.file.cmp(&other.file)
        };
        file.then_with(|| self.position().cmp(&other.position()))
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Location {
    /// Everything but the file, in the order locations sort by.
    fn position(&self) -> [u32; 6] {
        [
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.byte_start,
            self.byte_end,
        ]
    }

    pub fn bytes(&self) -> Range<usize> {
        self.byte_start as usize..self.byte_end as usize
    }

    /// Line, column, end line and end column, for counting and indexing.
    pub fn lines_and_columns(&self) -> [usize; 4] {
        [self.line, self.column, self.end_line, self.end_column].map(|n| n as usize)
    }

    /// Builds a location from a byte range of `text`. For many locations in
    /// one file, build a [`LineIndex`] once instead.
    pub fn from_bytes(file: impl Into<Arc<str>>, text: &str, bytes: Range<usize>) -> Location {
        LineIndex::new(text).location(file, bytes)
    }
}

/// A place in a file that is not at hand: its byte range and the line and
/// column range it was found at, computed once while the text was read,
/// so the text can go. Source files are at most 16 MiB: `u32` holds any
/// offset in them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    byte_start: u32,
    byte_end: u32,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl Span {
    pub fn bytes(&self) -> Range<usize> {
        self.byte_start as usize..self.byte_end as usize
    }

    /// This span in `file`.
    pub fn located(&self, file: Arc<str>) -> Location {
        Location {
            file,
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
            byte_start: self.byte_start,
            byte_end: self.byte_end,
        }
    }
}

/// Line starts of one file, to turn byte offsets into lines and columns
/// without rescanning the text for each one.
pub struct LineIndex<'a> {
    text: &'a str,
    table: LineTable,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            table: LineTable::new(text),
        }
    }

    pub fn location(&self, file: impl Into<Arc<str>>, bytes: Range<usize>) -> Location {
        self.table.location(self.text, file, bytes)
    }

    /// The span from `start` to `end`, each a 1-based line and a 0-based
    /// column in characters (as the parser counts them), found without
    /// searching: `None` where the text is not all ASCII (a column is then
    /// not a byte distance), a position is not in the text or `end` comes
    /// before `start`.
    pub fn span_between(&self, start: (usize, usize), end: (usize, usize)) -> Option<Span> {
        if !self.table.checkpoints.is_empty() {
            return None;
        }
        let offset = |(line, column): (usize, usize)| {
            let line_start = *self.table.line_starts.get(line.checked_sub(1)?)?;
            // The line's newline belongs to it; the next line's start does not.
            let line_end =
                (self.table.line_starts.get(line)).map_or(self.text.len(), |next| next - 1);
            let offset = line_start + column;
            (offset <= line_end).then_some(offset)
        };
        let (byte_start, byte_end) = (offset(start)?, offset(end)?);
        if byte_end < byte_start {
            return None;
        }
        let narrow = |n: usize| u32::try_from(n).ok();
        Some(Span {
            byte_start: narrow(byte_start)?,
            byte_end: narrow(byte_end)?,
            line: narrow(start.0)?,
            column: narrow(start.1 + 1)?,
            end_line: narrow(end.0)?,
            end_column: narrow(end.1 + 1)?,
        })
    }

    /// The span of `bytes`, kept without the text.
    pub fn span(&self, bytes: Range<usize>) -> Span {
        let (line, column) = self.table.line_column(self.text, bytes.start);
        let (end_line, end_column) = self.table.line_column(self.text, bytes.end);
        Span {
            byte_start: narrow(bytes.start),
            byte_end: narrow(bytes.end),
            line: narrow(line),
            column: narrow(column),
            end_line: narrow(end_line),
            end_column: narrow(end_column),
        }
    }
}

/// What [`LineIndex`] knows about its text: every location in it costs
/// O(log n), however long its lines (one 2 MB line of code is a real
/// input).
#[derive(Debug, Clone, Default)]
struct LineTable {
    line_starts: Vec<usize>,
    /// For a text that is not all ASCII: how many characters start before
    /// each multiple of [`CHECKPOINT`] bytes. Empty for ASCII, where a
    /// column is a byte distance.
    checkpoints: Vec<usize>,
}

/// Bytes between two character-count checkpoints: a column costs at most
/// this many bytes of counting.
const CHECKPOINT: usize = 256;

impl LineTable {
    fn new(text: &str) -> LineTable {
        // Room for lines of about 32 bytes, code's usual: seldom grown.
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(newline_ends(text));
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut count = 0;
            let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
            for chunk in text.as_bytes().chunks(CHECKPOINT) {
                checkpoints.push(count);
                count += char_starts(chunk);
            }
            // The end of a text whose length is a multiple of CHECKPOINT.
            checkpoints.push(count);
            checkpoints
        };
        LineTable {
            line_starts,
            checkpoints,
        }
    }

    /// The location of `bytes` in `text`, the text this table was built
    /// from.
    fn location(&self, text: &str, file: impl Into<Arc<str>>, bytes: Range<usize>) -> Location {
        let (line, column) = self.line_column(text, bytes.start);
        let (end_line, end_column) = self.line_column(text, bytes.end);
        Location {
            file: file.into(),
            line: narrow(line),
            column: narrow(column),
            end_line: narrow(end_line),
            end_column: narrow(end_column),
            byte_start: narrow(bytes.start),
            byte_end: narrow(bytes.end),
        }
    }

    /// 1-based line and character column of a byte offset.
    fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = if self.checkpoints.is_empty() {
            offset - line_start
        } else {
            self.chars_before(text, offset) - self.chars_before(text, line_start)
        };
        (line, column + 1)
    }

    /// How many characters start before byte `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let checkpoint = offset / CHECKPOINT;
        let start = checkpoint * CHECKPOINT;
        self.checkpoints[checkpoint] + char_starts(&text.as_bytes()[start..offset])
    }
}

/// A line, column or offset as a location keeps it: source files are at
/// most 16 MiB, manifests and policies smaller.
pub fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn newline_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    // memchr's vector search: twice as fast as a `char` pattern's, which
    // starts a search for each of code's short lines.
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)
}

/// The characters that start in `bytes` (every byte but UTF-8
/// continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Turns a path relative to the workspace root into the `/`-separated form
/// used in every output.
/// An absolute path (a file outside the root) keeps one leading `/`.
pub fn display_path(relative: &std::path::Path) -> String {
    relative
        .components()
        .map(|c| match c {
            std::path::Component::RootDir => "".into(),
            other => other.as_os_str().to_string_lossy(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_keep_one_slash() {
        use std::path::Path;
        assert_eq!(display_path(Path::new("/etc/passwd")), "/etc/passwd");
        assert_eq!(display_path(Path::new("src/a.rs")), "src/a.rs");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = 1;\nlet x = 2;";
        let loc = Location::from_bytes("a.rs", text, 11..12);
        assert_eq!((loc.line, loc.column), (2, 4));
        let loc = Location::from_bytes("a.rs", text, 3..4);
        assert_eq!((loc.line, loc.column), (1, 3));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 300, failure_persistence: None, ..Default::default()
        })]
        #[test]
        fn locations_match_a_plain_count(text in ".{0,600}", at in 0usize..700) {
            let offset = floor_char_boundary(&text, at.min(text.len()));
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |n| n + 1);
            let loc = LineIndex::new(&text).location("a.rs", offset..offset);
            proptest::prop_assert_eq!(
                (loc.line as usize, loc.column as usize),
                (before.matches('\n').count() + 1, text[line_start..offset].chars().count() + 1)
            );
        }
    }

    #[test]
    fn the_end_of_a_text_a_checkpoint_long_has_a_location() {
        let text = format!("é{}", "x".repeat(CHECKPOINT - 2));
        assert_eq!(text.len(), CHECKPOINT);
        let loc = LineIndex::new(&text).location("a.rs", text.len()..text.len());
        assert_eq!((loc.line, loc.column as usize), (1, CHECKPOINT));
    }

    #[test]
    fn paths_show_with_slashes() {
        assert_eq!(
            display_path(std::path::Path::new("src/a/b.rs")),
            "src/a/b.rs"
        );
        #[cfg(unix)]
        assert_eq!(display_path(std::path::Path::new("/etc/x.rs")), "/etc/x.rs");
    }

    #[test]
    fn columns_on_long_mixed_lines_match_a_plain_count() {
        let text: String = (0..2000)
            .map(|i| {
                if i % 7 == 0 {
                    "é€𝄞 x\n"
                } else {
                    "ab 𝄞 c; "
                }
            })
            .collect();
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(13) {
            let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
            let expected = (
                text[..offset].matches('\n').count() + 1,
                text[line_start..offset].chars().count() + 1,
            );
            let loc = index.location("a.rs", offset..offset);
            assert_eq!(
                (loc.line as usize, loc.column as usize),
                expected,
                "at {offset}"
            );
        }
    }
}
