//! Where the literals and comments of Rust source text end, for the byte
//! scans that run before (or instead of) parsing: the nesting guard and the
//! suppression comments. Each function takes the position of a token's
//! first byte and returns the position just past it.

pub fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n)
}

pub fn block_comment_end(bytes: &[u8], mut i: usize) -> usize {
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
pub fn quoted_end(bytes: &[u8], mut i: usize) -> usize {
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
pub fn char_or_lifetime_len(text: &str, i: usize) -> usize {
    let rest = &text[i + 1..];
    let mut chars = rest.char_indices();
    match (chars.next(), chars.next()) {
        // An escape: the escaped character (which may be a quote) is
        // skipped before looking for the closing one.
        (Some((_, '\\')), Some((n, escaped))) => {
            let after = n + escaped.len_utf8();
            rest[after..]
                .find('\'')
                .map_or(rest.len() + 1, |m| after + m + 2)
        }
        (Some(_), Some((n, '\''))) => n + 2,
        _ => 1,
    }
}

pub fn starts_raw_or_byte_string(bytes: &[u8], i: usize) -> bool {
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
pub fn raw_or_byte_string_end(bytes: &[u8], i: usize) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the token starting at the first byte of `text`.
    fn token(text: &str) -> &str {
        let bytes = text.as_bytes();
        let end = match bytes[0] {
            b'/' if bytes[1] == b'/' => line_end(bytes, 0),
            b'/' => block_comment_end(bytes, 0),
            b'"' => quoted_end(bytes, 1),
            b'\'' => char_or_lifetime_len(text, 0),
            _ if starts_raw_or_byte_string(bytes, 0) => raw_or_byte_string_end(bytes, 0),
            _ => 1,
        };
        &text[..end]
    }

    #[test]
    fn literals_and_comments_end_where_rust_ends_them() {
        assert_eq!(token("// a \"b\nc"), "// a \"b");
        assert_eq!(token("/* a /* b */ c */ d"), "/* a /* b */ c */");
        assert_eq!(token(r#""a \" // b" c"#), r#""a \" // b""#);
        assert_eq!(token(r"'\'' x"), r"'\''");
        assert_eq!(token("'a' x"), "'a'");
        assert_eq!(token("'a x"), "'");
        assert_eq!(token(r###"r#"a "# b"# c"###), r###"r#"a "#"###);
        assert_eq!(token(r#"br"a\" b"#), r#"br"a\""#);
        assert_eq!(token(r#"b"a\" b" c"#), r#"b"a\" b""#);
        assert_eq!(token(r#"c"a" b"#), r#"c"a""#);
        assert!(!starts_raw_or_byte_string(b"rb", 0));
        assert!(!starts_raw_or_byte_string(b"xr\"", 1));
    }
}
