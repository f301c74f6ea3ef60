//! Finds inline suppression comments: `// boundaries: allow(rule-a, rule-b)
//! reason`. They are data here; `check::suppress` decides what they do.

use crate::location::{LineIndex, Location};

#[derive(Debug, Clone)]
pub struct Suppression {
    /// The comment's location; its line is the line it covers (with the
    /// line below).
    pub location: Location,
    /// Rule names, each with its own location in the comment.
    pub rules: Vec<(String, Location)>,
    pub reason: Option<String>,
}

const MARKER: &str = "boundaries:";

pub fn scan(relative: &str, text: &str) -> Vec<Suppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(suppression) = parse_line(relative, &index, line, offset) {
            found.push(suppression);
        }
        offset += line.len();
    }
    found
}

fn parse_line(relative: &str, index: &LineIndex, line: &str, offset: usize) -> Option<Suppression> {
    let comment = line.find("//")?;
    let body = &line[comment + 2..];
    let after_marker = body.trim_start().strip_prefix(MARKER)?;
    let allow_start = line.len() - after_marker.trim_start().len();
    let args = line[allow_start..].strip_prefix("allow(")?;
    let close = args.find(')')?;
    let args_start = allow_start + "allow(".len();
    let mut rules = Vec::new();
    let mut cursor = args_start;
    for part in args[..close].split(',') {
        let name = part.trim();
        let start = cursor + (part.len() - part.trim_start().len());
        if !name.is_empty() {
            rules.push((
                name.to_string(),
                index.location(relative.to_string(), offset + start..offset + start + name.len()),
            ));
        }
        cursor += part.len() + 1;
    }
    let reason = args[close + 1..].trim().trim_start_matches([':', '-', '—']).trim();
    let end = line.trim_end().len();
    Some(Suppression {
        location: index.location(relative.to_string(), offset + comment..offset + end),
        rules,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
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
        assert_eq!(s.rules[1].1.column, 42);
        assert_eq!(s.reason.as_deref(), Some("legacy import, see #12"));
    }

    #[test]
    fn ignores_other_comments() {
        assert!(scan("a.rs", "// boundaries are nice\n// boundaries: deny(x)\n").is_empty());
        let found = scan("a.rs", "use a; // boundaries: allow(x)\n");
        assert_eq!(found[0].reason, None);
    }
}
