//! Source locations shared by every phase: a file relative to the workspace
//! root and a 1-based line/column range (columns in characters), plus the byte
//! range that miette needs to draw a snippet.

use std::ops::Range;
use std::sync::Arc;

/// Where something sits in a file of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Path relative to the workspace root, with `/` separators; shared by
    /// every location in the file.
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range in the file, for snippets.
    pub byte_start: usize,
    pub byte_end: usize,
}

impl Location {
    pub fn bytes(&self) -> Range<usize> {
        self.byte_start..self.byte_end
    }

    /// Builds a location from a byte range of `text`. For many locations in
    /// one file, build a [`LineIndex`] once instead.
    pub fn from_bytes(file: impl Into<Arc<str>>, text: &str, bytes: Range<usize>) -> Location {
        LineIndex::new(text).location(file, bytes)
    }
}

/// Line starts of one file, to turn byte offsets into lines and columns
/// without rescanning the text for each one.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    pub fn location(&self, file: impl Into<Arc<str>>, bytes: Range<usize>) -> Location {
        let (line, column) = self.line_column(bytes.start);
        let (end_line, end_column) = self.line_column(bytes.end);
        Location {
            file: file.into(),
            line,
            column,
            end_line,
            end_column,
            byte_start: bytes.start,
            byte_end: bytes.end,
        }
    }

    /// 1-based line and character column of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Turns a path relative to the workspace root into the `/`-separated form
/// used in every output. An absolute path keeps its one leading `/`.
pub fn display_path(relative: &std::path::Path) -> String {
    let text = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    match text.strip_prefix("//") {
        Some(rest) if relative.has_root() => format!("/{rest}"),
        _ => text,
    }
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
}
