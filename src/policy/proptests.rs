//! Property tests: whatever text a repository commits as its policy, the
//! reader and validation report problems and never panic. Bounded so
//! `cargo test` stays fast.

use proptest::prelude::*;

use super::{parse, validate, CrateNames, PolicyPlace, PolicySource, Universe};

fn universe() -> Universe {
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    Universe::new(
        [
            "shop",
            "shop::a",
            "shop::a::api",
            "shop::b",
            "shop::b::storage",
        ]
        .map(String::from),
        [("shop::a", ["Thing"]), ("shop::b::storage", ["Db"])],
        set(&["shop"]),
        set(&["std", "core", "alloc", "sqlx", "axum"]),
    )
}

/// Reads, compiles and validates `text` as a policy found at `place`.
fn read_all(text: &str, place: PolicyPlace) {
    let source = PolicySource {
        path: "boundaries.toml".into(),
        display: "boundaries.toml".to_string(),
        text: text.to_string(),
    };
    let (policy, errors) = parse(source, place, &CrateNames::default());
    let (compiled, compile_errors) = crate::check::compile(&policy);
    let universe = universe();
    let mut all = errors;
    all.extend(compile_errors);
    all.extend(validate(&policy, compiled.patterns(), &universe));
    all.extend(compiled.validate(&universe));
    for error in all {
        if let Some(span) = error.span {
            assert!(span.start <= span.end && span.end <= text.len().max(1) + 1);
        }
    }
}

/// A pattern-ish string: names, `*`, `**`, `::`, `!`, dashes, odd bytes.
fn pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("shop".to_string()),
        Just("shop::*".to_string()),
        Just("!shop::a".to_string()),
        Just("**".to_string()),
        Just(String::new()),
        "[a-z_*!:-]{0,12}",
        "(shop|sqlx|x)(::(\\*|\\*\\*|[a-z_]{1,4}|[a-z]*\\*[a-z]*)){0,4}",
    ]
}

/// A TOML value of any shape a field might get.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        pattern().prop_map(|p| format!("{p:?}")),
        Just("true".to_string()),
        Just("3".to_string()),
        Just("1.5".to_string()),
        Just("{ a = 1 }".to_string()),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop::collection::vec(inner, 0..5).prop_map(|items| format!("[{}]", items.join(", ")))
    })
}

fn rule() -> impl Strategy<Value = String> {
    let kind = prop_oneof![
        Just("forbid"),
        Just("allow"),
        Just("layers"),
        Just("independent"),
        Just("interface"),
        Just("acyclic"),
        Just("forbd"),
    ];
    let field = prop_oneof![
        Just("from"),
        Just("to"),
        Just("modules"),
        Just("module"),
        Just("expose"),
        Just("layers"),
        Just("containers"),
        Just("strict"),
        Just("name"),
        Just("severity"),
        Just("reason"),
        Just("form"),
    ];
    (
        prop::option::of(kind),
        prop::collection::btree_map(field, value(), 0..6),
    )
        .prop_map(|(kind, fields)| {
            let mut out = String::from("\n[[rule]]\n");
            if let Some(kind) = kind {
                out.push_str(&format!("kind = {kind:?}\n"));
            }
            for (field, value) in fields {
                out.push_str(&format!("{field} = {value}\n"));
            }
            out
        })
}

fn structured_policy() -> impl Strategy<Value = String> {
    (
        prop::option::of(value()),
        prop::collection::btree_map("[a-z]{1,3}", value(), 0..3),
        prop::collection::vec(rule(), 0..4),
        prop::option::of(value()),
    )
        .prop_map(|(version, components, rules, baseline)| {
            let mut out = String::new();
            if let Some(version) = version {
                out.push_str(&format!("version = {version}\n"));
            }
            if let Some(baseline) = baseline {
                out.push_str(&format!("[settings]\nbaseline = {baseline}\n"));
            }
            if !components.is_empty() {
                out.push_str("[components]\n");
                for (name, value) in components {
                    out.push_str(&format!("{name} = {value}\n"));
                }
            }
            out.extend(rules);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "[a-z\\[\\]=\"'!:*#{},.0-9 \\n_-]{0,200}") {
        read_all(&text, PolicyPlace::File);
        read_all(&text, PolicyPlace::WorkspaceMetadata);
    }

    #[test]
    fn random_policies_never_panic(text in structured_policy()) {
        read_all(&text, PolicyPlace::File);
        let nested = text
            .replace("[[rule]]", "[[workspace.metadata.boundaries.rule]]")
            .replace("[settings]", "[workspace.metadata.boundaries.settings]")
            .replace("[components]", "[workspace.metadata.boundaries.components]");
        read_all(
            &format!("[workspace.metadata.boundaries]\n{nested}"),
            PolicyPlace::WorkspaceMetadata,
        );
    }
}
