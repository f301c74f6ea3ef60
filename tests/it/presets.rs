//! The presets of `rules/`, each run on a fixture that satisfies it and one
//! that breaks it. Each preset fixture's `boundaries.toml` is a copy of its
//! preset, so `cargo boundaries` also works inside the fixture.

use serde_json::Value;

use crate::support::{check_json_with, fixture, project_root, run, violations, warnings};

const PRESETS: [&str; 3] = ["modular-monolith", "layered", "hexagonal"];

fn check_preset(preset: &str, which: &str) -> Value {
    let policy = format!("rules/{preset}.toml");
    check_json_with(&format!("preset-{preset}-{which}"), &["--policy", &policy])
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

fn assert_preset(preset: &str, which: &str, expected: &[&str]) {
    let report = check_preset(preset, which);
    let expected = sorted(expected.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        sorted(violations(&report)),
        expected,
        "preset {preset} on its {which} fixture"
    );
    assert_eq!(
        warnings(&report),
        Vec::<String>::new(),
        "preset {preset} on its {which} fixture"
    );
}

#[test]
fn every_preset_passes_its_pass_fixture() {
    for preset in PRESETS {
        assert_preset(preset, "pass", &[]);
    }
}

#[test]
fn modular_monolith_preset_catches_each_broken_promise() {
    assert_preset(
        "modular-monolith",
        "fail",
        &[
            // billing reaches into accounts' storage instead of the re-export
            "domains-talk-through-api shop::billing::api -> shop::accounts::storage::AccountStore \
             (crates/shop/src/billing/api.rs:5 use)",
            // HTTP in the accounts domain logic
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode \
             (crates/shop/src/accounts/domain.rs:13 path)",
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode::NOT_FOUND \
             (crates/shop/src/accounts/domain.rs:15 path)",
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode::UNPROCESSABLE_ENTITY \
             (crates/shop/src/accounts/domain.rs:16 path)",
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode::SERVICE_UNAVAILABLE \
             (crates/shop/src/accounts/domain.rs:17 path)",
            // a catalog entity doubles as a row
            "domain-logic-is-pure shop::catalog::domain -> sqlx::FromRow (crates/shop/src/catalog/domain.rs:5 path)",
            "persistence-only-in-storage shop::catalog::domain -> sqlx::FromRow \
             (crates/shop/src/catalog/domain.rs:5 path)",
            // billing's api handles SQL errors itself
            "persistence-only-in-storage shop::billing::api -> sqlx::Error (crates/shop/src/billing/api.rs:24 path)",
            "persistence-only-in-storage shop::billing::api -> sqlx::Error::RowNotFound \
             (crates/shop/src/billing/api.rs:26 path)",
            // accounts -> billing -> accounts, reported once at its first edge
            "no-domain-cycles shop::accounts::api -> shop::billing::InvoiceStore \
             (crates/shop/src/accounts/api.rs:13 path)",
        ],
    );
    // The manifest dependencies (`sqlx` and `axum` declared by the crate
    // root `shop`) are not covered by `shop::*`: no violation above is a
    // manifest one.
    let report = check_preset("modular-monolith", "fail");
    let cycle: Vec<String> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "acyclic")
        .flat_map(|v| v["cycle"].as_array().unwrap().iter())
        .map(|e| {
            format!(
                "{} -> {}",
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        cycle,
        [
            "shop::accounts::api -> shop::billing",
            "shop::billing::api -> shop::accounts"
        ]
    );
}

#[test]
fn layered_preset_catches_upward_calls_and_leaking_frameworks() {
    assert_preset(
        "layered",
        "fail",
        &[
            "layers-point-down shop::domain::order -> shop::application::place_order::PlaceOrder \
             (src/domain/order.rs:31 path)",
            "layers-point-down shop::infrastructure::orders_table -> shop::domain::order::Order \
             (src/infrastructure/orders_table.rs:2 use)",
            "layers-point-down shop::infrastructure::orders_table -> shop::domain::order::Order::from \
             (src/infrastructure/orders_table.rs:22 path)",
            "transport-only-in-web shop::application::place_order -> axum::http::StatusCode \
             (src/application/place_order.rs:20 path)",
            "transport-only-in-web shop::application::place_order -> axum::http::StatusCode::NOT_FOUND \
             (src/application/place_order.rs:22 path)",
            "transport-only-in-web shop::application::place_order -> axum::http::StatusCode::BAD_REQUEST \
             (src/application/place_order.rs:23 path)",
            "persistence-only-in-infrastructure shop::web::orders -> sqlx::query_scalar (src/web/orders.rs:34 path)",
        ],
    );
}

#[test]
fn hexagonal_preset_catches_outward_dependencies_and_coupled_adapters() {
    assert_preset(
        "hexagonal",
        "fail",
        &[
            "domain-is-pure shop::domain::order -> sqlx::FromRow (src/domain/order.rs:10 path)",
            "domain-is-pure shop::domain::order -> shop::application::ports::OrderRepository \
             (src/domain/order.rs:33 path)",
            "dependencies-point-inward shop::domain::order -> shop::application::ports::OrderRepository \
             (src/domain/order.rs:33 path)",
            "dependencies-point-inward shop::application::place_order -> shop::adapters::postgres::PgOrders \
             (src/application/place_order.rs:12 path)",
            "application-is-framework-free shop::application::place_order -> axum::http::StatusCode \
             (src/application/place_order.rs:15 path)",
            "application-is-framework-free shop::application::place_order -> \
             axum::http::StatusCode::UNPROCESSABLE_ENTITY (src/application/place_order.rs:17 path)",
            "application-is-framework-free shop::application::place_order -> \
             axum::http::StatusCode::SERVICE_UNAVAILABLE (src/application/place_order.rs:18 path)",
            "adapters-are-independent shop::adapters::http -> shop::adapters::postgres::PgOrders \
             (src/adapters/http.rs:44 path)",
        ],
    );
}

#[test]
fn preset_fixtures_carry_their_preset_as_boundaries_toml() {
    for preset in PRESETS {
        let rules =
            std::fs::read_to_string(project_root().join("rules").join(format!("{preset}.toml")))
                .unwrap();
        for which in ["pass", "fail"] {
            let copy = std::fs::read_to_string(
                fixture(&format!("preset-{preset}-{which}")).join("boundaries.toml"),
            )
            .unwrap();
            assert_eq!(
                copy, rules,
                "fixtures/preset-{preset}-{which}/boundaries.toml differs from rules/{preset}.toml"
            );
        }
    }
}

#[test]
fn presets_are_written_for_the_shop_crate_and_commented() {
    for preset in PRESETS {
        let text =
            std::fs::read_to_string(project_root().join("rules").join(format!("{preset}.toml")))
                .unwrap();
        let comments = text
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count();
        assert!(
            comments >= 15,
            "rules/{preset}.toml has only {comments} comment lines"
        );
        assert!(
            text.contains("Edit:"),
            "rules/{preset}.toml does not say to edit its crate lists"
        );
        let policy: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{preset}.toml: {e}"));
        let components: Vec<String> = policy
            .get("components")
            .and_then(|c| c.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        for rule in policy["rule"].as_array().unwrap() {
            assert!(
                rule.get("reason").is_some(),
                "rules/{preset}.toml: a rule without a reason: {rule}"
            );
            assert!(
                rule.get("name").is_some(),
                "rules/{preset}.toml: a rule without a name: {rule}"
            );
            for field in ["from", "to", "modules", "module", "layers", "containers"] {
                let Some(value) = rule.get(field) else {
                    continue;
                };
                let mut patterns = Vec::new();
                collect_strings(value, &mut patterns);
                for pattern in patterns {
                    let bare = pattern.trim_start_matches('!');
                    assert!(
                        bare == "shop" || bare.starts_with("shop::") || components.iter().any(|c| c == bare),
                        "rules/{preset}.toml: `{pattern}` in `{field}` starts with neither `shop` nor a component"
                    );
                }
            }
        }
    }
}

fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

// ------------------------------------------------ `init --preset` on any workspace

/// A workspace copied (or generated) into a fresh temporary folder.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn copy_of(fixture_dir: &std::path::Path) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        crate::support::copy_tree(fixture_dir, dir.path());
        // A fresh start: the fixture's own policy and baseline are gone.
        for file in ["boundaries.toml", "boundaries-baseline.toml"] {
            let _ = std::fs::remove_file(dir.path().join(file));
        }
        Scratch { dir }
    }

    fn generated(files: &[(&str, &str)]) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Scratch { dir }
    }

    fn run(&self, args: &[&str]) -> crate::support::Run {
        crate::support::run_in(self.dir.path(), args)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(file)).unwrap()
    }
}

