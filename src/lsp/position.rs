//! Byte offsets ↔ LSP positions (lines and UTF-16 columns, the protocol's
//! default encoding).

use std::borrow::Cow;
use std::ops::Range;

use lsp_types::Position;

/// The line starts of one text.
pub struct LineMap<'a> {
    text: &'a str,
    starts: Cow<'a, [usize]>,
}

impl<'a> LineMap<'a> {
    pub fn new(text: &'a str) -> LineMap<'a> {
        LineMap {
            text,
            starts: Cow::Owned(line_starts(text)),
        }
    }

    /// A map over line starts computed before with [`line_starts`].
    pub fn with_starts(text: &'a str, starts: &'a [usize]) -> LineMap<'a> {
        LineMap {
            text,
            starts: Cow::Borrowed(starts),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, bytes: Range<usize>) -> lsp_types::Range {
        lsp_types::Range::new(self.position(bytes.start), self.position(bytes.end))
    }

    /// The byte offset of a position; past the end of a line, the line's
    /// end.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The byte range of line `line`, without its newline.
    pub fn line(&self, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        start..end.max(start)
    }
}

/// Where each line of `text` starts.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_both_ways() {
        let text = "a\né𝄞x = 1\n";
        let map = LineMap::new(text);
        let x = text.find('x').unwrap();
        // é is one unit, 𝄞 two.
        assert_eq!(map.position(x), Position::new(1, 3));
        assert_eq!(map.offset(Position::new(1, 3)), x);
        assert_eq!(map.offset(Position::new(1, 99)), text.len() - 1);
        assert_eq!(map.offset(Position::new(9, 0)), text.len());
        assert_eq!(&text[map.line(1)], "é𝄞x = 1");
    }
}
