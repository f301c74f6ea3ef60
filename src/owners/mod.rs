//! Who owns a file, from the workspace's CODEOWNERS file, by GitHub's
//! rules: the first of `.github/CODEOWNERS`, `CODEOWNERS` and
//! `docs/CODEOWNERS` that exists is the one used; within it, the last
//! pattern that matches a path decides (a pattern with no owners leaves the
//! path unowned). Patterns are gitignore's, as GitHub reads them: `/` at the
//! start anchors at the root (so does a `/` in the middle), a pattern
//! without one matches at any depth, a trailing `/` matches a directory and
//! everything below it, `*` matches within one path segment, `**` any
//! number of segments, and `docs/*` matches the files directly in `docs`
//! but not deeper ones. GitHub does not support `!` negation or `[...]`
//! ranges; lines using them are skipped, as GitHub skips them. Paths are
//! case-sensitive.
//!
//! Pure: the caller reads the file (through `source`'s contained,
//! regular-file, bounded reader).

/// Where GitHub looks for the file, in its order of precedence.
pub const LOCATIONS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// GitHub ignores a CODEOWNERS file larger than this.
pub const MAX_SIZE: usize = 3 * 1024 * 1024;

/// The owners of a violation: of the file it is in, and of the module it
/// reaches (none for an external crate).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ViolationOwners {
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// The rules of one CODEOWNERS file, in file order.
#[derive(Debug, Clone, Default)]
pub struct Codeowners {
    /// The file's path relative to the workspace root.
    pub file: String,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    /// Pattern segments, with `**` in front for an unanchored pattern.
    segments: Vec<String>,
    /// A trailing `/`: the pattern names a directory.
    directory: bool,
    owners: Vec<String>,
}

impl Codeowners {
    pub fn parse(file: &str, text: &str) -> Codeowners {
        let rules = text.lines().filter_map(rule).collect();
        Codeowners {
            file: file.to_string(),
            rules,
        }
    }

    /// The owners of `path` (relative to the root, with `/`): those of the
    /// last rule that matches it, none when no rule does.
    pub fn owners(&self, path: &str) -> &[String] {
        let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        self.rules
            .iter()
            .rev()
            .find(|rule| rule.matches(&components))
            .map_or(&[], |rule| &rule.owners)
    }
}

/// One line as a rule, or `None` for a blank line, a comment or a pattern
/// GitHub does not support.
fn rule(line: &str) -> Option<Rule> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut words = line.split_whitespace();
    let pattern = words.next()?;
    // An escaped leading `#` is a pattern starting with `#`.
    let pattern = pattern.strip_prefix('\\').unwrap_or(pattern);
    if pattern.starts_with('!') || pattern.contains('[') {
        return None;
    }
    let owners = words
        .take_while(|w| !w.starts_with('#'))
        .map(str::to_string)
        .collect();
    let directory = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.starts_with('/') || body.trim_start_matches('/').contains('/');
    let mut segments: Vec<String> = body
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if segments.is_empty() {
        // `/` alone: the whole repository.
        segments.push("**".to_string());
    }
    if !anchored {
        segments.insert(0, "**".to_string());
    }
    Some(Rule {
        segments,
        directory,
        owners,
    })
}

impl Rule {
    /// Whether the rule covers a file: the pattern matches the file's path,
    /// or one of its directories (then everything below is covered), but a
    /// pattern ending in a lone `*` covers only what it matches directly.
    fn matches(&self, path: &[&str]) -> bool {
        let only_direct = self.segments.last().is_some_and(|s| s == "*");
        let segments: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        if !self.directory && full_match(&segments, path) {
            return true;
        }
        if only_direct {
            return false;
        }
        // A directory of the path: every proper prefix.
        (1..path.len()).any(|len| full_match(&segments, &path[..len]))
    }
}

/// Whether the pattern segments match exactly the path components.
fn full_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| full_match(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(head, tail)| segment_match(first, head) && full_match(rest, tail)),
    }
}

