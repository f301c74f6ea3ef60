//! What sits under the cursor in a policy's text, read line by line so it
//! works on a buffer that is half typed and not valid TOML yet.

use std::ops::Range;

/// The table a line of the policy belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Table {
    /// The top level (or `[workspace.metadata.boundaries]`).
    Top,
    Settings,
    Components,
    /// A `[[rule]]`, with its `kind` when written.
    Rule {
        kind: Option<String>,
    },
    /// Any other table (of a manifest holding the policy).
    Other,
}

/// A string literal the cursor is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringAt {
    /// The bytes between the quotes (to the end of the line when the
    /// closing quote is not typed yet).
    pub inner: Range<usize>,
    /// The key whose value holds the string.
    pub key: Option<String>,
}

/// Which table the line holding `offset` is in.
pub fn table_at(text: &str, offset: usize) -> Table {
    let before = &text[..line_start(text, offset)];
    let Some(header) = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
    else {
        return Table::Top;
    };
    let name = header.trim_matches(|c| c == '[' || c == ']').trim();
    let name = name
        .strip_prefix("workspace.metadata.boundaries")
        .map_or_else(|| name.strip_prefix("package.metadata.boundaries"), Some);
    let name = match name {
        Some("") => return Table::Top,
        Some(rest) => rest.trim_start_matches('.'),
        None if text.contains("metadata.boundaries") => return Table::Other,
        None => header.trim_matches(|c| c == '[' || c == ']').trim(),
    };
    match name {
        "settings" => Table::Settings,
        "components" => Table::Components,
        "rule" if header.starts_with("[[") => Table::Rule {
            kind: rule_kind(text, offset),
        },
        _ => Table::Other,
    }
}

/// The `kind = "..."` of the rule table around `offset`.
fn rule_kind(text: &str, offset: usize) -> Option<String> {
    let start = text[..line_start(text, offset)]
        .rfind("\n[")
        .map_or(0, |i| i + 1);
    let end = text[offset..]
        .find("\n[")
        .map_or(text.len(), |i| offset + i);
    text[start..end].lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "kind").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// The basic string (`"..."`) holding `offset`, if any.
pub fn string_at(text: &str, offset: usize) -> Option<StringAt> {
    let start = line_start(text, offset);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    let mut open: Option<usize> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        let at = start + i;
        match (open, c) {
            (None, '#') => return None,
            (None, '"') => open = Some(at + 1),
            (Some(from), '"') if !escaped => {
                if (from..=at).contains(&offset) {
                    return Some(StringAt {
                        inner: from..at,
                        key: key_at(text, offset),
                    });
                }
                open = None;
            }
            _ => {}
        }
        escaped = c == '\\' && !escaped;
        if at >= offset && open.is_none() {
            return None;
        }
    }
    open.filter(|&from| from <= offset).map(|from| StringAt {
        inner: from..end,
        key: key_at(text, offset),
    })
}

/// The key of the value around `offset`: the nearest `key =` at or above
/// its line (a list may span lines).
pub fn key_at(text: &str, offset: usize) -> Option<String> {
    let upto = &text[..offset];
    for line in upto.lines().rev() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') && !trimmed.starts_with("[\"") {
            return None;
        }
        if let Some((key, _)) = trimmed.split_once('=') {
            let key = key.trim().trim_matches('"');
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Some(key.to_string());
            }
        }
    }
    None
}

/// Whether only a key (or nothing) is typed before `offset` on its line.
pub fn typing_key(text: &str, offset: usize) -> bool {
    let line = &text[line_start(text, offset)..offset];
    let line = line.trim_start();
    !line.starts_with('[')
        && line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether the cursor follows `key =` on its line, outside any string.
pub fn after_equals(text: &str, offset: usize) -> Option<String> {
    let line = &text[line_start(text, offset)..offset];
    let (key, value) = line.split_once('=')?;
    value.trim().is_empty().then(|| key.trim().to_string())
}

pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "version = 1\n\n[settings]\ninclude-tests = true\n\n\
        [[rule]]\nkind = \"forbid\"\nfrom = [\n  \"shop::bil\",\n]\nto = \"sh\n";

    fn at(needle: &str) -> usize {
        POLICY.find(needle).unwrap() + needle.len()
    }

    #[test]
    fn tables_keys_and_strings_are_found_on_a_half_typed_buffer() {
        assert_eq!(table_at(POLICY, at("version")), Table::Top);
        assert_eq!(table_at(POLICY, at("include-te")), Table::Settings);
        assert_eq!(
            table_at(POLICY, at("shop::bil")),
            Table::Rule {
                kind: Some("forbid".to_string())
            }
        );
        let string = string_at(POLICY, at("shop::bil")).unwrap();
        assert_eq!(&POLICY[string.inner.clone()], "shop::bil");
        assert_eq!(string.key.as_deref(), Some("from"));
        // An unclosed string runs to the end of its line.
        let string = string_at(POLICY, at("to = \"sh")).unwrap();
        assert_eq!(&POLICY[string.inner], "sh");
        assert_eq!(string_at(POLICY, at("version =")), None);
        assert!(typing_key(POLICY, at("include-te")));
        assert_eq!(
            after_equals(POLICY, at("version =")).as_deref(),
            Some("version")
        );
    }

    #[test]
    fn a_manifest_table_is_read_as_the_policy() {
        let text = "[package]\nname = \"x\"\n\n[[workspace.metadata.boundaries.rule]]\nkind = \"layers\"\n";
        assert_eq!(
            table_at(text, text.len()),
            Table::Rule {
                kind: Some("layers".to_string())
            }
        );
        assert_eq!(table_at(text, text.find("name").unwrap()), Table::Other);
    }
}
