//! Module path patterns: `::`-separated segments where `*` matches one
//! segment and `**` zero or more; inside a segment, `*` matches any run of
//! characters (`bevy_*`, `*_api`). A pattern covers what it matches and
//! everything below it.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Name(String),
    /// `*`: exactly one segment.
    One,
    /// `**`: zero or more segments.
    Any,
    /// A name with `*` in it, each `*` any run of characters: `bevy_*`.
    Glob(String),
}

impl Segment {
    /// Whether this segment, not `*` or `**`, matches one path segment.
    pub(super) fn matches_name(&self, segment: &str) -> bool {
        match self {
            Segment::Name(name) => name == segment,
            Segment::Glob(glob) => glob_matches(glob, segment),
            Segment::One | Segment::Any => false,
        }
    }
}

/// One pattern as written in the policy, with where it was written.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    pub segments: Vec<Segment>,
    pub span: Range<usize>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PatternError {
    #[error("empty pattern")]
    Empty,
    #[error("empty segment in `{0}`")]
    EmptySegment(String),
    #[error("`{segment}` is not a valid segment: use a name, `*` or `**`")]
    BadSegment { segment: String },
    #[error("`{segment}` is not a valid segment: `-` is spelled `_` in a module name")]
    DashInModule { segment: String },
}

impl Pattern {
    pub fn parse(text: &str, span: Range<usize>) -> Result<Pattern, PatternError> {
        if text.trim().is_empty() {
            return Err(PatternError::Empty);
        }
        let segments = text
            .split("::")
            .map(|segment| match segment {
                "" => Err(PatternError::EmptySegment(text.to_string())),
                "*" => Ok(Segment::One),
                "**" => Ok(Segment::Any),
                name if is_identifier(name) => Ok(Segment::Name(name.to_string())),
                glob if is_glob(glob) => Ok(Segment::Glob(glob.to_string())),
                dashed if is_identifier(&dashed.replace('-', "_")) => {
                    Err(PatternError::DashInModule {
                        segment: dashed.to_string(),
                    })
                }
                other => Err(PatternError::BadSegment {
                    segment: other.to_string(),
                }),
            })
            .collect::<Result<_, _>>()?;
        Ok(Pattern {
            text: text.to_string(),
            segments,
            span,
        })
    }

    /// Whether the pattern matches `path` or one of its ancestors.
    pub fn covers(&self, path: &[&str]) -> bool {
        self.member_len(path).is_some()
    }

    /// Whether the pattern matches `path` itself.
    pub fn matches(&self, path: &[&str]) -> bool {
        exact(&self.segments, path)
    }

    /// The length of the shortest prefix of `path` the pattern matches: the
    /// member of the pattern that `path` lies in.
    pub fn member_len(&self, path: &[&str]) -> Option<usize> {
        if !self.segments.contains(&Segment::Any) {
            // Without `**`, only a prefix as long as the pattern can match.
            let len = self.segments.len();
            return (len <= path.len() && exact(&self.segments, &path[..len])).then_some(len);
        }
        (1..=path.len()).find(|&len| exact(&self.segments, &path[..len]))
    }

    /// The single name a pattern of one plain segment is (a crate or a
    /// component name).
    pub fn bare_name(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [Segment::Name(name)] => Some(name),
            _ => None,
        }
    }

    pub fn first_name(&self) -> Option<&str> {
        match self.segments.first() {
            Some(Segment::Name(name)) => Some(name),
            _ => None,
        }
    }
}

fn exact(pattern: &[Segment], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Segment::Any, rest)) => (0..=path.len()).any(|skip| exact(rest, &path[skip..])),
        Some((Segment::One, rest)) => !path.is_empty() && exact(rest, &path[1..]),
        Some((named, rest)) => {
            path.first().is_some_and(|first| named.matches_name(first)) && exact(rest, &path[1..])
        }
    }
}

/// A segment with `*` in it: identifier characters and at least one `*`.
fn is_glob(segment: &str) -> bool {
    segment.contains('*')
        && segment
            .chars()
            .all(|c| c == '*' || c == '_' || c.is_alphanumeric())
}

/// Whether `name` matches `glob`, each `*` any run of characters (none
/// included). Greedy with backtracking to the last `*`: linear in practice.
/// Bytes stand for characters: a literal run starts with a character's
/// first byte, so it can only match where a character of `name` starts.
fn glob_matches(glob: &str, name: &str) -> bool {
    let (glob, name) = (glob.as_bytes(), name.as_bytes());
    let (mut g, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if g < glob.len() && glob[g] == b'*' {
            star = Some((g, n));
            g += 1;
        } else if g < glob.len() && glob[g] == name[n] {
            g += 1;
            n += 1;
        } else if let Some((star_g, star_n)) = star {
            g = star_g + 1;
            n = star_n + 1;
            star = Some((star_g, star_n + 1));
        } else {
            return false;
        }
    }
    glob[g..].iter().all(|&c| c == b'*')
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

pub fn split(path: &str) -> Vec<&str> {
    segments(path).collect()
}

/// The `::`-separated segments of `path`, exactly as `path.split("::")`
/// gives them, found with a byte search for `:` rather than a substring
/// search (paths are split once per distinct path on every run).
pub fn segments(path: &str) -> Segments<'_> {
    Segments { rest: Some(path) }
}

