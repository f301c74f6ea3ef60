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
fn glob_matches(glob: &str, name: &str) -> bool {
    let (glob, name): (Vec<char>, Vec<char>) = (glob.chars().collect(), name.chars().collect());
    let (mut g, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if g < glob.len() && glob[g] == '*' {
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
    glob[g..].iter().all(|&c| c == '*')
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

pub fn split(path: &str) -> Vec<&str> {
    path.split("::").collect()
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
}