/// Fixtures where `init` must refuse, and why: the policy lives in
/// `Cargo.toml` (a `boundaries.toml` would be a second one), or the code's
/// suppression comments name rules of the fixture's own policy, which a
/// new policy does not have.
const REFUSED: [(&str, &str); 6] = [
    ("exemptions", "unknown rule"),
    (
        "policy-in-manifest",
        "[workspace.metadata.boundaries] in Cargo.toml",
    ),
    ("suppressions", "unknown rule"),
    ("suppressions-in-strings", "unknown rule"),
    ("suppressions-reason", "unknown rule"),
    ("suppressions-unknown", "unknown rule"),
];

/// Runs `init` (with `preset`, if any) and then `check`; both must exit 0,
/// and the policy must name no empty pattern.
fn init_then_check(scratch: &Scratch, preset: Option<&str>, what: &str) -> String {
    let mut args = vec!["init", "--force"];
    if let Some(preset) = preset {
        args.extend(["--preset", preset]);
    }
    let init = scratch.run(&args);
    assert_eq!(
        init.code, 0,
        "{args:?} on {what}\nstdout:\n{}\nstderr:\n{}",
        init.stdout, init.stderr
    );
    let policy = scratch.read("boundaries.toml");
    assert!(
        !policy.contains("\"\""),
        "an empty pattern for {what}:\n{policy}"
    );
    assert!(policy.contains("[[rule]]"), "no rule for {what}:\n{policy}");
    let check = scratch.run(&["check", "-q"]);
    assert_eq!(
        check.code, 0,
        "check after {args:?} on {what}\npolicy:\n{policy}\nstdout:\n{}\nstderr:\n{}",
        check.stdout, check.stderr
    );
    policy
}