pub struct Segments<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        // Segments are short: a plain loop beats a searcher's setup.
        for at in 0..bytes.len().saturating_sub(1) {
            if bytes[at] == b':' && bytes[at + 1] == b':' {
                self.rest = Some(&rest[at + 2..]);
                return Some(&rest[..at]);
            }
        }
        self.rest = None;
        Some(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Pattern {
        Pattern::parse(text, 0..0).unwrap()
    }

    #[test]
    fn a_pattern_covers_what_lies_below_its_matches() {
        assert!(p("shop::billing").covers(&["shop", "billing", "invoice", "Line"]));
        assert!(!p("shop::billing").covers(&["shop", "billings"]));
        assert!(!p("shop::billing").covers(&["shop"]));
        assert!(p("shop::*::storage").covers(&["shop", "accounts", "storage", "Db"]));
        assert!(!p("shop::*::storage").covers(&["shop", "a", "b", "storage"]));
        assert!(p("shop::**::storage").covers(&["shop", "a", "b", "storage"]));
        assert!(p("shop::**::storage").covers(&["shop", "storage"]));
        assert!(p("shop::**").covers(&["shop"]));
    }

    #[test]
    fn members_are_the_shortest_match() {
        assert_eq!(
            p("shop::*").member_len(&["shop", "billing", "invoice"]),
            Some(2)
        );
        assert_eq!(p("shop::**").member_len(&["shop", "billing"]), Some(1));
        assert_eq!(p("shop::*").member_len(&["shop"]), None);
    }

    #[test]
    fn a_star_inside_a_segment_matches_any_run_of_characters() {
        assert!(p("bevy_*").covers(&["bevy_ecs", "world"]));
        assert!(!p("bevy_*").covers(&["bevy"]));
        assert!(p("shop::*_api").matches(&["shop", "billing_api"]));
        assert!(p("shop::*_api").matches(&["shop", "_api"]));
        assert!(!p("shop::*_api").matches(&["shop", "billing"]));
        assert!(p("a*b*c").matches(&["axxbyyc"]));
        assert!(!p("a*b*c").matches(&["axxbyy"]));
        assert!(p("**::*_api").matches(&["shop", "x", "a_api"]));
        assert_eq!(p("bevy_*").bare_name(), None);
        assert_eq!(p("bevy_*").first_name(), None);
    }

    #[test]
    fn rejects_bad_syntax() {
        assert_eq!(Pattern::parse("", 0..0).unwrap_err(), PatternError::Empty);
        assert!(matches!(
            Pattern::parse("a::::b", 0..0),
            Err(PatternError::EmptySegment(_))
        ));
        assert!(matches!(
            Pattern::parse("a::b c", 0..0),
            Err(PatternError::BadSegment { .. })
        ));
        assert!(matches!(
            Pattern::parse("a:b", 0..0),
            Err(PatternError::BadSegment { .. })
        ));
        assert!(matches!(
            Pattern::parse("shop::my-module", 0..0),
            Err(PatternError::DashInModule { .. })
        ));
    }

    /// Matching on characters, the way the glob is defined.
    fn glob_by_characters(glob: &[char], name: &[char]) -> bool {
        match glob.split_first() {
            None => name.is_empty(),
            Some(('*', rest)) => {
                (0..=name.len()).any(|skip| glob_by_characters(rest, &name[skip..]))
            }
            Some((c, rest)) => name.first() == Some(c) && glob_by_characters(rest, &name[1..]),
        }
    }

    proptest::proptest! {
        #[test]
        fn segments_split_as_str_split_does(path in "[a:é]{0,12}") {
            proptest::prop_assert_eq!(
                segments(&path).collect::<Vec<_>>(),
                path.split("::").collect::<Vec<_>>()
            );
        }

        #[test]
        fn globs_match_bytes_as_they_match_characters(
            glob in "[aé_ß*]{1,6}",
            name in "[aé_ßb]{0,8}",
        ) {
            let chars = |s: &str| s.chars().collect::<Vec<_>>();
            proptest::prop_assert_eq!(
                glob_matches(&glob, &name),
                glob_by_characters(&chars(&glob), &chars(&name))
            );
        }

        #[test]
        fn member_len_is_the_shortest_matching_prefix(
            pattern in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b", "*", "**", "a*"]), 1..4),
            path in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "ab"]), 0..5),
        ) {
            let pattern = p(&pattern.join("::"));
            let shortest = (1..=path.len()).find(|&len| pattern.matches(&path[..len]));
            proptest::prop_assert_eq!(pattern.member_len(&path), shortest);
        }
    }
}
