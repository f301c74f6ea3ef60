//! A cheap bound on how deep parsing a file will recurse, computed before
//! syn sees it: syn (and every tree walk after it) recurses once per level
//! of nesting, and a stack overflow aborts the process. Code nested deeper
//! than [`MAX_NESTING`] is a `parse-error` warning instead.
//!
//! The bound over-counts on purpose. It adds up, per delimiter group, the
//! delimiters around a point and the tokens since the last `;` or `,` that
//! syn may recurse on without a delimiter: `<` (generics; `>` takes one
//! back), prefix operators (`!`, `-`, `*`, `&`, `|` closures), `=`, `..`,
//! `->` and the keywords that chain (`else if`, `return`, `break`, `move`,
//! `let`, `dyn`, `impl`, `box`). Real code stays far below the limit: of
//! the 7,053 files of tokio, bevy, cargo, nushell, ripgrep, rust-analyzer
//! and this project's dependencies, the deepest (rust-analyzer's generated
//! syntax kinds) scores 194, most under 40.

/// The deepest nesting score parsed: five times the deepest real file.
pub const MAX_NESTING: usize = 1_000;

/// Stack size of the threads that parse and walk syntax trees. Measured at
/// 990 levels, the hungriest construct (nested generics) takes about 50 KB
/// of stack per level in a debug build (about 3 KB in a release build), so
/// [`MAX_NESTING`] levels need about 50 MB: this leaves five times that.
/// It is only reserved, and touched only as deep as the code goes.
pub const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// How deep a file nests, and where it is deepest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    pub score: usize,
    /// Byte offset of the token where the score was reached.
    pub at: usize,
}

struct Group {
    /// The score of the point where the group opened, plus one.
    base: usize,
    /// Chaining tokens since the group opened or its last `;` or `,`.
    run: usize,
}

/// The nesting score of a Rust source text (see the module's doc).
pub fn nesting(text: &str) -> Nesting {
    let bytes = text.as_bytes();
    let mut groups = vec![Group { base: 0, run: 0 }];
    let mut deepest = Nesting { score: 0, at: 0 };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let mut step = 1;
        let mut chain = 0;
        match b {
            b'/' if next == Some(b'/') => {
                step = line_end(bytes, i) - i;
            }
            b'/' if next == Some(b'*') => {
                step = block_comment_end(bytes, i) - i;
            }
            b'"' => step = quoted_end(bytes, i + 1) - i,
            b'\'' => step = char_or_lifetime_len(text, i),
            b'r' | b'b' | b'c' if starts_raw_or_byte_string(bytes, i) => {
                step = raw_or_byte_string_end(bytes, i) - i;
            }
            b'(' | b'[' | b'{' => {
                let top = groups.last().expect("the file's group");
                let base = top.base + top.run + 1;
                groups.push(Group { base, run: 0 });
            }
            b')' | b']' | b'}' => {
                if groups.len() > 1 {
                    groups.pop();
                }
                // An item or statement ends with its block, unless an
                // `else` carries the chain on.
                if b == b'}' && !text[i + 1..].trim_start().starts_with("else") {
                    groups.last_mut().expect("a group").run = 0;
                }
            }
            b';' | b',' => groups.last_mut().expect("a group").run = 0,
            b'<' => chain = 1,
            b'>' if !matches!(i.checked_sub(1).map(|p| bytes[p]), Some(b'-' | b'=')) => {
                let top = groups.last_mut().expect("a group");
                top.run = top.run.saturating_sub(1);
            }
            // `&&` and `||` are one token.
            b'&' | b'|' if next == Some(b) => {
                chain = 1;
                step = 2;
            }
            b'!' | b'-' | b'*' | b'&' | b'|' => chain = 1,
            b'=' if !matches!(next, Some(b'=' | b'>'))
                && !matches!(
                    i.checked_sub(1).map(|p| bytes[p]),
                    Some(b'=' | b'!' | b'<' | b'>')
                ) =>
            {
                chain = 1
            }
            b'.' if next == Some(b'.') => {
                chain = 1;
                step = 2;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let end = ident_end(bytes, i);
                if CHAINING_KEYWORDS.contains(&&text[i..end]) {
                    chain = 1;
                }
                step = end - i;
            }
            _ => {}
        }
        if chain > 0 {
            let top = groups.last_mut().expect("a group");
            top.run += chain;
        }
        let top = groups.last().expect("a group");
        let score = top.base + top.run;
        if score > deepest.score {
            deepest = Nesting { score, at: i };
        }
        i += step.max(1);
    }
    deepest
}