#[test]
fn every_preset_fits_every_fixture_workspace() {
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(project_root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 40, "{dirs:?}");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        for preset in PRESETS {
            let scratch = Scratch::copy_of(&dir);
            if let Some((_, why)) = REFUSED.iter().find(|(n, _)| *n == name) {
                let init = scratch.run(&["init", "--force", "--preset", preset]);
                assert_eq!(init.code, 2, "{preset} on {name}: {}", init.stderr);
                assert!(
                    init.stderr.contains(why),
                    "{preset} on {name}: {}",
                    init.stderr
                );
                assert!(!scratch.dir.path().join("boundaries.toml").exists());
                continue;
            }
            init_then_check(&scratch, Some(preset), &format!("fixtures/{name}"));
        }
    }
}

#[test]
fn every_preset_fits_this_repository() {
    // The policy is written outside the repository (its baseline beside
    // it), so the repository is read, never written.
    let root = project_root();
    let manifest = root.join("Cargo.toml").display().to_string();
    for preset in PRESETS {
        let out = tempfile::tempdir().unwrap();
        let policy = out.path().join("boundaries.toml").display().to_string();
        let common = ["--manifest-path", &manifest, "--policy", &policy];
        let mut args = vec!["init", "--preset", preset];
        args.extend(common);
        let init = run(&args);
        assert_eq!(init.code, 0, "{preset}: {}", init.stderr);
        let mut args = vec!["check", "-q"];
        args.extend(common);
        let check = run(&args);
        assert_eq!(check.code, 0, "{preset}: {}{}", check.stdout, check.stderr);
    }
}