/// `*` any run of characters, `?` one character, within a segment.
fn segment_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Classic two-pointer wildcard match with backtracking to the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners<'a>(file: &'a Codeowners, path: &str) -> Vec<&'a str> {
        file.owners(path).iter().map(String::as_str).collect()
    }

    /// The examples of GitHub's documentation of CODEOWNERS.
    #[test]
    fn githubs_examples() {
        let file = Codeowners::parse(
            "CODEOWNERS",
            "# a comment\n\
             *       @global-owner1 @global-owner2\n\
             *.js    @js-owner #This is an inline comment.\n\
             *.go docs@example.com\n\
             *.txt @octo-org/octocats\n\
             /build/logs/ @doctocat\n\
             docs/*  docs@example.com\n\
             apps/ @octocat\n\
             /docs/ @doctocat\n\
             /scripts/ @doctocat @octocat\n\
             **/logs @octocat\n\
             /apps/ @octocat\n\
             /apps/github\n\
             /apps/ @octocat\n\
             /apps/github @doctocat\n",
        );
        assert_eq!(
            owners(&file, "README.md"),
            ["@global-owner1", "@global-owner2"]
        );
        assert_eq!(owners(&file, "src/a.js"), ["@js-owner"]);
        assert_eq!(owners(&file, "main.go"), ["docs@example.com"]);
        // `/build/logs/` matches, but the later `**/logs` wins.
        assert_eq!(owners(&file, "build/logs/x.log"), ["@octocat"]);
        assert_eq!(owners(&file, "deep/build/logs/x.log"), ["@octocat"]);
        assert_eq!(owners(&file, "a/build.txt"), ["@octo-org/octocats"]);
        // `docs/*` covers docs' own files, `/docs/` (later) all of it.
        assert_eq!(owners(&file, "docs/getting-started.md"), ["@doctocat"]);
        assert_eq!(owners(&file, "x/apps/y.rs"), ["@octocat"]);
        assert_eq!(owners(&file, "scripts/run.sh"), ["@doctocat", "@octocat"]);
        assert_eq!(owners(&file, "a/b/logs/c.txt"), ["@octocat"]);
        assert_eq!(owners(&file, "apps/github/main.rs"), ["@doctocat"]);
        assert_eq!(owners(&file, "apps/other.rs"), ["@octocat"]);
    }

    #[test]
    fn a_lone_star_after_a_directory_is_not_recursive() {
        let file = Codeowners::parse("CODEOWNERS", "docs/* @docs\n");
        assert_eq!(owners(&file, "docs/a.md"), ["@docs"]);
        assert!(owners(&file, "docs/build-app/b.md").is_empty());
    }

    #[test]
    fn the_last_match_wins_and_no_owners_unsets() {
        let file = Codeowners::parse("CODEOWNERS", "* @all\n/src/ @src\n/src/gen/\n");
        assert_eq!(owners(&file, "src/lib.rs"), ["@src"]);
        assert!(owners(&file, "src/gen/x.rs").is_empty());
        assert_eq!(owners(&file, "Cargo.toml"), ["@all"]);
    }

    #[test]
    fn unsupported_patterns_are_skipped() {
        let file = Codeowners::parse("CODEOWNERS", "* @all\n!src/ @nobody\n[ab].rs @x\n");
        assert_eq!(owners(&file, "src/a.rs"), ["@all"]);
        assert_eq!(owners(&file, "a.rs"), ["@all"]);
    }

    #[test]
    fn wildcards_stay_within_a_segment() {
        assert!(segment_match("*.rs", "lib.rs"));
        assert!(!segment_match("*.rs", "lib.rsx"));
        assert!(segment_match("a?c*", "abcdef"));
        let file = Codeowners::parse("CODEOWNERS", "/src/*.rs @rs\n");
        assert_eq!(owners(&file, "src/lib.rs"), ["@rs"]);
        assert!(owners(&file, "src/a/lib.rs").is_empty());
    }
}