const CHAINING_KEYWORDS: [&str; 9] = [
    "else", "return", "break", "move", "let", "dyn", "impl", "box", "yield",
];

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n)
}

fn block_comment_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The end of a `"..."` body starting at `i` (after the opening quote).
fn quoted_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `'x'`, `'\n'`, `'\u{1F600}'` or a lifetime `'a`: how many bytes to skip.
fn char_or_lifetime_len(text: &str, i: usize) -> usize {
    let rest = &text[i + 1..];
    let mut chars = rest.char_indices();
    match (chars.next(), chars.next()) {
        (Some((_, '\\')), _) => rest[1..].find('\'').map_or(rest.len() + 1, |n| n + 3),
        (Some(_), Some((n, '\''))) => n + 2,
        _ => 1,
    }
}

fn starts_raw_or_byte_string(bytes: &[u8], i: usize) -> bool {
    let ident_before = i
        .checked_sub(1)
        .is_some_and(|p| bytes[p].is_ascii_alphanumeric() || bytes[p] == b'_');
    if ident_before {
        return false;
    }
    let mut j = i + 1;
    if bytes[i] != b'r' && bytes.get(j) == Some(&b'r') {
        j += 1;
    }
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
        && (j > i + 1 || bytes[i] != b'r' || bytes.get(i + 1) == Some(&b'"'))
}

/// The end of `r#"..."#`, `br"..."`, `b"..."` or `c"..."` starting at `i`.
fn raw_or_byte_string_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let raw = bytes[i] == b'r' || bytes.get(j) == Some(&b'r');
    if bytes[i] != b'r' && bytes.get(j) == Some(&b'r') {
        j += 1;
    }
    let hashes = bytes[j..].iter().take_while(|&&b| b == b'#').count();
    j += hashes + 1;
    if !raw {
        return quoted_end(bytes, j);
    }
    while j < bytes.len() {
        if bytes[j] == b'"'
            && bytes[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return j + 1 + hashes;
        }
        j += 1;
    }
    bytes.len()
}

fn ident_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> usize {
        nesting(text).score
    }

    #[test]
    fn counts_delimiters_and_chains() {
        assert_eq!(score("fn a() {}"), 1);
        assert_eq!(score("fn a() { ((1)) }"), 3);
        assert_eq!(score("type T = Vec<Vec<Vec<u8>>>;"), 4);
        assert_eq!(score("fn f() { !!!!x; }"), 5);
        assert_eq!(score("fn f() { if a {} else if b {} else if c { x } }"), 4);
    }

    #[test]
    fn resets_at_separators_and_closing_angles() {
        assert_eq!(score("fn f(a: A<B>, b: C<D>, c: E<F>) {}"), 2);
        assert_eq!(score("fn f() { a(); b(); c(); d(); }"), 2);
        assert_eq!(score("fn f() -> u8 { x == y && z >= w }"), 3);
    }

    #[test]
    fn skips_strings_comments_and_chars() {
        assert_eq!(score(r#"const A: &str = "((((((("; // (((((("#), 2);
        assert_eq!(score("/* {{{{{{ /* ((( */ */ fn a() {}"), 1);
        assert_eq!(
            score(r##"const A: &str = r#"{{{{{"#; const B: char = '{';"##),
            2
        );
        assert_eq!(score("fn a<'a>(x: &'a u8) -> &'a u8 { b'(' ; x }"), 3);
    }

    #[test]
    fn deep_nesting_scores_its_depth() {
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(500), ")".repeat(500));
        assert_eq!(score(&deep), 501);
    }
}
