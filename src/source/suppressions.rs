//! Finds inline suppression comments: `// boundaries: allow(rule-a, rule-b)
//! reason`. They are data here; `check::suppress` decides what they do.

use super::lexer::{
    block_comment_end, char_or_lifetime_len, line_end, quoted_end, raw_or_byte_string_end,
    starts_raw_or_byte_string,
};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::location::{LineIndex, Location, Span};

#[derive(Debug, Clone)]
pub struct Suppression {
    /// The comment's location; its line is the line it covers (with the
    /// line below).
    pub location: Location,
    /// Rule names, each with its own location in the comment.
    pub rules: Vec<(String, Location)>,
    pub reason: Option<String>,
    /// Whether the comment is alone on its line (then it also covers the
    /// line below).
    pub own_line: bool,
}

/// A suppression comment as a file's facts keep it: located by spans, so
/// it does not depend on the file's name (nor needs its text again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FoundSuppression {
    span: Span,
    rules: Vec<(String, Span)>,
    reason: Option<String>,
    own_line: bool,
}

impl FoundSuppression {
    /// Where the comment starts, in bytes.
    pub fn start(&self) -> usize {
        self.span.bytes().start
    }

    /// This comment in the file `relative`.
    pub fn located(&self, relative: &Arc<str>) -> Suppression {
        Suppression {
            location: self.span.located(relative.clone()),
            rules: (self.rules.iter())
                .map(|(name, span)| (name.clone(), span.located(relative.clone())))
                .collect(),
            reason: self.reason.clone(),
            own_line: self.own_line,
        }
    }
}

const MARKER: &str = "boundaries:";

/// The suppression comments of the file `relative`.
pub fn scan(relative: &str, text: &str) -> Vec<Suppression> {
    let relative: Arc<str> = relative.into();
    find(text)
        .iter()
        .map(|found| found.located(&relative))
        .collect()
}

/// The suppression comments of a text.
pub fn find(text: &str) -> Vec<FoundSuppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    line_comments(text)
        .into_iter()
        .filter_map(|range| parse_comment(&index, text, range))
        .collect()
}

/// Byte ranges of the `//` comments of a Rust file (from the slashes to the
/// end of the line), skipping strings, chars and block comments so a `//`
/// inside a string literal is never taken for a comment.
fn line_comments(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        i = match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = line_end(bytes, i);
                comments.push(i..end);
                end
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => block_comment_end(bytes, i),
            b'r' | b'b' | b'c' if starts_raw_or_byte_string(bytes, i) => {
                raw_or_byte_string_end(bytes, i)
            }
            b'"' => quoted_end(bytes, i + 1),
            b'\'' => i + char_or_lifetime_len(text, i),
            _ => i + 1,
        };
    }
    comments
}

fn parse_comment(
    index: &LineIndex,
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<FoundSuppression> {
    let comment = &text[range.clone()];
    let body = &comment[2..];
    let after_marker = body.trim_start().strip_prefix(MARKER)?;
    let allow_start = comment.len() - after_marker.trim_start().len();
    let args = comment[allow_start..].strip_prefix("allow(")?;
    let close = args.find(')')?;
    let offset = range.start;
    let args_start = allow_start + "allow(".len();
    let mut rules = Vec::new();
    let mut cursor = args_start;
    for part in args[..close].split(',') {
        let name = part.trim();
        let start = cursor + (part.len() - part.trim_start().len());
        if !name.is_empty() {
            rules.push((
                name.to_string(),
                index.span(offset + start..offset + start + name.len()),
            ));
        }
        cursor += part.len() + 1;
    }
    let reason = args[close + 1..]
        .trim()
        .trim_start_matches([':', '-', '—'])
        .trim();
    Some(FoundSuppression {
        span: index.span(offset..offset + comment.trim_end().len()),
        rules,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        own_line: text[..offset]
            .rsplit('\n')
            .next()
            .is_some_and(|before| before.trim().is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reason() {
        let text = "fn a() {}\n    // boundaries: allow(no-storage, layers-1) legacy import, see #12\nuse x;\n";
        let found = scan("a.rs", text);
        assert_eq!(found.len(), 1);
        let s = &found[0];
        assert_eq!(s.location.line, 2);
        let names: Vec<&str> = s.rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["no-storage", "layers-1"]);
        assert_eq!(s.rules[1].1.column, 38);
        assert_eq!(s.reason.as_deref(), Some("legacy import, see #12"));
    }

    #[test]
    fn skips_strings_chars_and_block_comments() {
        let text = "const A: &str = \"// boundaries: allow(x)\";\n\
                    let u = \"https://a\"; // boundaries: allow(y) real\n\
                    let r = r#\"// boundaries: allow(z)\"#; let c = '\\''; fn f<'a>() {}\n\
                    /* // boundaries: allow(w) */\n";
        let found = scan("a.rs", text);
        let names: Vec<&str> = found
            .iter()
            .flat_map(|s| s.rules.iter().map(|(n, _)| n.as_str()))
            .collect();
        assert_eq!(names, ["y"]);
        assert_eq!(found[0].location.line, 2);
    }

    #[test]
    fn ignores_other_comments() {
        assert!(scan("a.rs", "// boundaries are nice\n// boundaries: deny(x)\n").is_empty());
        let found = scan("a.rs", "use a; // boundaries: allow(x)\n");
        assert_eq!(found[0].reason, None);
    }
}
