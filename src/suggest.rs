//! "Did you mean" suggestions for names the user mistyped.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c.to_string())
}

/// ` (did you mean `x`?)` after a message, or nothing.
pub fn hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    parenthesised(&closest(input, candidates))
}

/// ` (did you mean `x`?)` for a suggestion found earlier, or nothing.
pub fn parenthesised(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_names_only() {
        let names = ["forbid", "allow", "layers"];
        assert_eq!(super::closest("forbd", names).as_deref(), Some("forbid"));
        assert_eq!(super::closest("zzz", names), None);
    }
}