#[test]
fn init_fits_a_workspace_without_domains() {
    // One crate, no modules, no dependencies: nothing a preset names.
    let files = [
        (
            "Cargo.toml",
            "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        ),
        ("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n"),
    ];
    let starter = init_then_check(&Scratch::generated(&files), None, "a crate without domains");
    assert!(starter.contains("kind = \"allow\""), "{starter}");
    for preset in PRESETS {
        let policy = init_then_check(&Scratch::generated(&files), Some(preset), preset);
        // Every rule of the preset is commented out, with why, and the
        // starter's rule keeps the policy checking something.
        assert!(policy.contains("# Left out: the rule `"), "{policy}");
        assert!(
            policy.contains("None of the preset's rules fits"),
            "{policy}"
        );
        assert!(
            policy.contains("name = \"tiny-declared-dependencies\""),
            "{policy}"
        );
    }
}

#[test]
fn what_a_preset_names_that_the_workspace_lacks_is_left_out_with_why() {
    let scratch = Scratch::copy_of(&fixture("demo"));
    let policy = init_then_check(&scratch, Some("layered"), "the demo");
    // The demo has no `web`, `application`, `domain` or `infrastructure`
    // module: the layers rule is commented out whole, as the preset wrote
    // it, and the exceptions that named them are left out of the others.
    assert!(
        policy.contains(
            "# Left out: the rule `layers-point-down`: fewer than two of its layers exist in this workspace."
        ),
        "{policy}"
    );
    assert!(
        policy.contains("# layers = [\"shop::web\", \"shop::application\", \"shop::domain\", \"shop::infrastructure\"]"),
        "{policy}"
    );
    assert!(
        policy.contains("# Left out `!shop::web`: pattern `shop::web` matches nothing in the workspace\nfrom = [\"shop::*\"]"),
        "{policy}"
    );
    // No rule is left with only `!` exceptions: that would mean everything.
    assert!(!policy.contains("from = [\"!"), "{policy}");
}

/// Whether `text` names `shop` as a name of its own (not inside `workshop`
/// or `shop_x`).
fn names_shop(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == "shop")
}

#[test]
fn an_instantiated_preset_names_the_real_crate_in_its_comments_too() {
    // A package spelled with `-`: its crate is `store_front`.
    let files = [
        (
            "Cargo.toml",
            "[package]\nname = \"store-front\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [workspace]\n",
        ),
        (
            "src/lib.rs",
            "pub mod web;\npub mod application;\npub mod domain;\npub mod infrastructure;\n\
             pub mod adapters;\npub mod accounts;\npub mod shared;\n",
        ),
        ("src/web.rs", "pub fn get() {}\n"),
        ("src/application.rs", "pub fn run() {}\n"),
        ("src/domain.rs", "pub struct Order;\n"),
        ("src/infrastructure.rs", "pub fn save() {}\n"),
        ("src/adapters/mod.rs", "pub mod http;\npub mod postgres;\n"),
        ("src/adapters/http.rs", "pub fn serve() {}\n"),
        ("src/adapters/postgres.rs", "pub fn connect() {}\n"),
        ("src/accounts/mod.rs", "pub mod api;\npub mod storage;\n"),
        ("src/accounts/api.rs", "pub fn open() {}\n"),
        ("src/accounts/storage.rs", "pub fn load() {}\n"),
        ("src/shared.rs", "pub struct Id(pub u64);\n"),
    ];
    for preset in PRESETS {
        let policy = init_then_check(&Scratch::generated(&files), Some(preset), preset);
        let comments: Vec<&str> = policy
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .collect();
        let stale: Vec<&&str> = comments.iter().filter(|l| names_shop(l)).collect();
        assert!(
            stale.is_empty(),
            "{preset}: comments still name `shop`: {stale:#?}\n{policy}"
        );
        assert!(
            !names_shop(&policy),
            "{preset}: the policy still names `shop`:\n{policy}"
        );
        assert!(
            comments
                .iter()
                .any(|l| l.contains("`store_front` is your crate")),
            "{preset}:\n{policy}"
        );
    }
    // The preset's table of modules keeps its column.
    let policy = init_then_check(&Scratch::generated(&files), Some("layered"), "layered");
    let preset = std::fs::read_to_string(project_root().join("rules/layered.toml")).unwrap();
    let column = |text: &str, start: &str| {
        let line = text
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starting with {start:?} in:\n{text}"));
        line.find("HTTP handlers").unwrap()
    };
    assert_eq!(
        column(&policy, "#   store_front::web "),
        column(&preset, "#   shop::web "),
        "{policy}"
    );
}
