//! Line doc comments (`///`, `//!`) are blanked out of a file's text before
//! it is parsed. They mean nothing to a boundary (`#[doc]` is inert, and a
//! doc comment's text is one string literal, never a path), but the parser
//! turns each into an attribute: on documented code that is much of the
//! parse (half of tokio's bytes are doc comments; parsing its files took
//! nearly a third less time without them). Each byte of a comment becomes a
//! space, so every other byte, line and column stays where it was.
//!
//! The insides of inert blocks (`inert.rs`) are blanked in the same pass,
//! their newlines kept.
//!
//! One thing moves: an item's span starts at its first attribute, and its
//! doc comments no longer are one. The spans that keep an item's start
//! (test-only code stepped over, [`doc_start`]) are moved back to where the
//! text's doc comments put them.

use std::borrow::Cow;
use std::ops::Range;

use super::depth::{Comment, CommentKind};

/// `text` with its line doc comments and the insides of its inert blocks
/// (`inert.rs`) blanked; borrowed when it has neither.
pub fn blanked<'a>(
    text: &'a str,
    comments: &[Comment],
    inert_blocks: &[Range<u32>],
) -> Cow<'a, str> {
    let docs = comments
        .iter()
        .filter(|c| is_line_doc(c.kind))
        .map(|c| (c.bytes(), Blank::Comment));
    let blocks = inert_blocks
        .iter()
        .map(|b| (b.start as usize..b.end as usize, Blank::Block));
    let mut ranges = merged(docs, blocks).peekable();
    if ranges.peek().is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (range, blank) in ranges {
        // A doc comment inside a blanked block went with it.
        if range.start < from {
            continue;
        }
        // A comment starts at a `/` and ends at a newline or the end of the
        // text, a group's inside after its open delimiter and before its
        // close one, and a group blanked is all ASCII: all are character
        // boundaries.
        out.push_str(&text[from..range.start]);
        match blank {
            Blank::Comment => out.extend(std::iter::repeat_n(' ', range.len())),
            // Its lines stay lines.
            Blank::Block => out.extend(text.as_bytes()[range.clone()].iter().map(|&b| {
                if b == b'\n' {
                    '\n'
                } else {
                    ' '
                }
            })),
        }
        from = range.end;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// What a blanked range is: a comment goes whole, a block keeps its newlines.
#[derive(Clone, Copy)]
enum Blank {
    Comment,
    Block,
}

/// Two lists of ranges, each in text order, as one in text order; on a
/// tie, `b`'s first.
fn merged(
    a: impl Iterator<Item = (Range<usize>, Blank)>,
    b: impl Iterator<Item = (Range<usize>, Blank)>,
) -> impl Iterator<Item = (Range<usize>, Blank)> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        // On a tie `b` first: a block's range holds a comment at its start.
        (Some(x), Some(y)) if x.0.start < y.0.start => a.next(),
        (Some(_), Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, _) => b.next(),
    })
}

fn is_line_doc(kind: CommentKind) -> bool {
    matches!(kind, CommentKind::OuterLineDoc | CommentKind::InnerLineDoc)
}

/// Where an item whose blanked text starts at `start` starts in `text`: at
/// the first of the `///` comments right before it (only blanks and other
/// plain comments between), which were its first attributes.
pub fn doc_start(text: &str, comments: &[Comment], start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start.min(bytes.len());
    let mut found = start;
    loop {
        while at > 0 && matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            at -= 1;
        }
        // The comment that ends where the blanks begin, if any.
        let Ok(index) = comments.binary_search_by_key(&at, |c| c.bytes().end) else {
            return found;
        };
        let comment = &comments[index];
        match comment.kind {
            CommentKind::OuterLineDoc => found = comment.bytes().start,
            CommentKind::Plain => {}
            // An inner doc belongs to the module; a block doc would have
            // been the item's first attribute in the blanked text too.
            CommentKind::InnerLineDoc | CommentKind::BlockDoc => return found,
        }
        at = comment.bytes().start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::depth::scan;

    #[test]
    fn line_docs_become_blanks_and_every_offset_stays() {
        let text = "//! inner é\n/// outer\r\n//// plain\nfn f() {} /* kept */ /** kept */\n";
        let blanked = blanked(text, &scan(text).comments, &[]);
        let expected = format!(
            "{}\n{}\n//// plain\nfn f() {{}} /* kept */ /** kept */\n",
            " ".repeat("//! inner é".len()),
            " ".repeat("/// outer\r".len()),
        );
        assert_eq!(blanked, expected);
        assert_eq!(blanked.len(), text.len());
    }

    #[test]
    fn a_block_blanked_takes_the_doc_comment_it_starts_with() {
        let text = "fn f() {/// d\n    x }\n";
        let scan = scan(text);
        let blanked = blanked(text, &scan.comments, &scan.inert_blocks);
        assert_eq!(
            blanked,
            format!("fn f() {{{}\n{}}}\n", " ".repeat(5), " ".repeat(6))
        );
    }

    #[test]
    fn a_text_without_line_docs_is_not_copied() {
        let text = "// plain\nfn f() {}\n";
        assert!(matches!(
            blanked(text, &scan(text).comments, &[]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_item_starts_at_the_first_doc_comment_right_before_it() {
        let text = "fn a() {} // trailing\n/// one\n// plain\n/* block */\n/// two\n#[cfg(test)]\nmod t {}\n";
        let comments = scan(text).comments;
        let attribute = text.find("#[cfg").expect("an attribute");
        let first_doc = text.find("/// one").expect("a doc comment");
        assert_eq!(doc_start(text, &comments, attribute), first_doc);
        // An inner doc comment is its module's: the item starts after it.
        let text = "//! module\n#[cfg(test)]\nmod t {}\n";
        let attribute = text.find('#').expect("an attribute");
        assert_eq!(doc_start(text, &scan(text).comments, attribute), attribute);
        // With no doc comment before it, nothing moves.
        let text = "fn a() {}\n// plain\n#[cfg(test)]\nmod t {}\n";
        let attribute = text.find('#').expect("an attribute");
        assert_eq!(doc_start(text, &scan(text).comments, attribute), attribute);
    }
}
