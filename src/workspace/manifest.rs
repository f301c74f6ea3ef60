//! Locates dependency keys in a `Cargo.toml`, so a manifest dependency can be
//! reported at the line that declares it.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Dependency table name (`dependencies`, `dev-dependencies`, ...) → key →
/// byte range of the key. Target-specific tables are merged into the plain
/// ones; the first occurrence of a key wins.
pub type DependencyKeys = BTreeMap<String, BTreeMap<String, Range<usize>>>;

pub fn dependency_keys(text: &str) -> DependencyKeys {
    let mut keys = DependencyKeys::new();
    let Ok(root) = DeTable::parse(text) else {
        return keys;
    };
    collect(root.get_ref(), &mut keys);
    if let Some(targets) = root
        .get_ref()
        .get("target")
        .and_then(|t| t.get_ref().as_table())
    {
        for platform in targets.values() {
            if let Some(table) = platform.get_ref().as_table() {
                collect(table, &mut keys);
            }
        }
    }
    keys
}

fn collect(table: &DeTable<'_>, keys: &mut DependencyKeys) {
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = table.get(section).map(Spanned::get_ref) else {
            continue;
        };
        let DeValue::Table(deps) = deps else {
            continue;
        };
        let entry = keys.entry(section.to_string()).or_default();
        for key in deps.keys() {
            entry
                .entry(key.get_ref().to_string())
                .or_insert_with(|| key.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_plain_and_target_tables() {
        let text = "[package]\nname = \"a\"\n[dependencies]\nserde = \"1\"\n\
                    [target.'cfg(unix)'.dev-dependencies]\nlibc = \"0.2\"\n";
        let keys = dependency_keys(text);
        let serde = keys["dependencies"]["serde"].clone();
        assert_eq!(&text[serde], "serde");
        let libc = keys["dev-dependencies"]["libc"].clone();
        assert_eq!(&text[libc], "libc");
    }
}
