//! Adopting the tool on a legacy workspace, end to end: `init` on
//! `fixtures/legacy` (dozens of existing violations, no policy), then the
//! baseline ratchet as a team lives it: CI green at once, a new violation
//! fails on its line, a fixed one asks for the baseline to shrink, unrelated
//! edits leave the baseline alone.
//!
//! Every test works on its own copy of the fixture in the system's temporary
//! folder (outside this project's target folder, which the tool skips), so
//! the committed fixture is never modified.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::support::{copy_tree, fixture, run_in, Run};

const POLICY: &str = "boundaries.toml";
const BASELINE: &str = "boundaries-baseline.toml";

const INTERFACES: &str = "shop-domain-interfaces";
const CYCLES: &str = "shop-no-domain-cycles";
const PURE: &str = "shop-domain-logic-is-pure";

/// A copy of a fixture in a fresh temporary folder, removed on drop.
struct Copy {
    root: PathBuf,
}

impl Copy {
    fn of(name: &str, test: &str) -> Copy {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cargo-boundaries-adoption-{test}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let root = dir.canonicalize().unwrap();
        copy_tree(&fixture(name), &root);
        Copy { root }
    }

    /// A copy of `fixtures/legacy` with `init` run on it.
    fn legacy_initialised(test: &str) -> Copy {
        let copy = Copy::of("legacy", test);
        copy.expect(&["init"], 0);
        copy
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn run(&self, args: &[&str]) -> Run {
        run_in(&self.root, args)
    }

    /// Runs and asserts the exit code, showing the output if it differs.
    fn expect(&self, args: &[&str], code: i32) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code,
            code,
            "`cargo boundaries {}` in {}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.root.display(),
            run.stdout,
            run.stderr
        );
        run
    }

    /// `check --format json` plus `extra`, expecting `code`.
    fn report(&self, extra: &[&str], code: i32) -> Value {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let run = self.expect(&args, code);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("bad JSON: {e}\n{}", run.stdout))
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path(relative), text).unwrap();
    }

    /// Appends one line to a file; returns its 1-based line number.
    fn append_line(&self, relative: &str, line: &str) -> usize {
        let mut text = self.read(relative);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(line);
        text.push('\n');
        self.write(relative, &text);
        text.lines().count()
    }

    /// Replaces the one occurrence of `old` in a file with `new`.
    fn replace(&self, relative: &str, old: &str, new: &str) {
        let text = self.read(relative);
        assert_eq!(text.matches(old).count(), 1, "`{old}` once in {relative}");
        self.write(relative, &text.replace(old, new));
    }

    /// Every `.rs` file of the copy, relative to its root, sorted.
    fn rust_files(&self) -> Vec<String> {
        let mut found = Vec::new();
        collect_rust_files(&self.root, &self.root, &mut found);
        found.sort();
        found
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn collect_rust_files(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rust_files(root, &path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap();
            found.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The baseline's entries as `rule from -> to: count`, in file order.
fn baseline_entries(text: &str) -> Vec<(String, usize)> {
    let table: toml::Table = text.parse().expect("the baseline is TOML");
    let Some(list) = table.get("violation") else {
        return Vec::new();
    };
    list.as_array()
        .expect("`violation` is an array")
        .iter()
        .map(|entry| {
            let field = |name: &str| entry[name].as_str().unwrap().to_string();
            (
                format!("{} {} -> {}", field("rule"), field("from"), field("to")),
                usize::try_from(entry["count"].as_integer().unwrap()).unwrap(),
            )
        })
        .collect()
}

fn count_of(entries: &[(String, usize)], key: &str) -> Option<usize> {
    entries.iter().find(|(k, _)| k == key).map(|(_, c)| *c)
}

fn array<'a>(report: &'a Value, field: &str) -> &'a Vec<Value> {
    report[field]
        .as_array()
        .unwrap_or_else(|| panic!("`{field}` is an array"))
}

/// The violations the baseline does not cover.
fn new_violations(report: &Value) -> Vec<&Value> {
    array(report, "violations")
        .iter()
        .filter(|v| v["baselined"] != Value::Bool(true))
        .collect()
}

fn annotations(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect()
}

#[test]
fn the_legacy_fixture_has_no_policy() {
    // `init` writes it; a committed one would make the tests meaningless.
    assert!(!fixture("legacy").join(POLICY).exists());
    assert!(!fixture("legacy").join(BASELINE).exists());
}

/// a. `init` records the existing violations, and CI is green at once.
#[test]
fn init_writes_a_policy_and_a_baseline_and_check_passes_at_once() {
    let copy = Copy::of("legacy", "init");
    let init = copy.expect(&["init"], 0);
    assert!(
        init.stdout
            .contains("wrote boundaries.toml and boundaries-baseline.toml"),
        "init says what it wrote:\n{}",
        init.stdout
    );

    // The starter policy: domains behind their `api`, no cycles, pure domain
    // logic against the web and SQL crates the workspace declares.
    let policy = copy.read(POLICY);
    for expected in [
        "kind = \"interface\"",
        "module = [\"shop::*\", \"!shop::shared\"]",
        "expose = [\"api\"]",
        "kind = \"acyclic\"",
        "kind = \"forbid\"",
        "from = \"shop::*::domain\"",
        "web = [\"axum\"]",
        "sql = [\"sqlx\"]",
    ] {
        assert!(policy.contains(expected), "{expected} in:\n{policy}");
    }

    let entries = baseline_entries(&copy.read(BASELINE));
    let recorded: usize = entries.iter().map(|(_, count)| count).sum();
    assert!(recorded >= 30, "dozens of violations, got {recorded}");
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(entries, sorted, "the baseline is sorted");
    assert!(
        init.stdout
            .contains(&format!("{recorded} existing violations recorded")),
        "{}",
        init.stdout
    );

    // CI is green right away, in every format.
    let human = copy.expect(&["check"], 0);
    assert!(
        human.stdout.contains(&format!("{recorded} baselined")),
        "{}",
        human.stdout
    );
    let github = copy.expect(&["check", "--format", "github"], 0);
    assert_eq!(annotations(&github.stdout), Vec::<&str>::new());
    copy.expect(&["check", "--format", "sarif"], 0);
    copy.expect(&["check", "--format", "gitlab"], 0);

    let report = copy.report(&[], 0);
    let violations = array(&report, "violations");
    assert_eq!(violations.len(), recorded);
    assert!(violations.len() >= 30);
    assert!(
        violations
            .iter()
            .all(|v| v["baselined"] == Value::Bool(true)),
        "every violation is baselined"
    );
    assert_eq!(array(&report, "warnings"), &Vec::<Value>::new());
    // All three rules are broken today, from the library and both binaries.
    for rule in [INTERFACES, CYCLES, PURE] {
        assert!(violations.iter().any(|v| v["rule"] == rule), "{rule}");
    }
    for from in ["shop::orders::api", "shop_server::handlers", "shop_admin"] {
        assert!(violations.iter().any(|v| v["from"] == from), "{from}");
    }
}

/// b. `init` never overwrites what it wrote without `--force`.
#[test]
fn init_refuses_to_overwrite_without_force() {
    let copy = Copy::legacy_initialised("init-twice");
    let (policy, baseline) = (copy.read(POLICY), copy.read(BASELINE));

    let again = copy.expect(&["init"], 2);
    assert!(
        again.stderr.contains("already exists") && again.stderr.contains("--force"),
        "{}",
        again.stderr
    );
    assert_eq!(copy.read(POLICY), policy);
    assert_eq!(copy.read(BASELINE), baseline);

    // With --force it writes both again, over local edits.
    copy.write(POLICY, &format!("{policy}\n# edited by hand\n"));
    copy.write(BASELINE, "version = 1\n");
    copy.expect(&["init", "--force"], 0);
    assert_eq!(copy.read(POLICY), policy);
    assert_eq!(copy.read(BASELINE), baseline);
    copy.expect(&["check"], 0);
}

/// b. A refused `init` changes nothing: with a baseline left from earlier
/// but no policy, it must not write the policy and then stop at the
/// baseline, leaving a new policy beside an old baseline.
#[test]
fn init_refusing_to_overwrite_the_baseline_writes_nothing() {
    let copy = Copy::legacy_initialised("init-old-baseline");
    std::fs::remove_file(copy.path(POLICY)).unwrap();
    let old_baseline = "# from an earlier policy\nversion = 1\n";
    copy.write(BASELINE, old_baseline);

    let run = copy.expect(&["init"], 2);
    assert!(
        run.stderr.contains(BASELINE) && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(copy.read(BASELINE), old_baseline);
    assert!(
        !copy.path(POLICY).exists(),
        "a refused init left a new boundaries.toml beside the old baseline"
    );
}

/// c. A new violation fails CI with one annotation, on its line.
#[test]
fn a_new_violation_fails_with_one_annotation_on_its_line() {
    let copy = Copy::legacy_initialised("new-violation");
    let file = "crates/shop/src/billing/api.rs";
    let before = count_of(
        &baseline_entries(&copy.read(BASELINE)),
        &format!("{INTERFACES} shop::billing::api -> shop::orders::storage"),
    );
    assert_eq!(before, Some(1), "billing reaches into orders' storage once");
    // A second reach into the orders' storage: the count grows past the
    // baseline's.
    let line = copy.append_line(
        file,
        "pub use crate::orders::storage::for_account as orders_of;",
    );

    let human = copy.expect(&["check"], 1);
    assert!(human.stdout.contains("1 violation"), "{}", human.stdout);

    let github = copy.expect(&["check", "--format", "github"], 1);
    let found = annotations(&github.stdout);
    assert_eq!(found.len(), 1, "exactly one annotation:\n{}", github.stdout);
    let expected = format!(
        "::error file={file},line={line},col=9,endLine={line},endColumn=44,title={INTERFACES}::"
    );
    assert!(
        found[0].starts_with(&expected),
        "{}\nnot {expected}",
        found[0]
    );
    assert!(
        found[0].contains("reaches into `shop::orders::storage`")
            && found[0].contains("the baseline allows 1 of these"),
        "{}",
        found[0]
    );

    let report = copy.report(&[], 1);
    let new = new_violations(&report);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["file"], file);
    assert_eq!(new[0]["line"], line);
    assert_eq!(new[0]["to"], "shop::orders::storage");
}

/// d. Fixing old violations is a stale-baseline error until the baseline is
/// shrunk; then CI is green again.
#[test]
fn fixing_an_old_violation_asks_for_the_baseline_to_shrink() {
    let copy = Copy::legacy_initialised("fix");
    let before = baseline_entries(&copy.read(BASELINE));
    let orders_to_accounts = format!("{INTERFACES} shop::orders::api -> shop::accounts::storage");
    let handlers_to_catalog =
        format!("{INTERFACES} shop_server::handlers -> shop::catalog::storage");
    assert_eq!(count_of(&before, &orders_to_accounts), Some(3));
    assert_eq!(count_of(&before, &handlers_to_catalog), Some(1));

    // Checkout reads the address through the accounts' api (3 -> 2) ...
    copy.replace(
        "crates/shop/src/orders/api.rs",
        "crate::accounts::storage::address(pool, account.id)",
        "crate::accounts::api::shipping_address(pool, account.id)",
    );
    // ... and the product handler goes through the catalogue's (1 -> 0).
    copy.replace(
        "crates/shop-server/src/handlers.rs",
        "shop::catalog::storage::find(&pool, ProductId(id))",
        "shop::catalog::api::product(&pool, ProductId(id))",
    );

    let report = copy.report(&[], 1);
    assert_eq!(new_violations(&report), Vec::<&Value>::new());
    let warnings = array(&report, "warnings");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    for warning in warnings {
        assert_eq!(warning["code"], "stale-baseline");
        assert_eq!(warning["severity"], "error");
        assert_eq!(warning["file"], BASELINE);
        let message = warning["message"].as_str().unwrap();
        assert!(
            message.contains("run `cargo boundaries baseline`"),
            "{message}"
        );
    }
    let messages: Vec<&str> = warnings
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("allows 3")
            && m.contains("`shop::orders::api` to `shop::accounts::storage`")
            && m.contains("but 2 remain")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("allows 1")
            && m.contains("`shop_server::handlers` to `shop::catalog::storage`")
            && m.contains("but 0 remain")),
        "{messages:#?}"
    );
    let short = copy.expect(&["check", "--format", "short"], 1);
    assert!(
        short.stdout.contains("error[stale-baseline]"),
        "{}",
        short.stdout
    );

    // Shrinking is always allowed.
    let shrink = copy.expect(&["baseline"], 0);
    assert!(shrink.stdout.contains("wrote boundaries-baseline.toml"));
    let after = baseline_entries(&copy.read(BASELINE));
    assert_eq!(count_of(&after, &orders_to_accounts), Some(2));
    assert_eq!(count_of(&after, &handlers_to_catalog), None);
    assert_eq!(after.len(), before.len() - 1);
    let total = |entries: &[(String, usize)]| entries.iter().map(|(_, c)| c).sum::<usize>();
    assert_eq!(total(&after), total(&before) - 2);
    // Everything else is as it was.
    let unchanged = |e: &&(String, usize)| e.0 != orders_to_accounts && e.0 != handlers_to_catalog;
    assert_eq!(
        after.iter().filter(unchanged).collect::<Vec<_>>(),
        before.iter().filter(unchanged).collect::<Vec<_>>()
    );

    copy.expect(&["check"], 0);
    let report = copy.report(&[], 0);
    assert_eq!(array(&report, "warnings"), &Vec::<Value>::new());
}

/// e. `baseline` refuses to grow; `--force` accepts the new violation.
#[test]
fn the_baseline_may_only_shrink_unless_forced() {
    let copy = Copy::legacy_initialised("grow");
    let baseline = copy.read(BASELINE);
    let key = format!("{INTERFACES} shop_server::handlers -> shop::billing::storage");
    assert_eq!(count_of(&baseline_entries(&baseline), &key), None);
    copy.append_line(
        "crates/shop-server/src/handlers.rs",
        "pub use shop::billing::storage::mark_paid;",
    );

    let refused = copy.expect(&["baseline"], 2);
    assert!(
        refused.stderr.contains("may only shrink")
            && refused
                .stderr
                .contains("`shop_server::handlers` to `shop::billing::storage`: 1")
            && refused.stderr.contains("--force"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        copy.read(BASELINE),
        baseline,
        "a refused baseline is unchanged"
    );
    copy.expect(&["check"], 1);

    let forced = copy.expect(&["baseline", "--force"], 0);
    assert!(forced.stdout.contains("wrote boundaries-baseline.toml"));
    let after = baseline_entries(&copy.read(BASELINE));
    assert_eq!(count_of(&after, &key), Some(1));
    assert_eq!(after.len(), baseline_entries(&baseline).len() + 1);
    copy.expect(&["check"], 0);
}

/// Puts the item blocks of a file (separated by blank lines, after its
/// `//!` docs and `use` lines) in reverse order.
fn reverse_items(text: &str) -> String {
    let blocks: Vec<&str> = text.trim_end().split("\n\n").collect();
    let header = blocks
        .iter()
        .take_while(|b| b.starts_with("//!") || b.starts_with("use ") || b.starts_with("mod "))
        .count();
    let mut items: Vec<&str> = blocks[header..].to_vec();
    items.reverse();
    let mut out: Vec<&str> = blocks[..header].to_vec();
    out.extend(items);
    out.join("\n\n") + "\n"
}

/// f. Edits that move violations around without adding or fixing any leave
/// the baseline byte for byte as it was.
#[test]
fn unrelated_edits_leave_the_baseline_byte_identical() {
    let copy = Copy::legacy_initialised("unrelated");
    let baseline = copy.read(BASELINE);
    let lines_before: Vec<Value> = array(&copy.report(&[], 0), "violations")
        .iter()
        .map(|v| v["line"].clone())
        .collect();

    // Functions reordered in the api modules and the handlers ...
    for file in [
        "crates/shop/src/accounts/api.rs",
        "crates/shop/src/catalog/api.rs",
        "crates/shop/src/inventory/api.rs",
        "crates/shop/src/shipping/api.rs",
        "crates/shop-server/src/handlers.rs",
    ] {
        let text = copy.read(file);
        let reordered = reverse_items(&text);
        assert_ne!(reordered, text, "{file} was reordered");
        copy.write(file, &reordered);
    }

    // ... and a licence header and blank lines on top of every file.
    let files = copy.rust_files();
    assert!(files.len() >= 25, "{files:?}");
    for file in &files {
        let text = copy.read(file);
        copy.write(
            file,
            &format!("// SPDX-License-Identifier: MIT\n// Copyright the shop authors.\n\n\n{text}"),
        );
    }
    let report = copy.report(&[], 0);
    let lines_after: Vec<Value> = array(&report, "violations")
        .iter()
        .map(|v| v["line"].clone())
        .collect();
    assert_ne!(lines_after, lines_before, "the violations moved");
    assert_eq!(new_violations(&report), Vec::<&Value>::new());
    assert_eq!(array(&report, "warnings"), &Vec::<Value>::new());

    copy.expect(&["baseline"], 0);
    assert_eq!(copy.read(BASELINE), baseline, "byte for byte");
    copy.expect(&["baseline", "--force"], 0);
    assert_eq!(copy.read(BASELINE), baseline, "byte for byte");
    copy.expect(&["check"], 0);
}

/// g. `--no-baseline` shows everything the baseline covers.
#[test]
fn no_baseline_reports_every_violation() {
    let copy = Copy::legacy_initialised("no-baseline");
    let recorded: usize = baseline_entries(&copy.read(BASELINE))
        .iter()
        .map(|(_, c)| c)
        .sum();

    let report = copy.report(&["--no-baseline"], 1);
    let violations = array(&report, "violations");
    assert_eq!(violations.len(), recorded);
    assert!(violations
        .iter()
        .all(|v| v["baselined"] == Value::Bool(false)));
    assert_eq!(array(&report, "warnings"), &Vec::<Value>::new());

    let human = copy.expect(&["check", "--no-baseline"], 1);
    assert!(
        human.stdout.contains(&format!("{recorded} violations")),
        "{}",
        human.stdout
    );
    let github = copy.expect(&["check", "--no-baseline", "--format", "github"], 1);
    assert_eq!(annotations(&github.stdout).len(), recorded);
}

/// h. Editors (rust-analyzer) get the new violation as a cargo
/// `compiler-message` on the right file and line; baselined ones stay quiet.
#[test]
fn editors_get_the_new_violation_as_a_compiler_message() {
    let copy = Copy::legacy_initialised("editor");
    let file = "crates/shop-server/src/handlers.rs";
    let line = copy.append_line(file, "pub use shop::billing::storage::mark_paid;");

    let run = copy.expect(&["check", "--message-format", "json"], 1);
    let messages: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let compiler: Vec<&Value> = messages
        .iter()
        .filter(|m| m["reason"] == "compiler-message")
        .collect();
    assert_eq!(compiler.len(), 1, "{}", run.stdout);
    let message = &compiler[0]["message"];
    assert_eq!(message["level"], "error");
    assert_eq!(message["code"]["code"], format!("boundaries::{INTERFACES}"));
    let span = &message["spans"][0];
    assert_eq!(span["file_name"], file);
    assert_eq!(span["line_start"], line);
    assert_eq!(span["line_end"], line);
    assert_eq!(span["column_start"], 9);
    assert_eq!(span["is_primary"], true);
    assert_eq!(compiler[0]["target"]["name"], "shop-server");
    assert_eq!(
        messages.last().unwrap(),
        &serde_json::json!({"reason": "build-finished", "success": false})
    );
}

/// A fix that leaves a known cycle in place must not turn it into new
/// violations. The cycle accounts -> billing -> accounts stays (accounts
/// still uses billing's domain types); only the reach into billing's storage
/// goes away. The cycle's baseline entry must keep covering it, or fixing
/// one violation blocks CI and `baseline` demands `--force`.
#[test]
fn fixing_a_reference_keeps_a_known_cycle_baselined() {
    let copy = Copy::legacy_initialised("cycle-kept");
    let before = baseline_entries(&copy.read(BASELINE));
    let cycles: usize = before
        .iter()
        .filter(|(k, _)| k.starts_with(CYCLES))
        .map(|(_, c)| c)
        .sum();
    assert!(cycles > 0);

    // accounts::api now asks billing's api instead of its storage.
    copy.replace(
        "crates/shop/src/accounts/api.rs",
        "use crate::billing::storage::open_invoices;",
        "use crate::billing::api::open_invoices;",
    );

    let report = copy.report(&[], 1);
    let new: Vec<String> = new_violations(&report)
        .iter()
        .map(|v| format!("{} {}", v["rule"], v["message"]))
        .collect();
    assert_eq!(new, Vec::<String>::new(), "no new violations");
    // Only the interface violation went away; every cycle is still there.
    let still: usize = array(&report, "violations")
        .iter()
        .filter(|v| v["rule"] == CYCLES)
        .count();
    assert_eq!(still, cycles);
    copy.expect(&["baseline"], 0);
    copy.expect(&["check"], 0);
}

/// i. `init --preset` on the demo writes the preset for the demo's modules.
#[test]
fn init_with_a_preset_fits_the_workspace() {
    let copy = Copy::of("demo", "preset");
    std::fs::remove_file(copy.path(POLICY)).unwrap();

    let init = copy.expect(&["init", "--preset", "modular-monolith"], 0);
    assert!(
        init.stdout.contains("wrote boundaries.toml"),
        "{}",
        init.stdout
    );
    let policy = copy.read(POLICY);
    for expected in [
        "modular-monolith",
        "module = [\"shop::*\", \"!shop::shared\"]",
        "from = \"shop::*::domain\"",
        "transport = [\"axum\"]",
        "persistence = [\"sqlx\"]",
    ] {
        assert!(policy.contains(expected), "{expected} in:\n{policy}");
    }
    // It validates and passes, with the demo's known shortcuts baselined.
    let report = copy.report(&[], 0);
    assert_eq!(array(&report, "warnings"), &Vec::<Value>::new());
    assert!(!array(&report, "violations").is_empty());
    let baseline = copy.read(BASELINE);
    assert!(
        baseline.contains("from = \"shop::billing::api\"")
            && baseline.contains("to = \"shop::accounts::storage\""),
        "{baseline}"
    );
    copy.expect(&["check"], 0);

    // Refuses to overwrite, and unknown presets get a suggestion.
    copy.expect(&["init", "--preset", "layered"], 2);
    assert_eq!(copy.read(POLICY), policy);
    let unknown = copy.expect(&["init", "--preset", "modular-monolit", "--force"], 2);
    assert!(
        unknown.stderr.contains("did you mean `modular-monolith`"),
        "{}",
        unknown.stderr
    );
    assert_eq!(copy.read(POLICY), policy);
}

/// i. The preset is instantiated with the crate's real name.
#[test]
fn init_with_a_preset_uses_the_real_crate_name() {
    let copy = Copy::of("demo", "preset-renamed");
    std::fs::remove_file(copy.path(POLICY)).unwrap();
    // The domain crate is called `storefront` here.
    copy.replace(
        "crates/shop/Cargo.toml",
        "name = \"shop\"",
        "name = \"storefront\"",
    );
    copy.replace(
        "crates/shop-web/Cargo.toml",
        "shop = { path = \"../shop\" }",
        "storefront = { path = \"../shop\" }",
    );
    for file in copy.rust_files() {
        if file.starts_with("crates/shop-web/") {
            let text = copy.read(&file);
            let renamed = text
                .replace("use shop::", "use storefront::")
                .replace(" shop::", " storefront::")
                .replace("(shop::", "(storefront::")
                .replace("<shop::", "<storefront::");
            copy.write(&file, &renamed);
        }
    }

    copy.expect(&["init", "--preset", "modular-monolith"], 0);
    let policy = copy.read(POLICY);
    assert!(
        policy.contains("module = [\"storefront::*\", \"!storefront::shared\"]")
            && policy.contains("from = \"storefront::*::domain\"")
            && !policy.contains("\"shop::"),
        "{policy}"
    );
    copy.expect(&["check"], 0);
    let report = copy.report(&["--no-baseline"], 1);
    assert!(array(&report, "violations")
        .iter()
        .any(|v| v["from"] == "storefront::billing::api"));
}

/// The baseline's `[[violation]]` blocks as written, each with its `from`.
fn blocks(text: &str) -> Vec<(String, String)> {
    text.split("[[violation]]")
        .skip(1)
        .map(|block| {
            let from = block
                .lines()
                .find_map(|l| l.trim().strip_prefix("from = \""))
                .map(|rest| rest.trim_end_matches('"').to_string())
                .unwrap_or_default();
            (from, format!("[[violation]]{}", block.trim_end()))
        })
        .collect()
}

fn blocks_outside(text: &str, krate: &str) -> Vec<String> {
    blocks(text)
        .into_iter()
        .filter(|(from, _)| from != krate && !from.starts_with(&format!("{krate}::")))
        .map(|(_, block)| block)
        .collect()
}

/// j. `-p` judges only the checked crate's entries: `check -p` reports no
/// other crate's entry as stale, and `baseline -p` rewrites only the
/// checked crate's entries, keeping every other one byte for byte.
#[test]
fn package_selection_judges_only_the_selected_crates_entries() {
    let copy = Copy::legacy_initialised("select");
    // An entry of another crate edited by hand: a comment, other spacing.
    let original = copy.read(BASELINE);
    let edited = original.replacen(
        "from = \"shop_admin\"",
        "from   =   \"shop_admin\"   # the admin tool predates the domains",
        1,
    );
    assert_ne!(edited, original);
    copy.write(BASELINE, &edited);

    for package in ["shop", "shop-server", "shop-admin"] {
        let report = copy.report(&["-p", package], 0);
        assert_eq!(
            array(&report, "warnings"),
            &Vec::<Value>::new(),
            "-p {package}"
        );
    }

    // Fix one of the library's violations, then shrink its entries only.
    copy.replace(
        "crates/shop/src/orders/api.rs",
        "crate::accounts::storage::address(pool, account.id)",
        "crate::accounts::api::shipping_address(pool, account.id)",
    );
    // The other crates do not see the library's stale entry ...
    copy.report(&["-p", "shop-server"], 0);
    // ... the library does.
    let report = copy.report(&["-p", "shop"], 1);
    assert_eq!(array(&report, "warnings").len(), 1, "{report:#}");

    let shrink = copy.expect(&["baseline", "-p", "shop"], 0);
    assert!(
        shrink.stdout.contains("kept as they were"),
        "{}",
        shrink.stdout
    );
    let after = copy.read(BASELINE);
    assert_eq!(
        blocks_outside(&after, "shop"),
        blocks_outside(&edited, "shop"),
        "other crates' entries byte for byte"
    );
    assert!(after.contains("# the admin tool predates the domains"));
    let key = format!("{INTERFACES} shop::orders::api -> shop::accounts::storage");
    assert_eq!(count_of(&baseline_entries(&after), &key), Some(2));
    assert_eq!(
        baseline_entries(&after).len(),
        baseline_entries(&edited).len(),
        "nothing dropped"
    );
    copy.expect(&["check"], 0);

    // `--exclude` selects the same way: the library's entries are kept as
    // they are, the other crates' are written anew.
    copy.write(BASELINE, &after.replace("count = 2\n", "count  =  2\n"));
    let kept = copy.read(BASELINE);
    copy.expect(&["baseline", "--workspace", "--exclude", "shop"], 0);
    let rewritten = copy.read(BASELINE);
    let of_shop = |text: &str| -> Vec<String> {
        blocks(text)
            .into_iter()
            .filter(|(from, _)| from == "shop" || from.starts_with("shop::"))
            .map(|(_, block)| block)
            .collect()
    };
    assert_eq!(of_shop(&rewritten), of_shop(&kept));
    assert!(rewritten.contains("count  =  2"), "{rewritten}");
    assert!(
        !rewritten.contains("# the admin tool predates"),
        "{rewritten}"
    );
    assert_eq!(baseline_entries(&rewritten), baseline_entries(&after));
    copy.expect(&["check"], 0);
}

/// k. Entries from a module whose file no longer parses are unknown: never
/// stale, and `baseline` keeps them.
#[test]
fn entries_from_code_that_does_not_parse_are_kept() {
    let copy = Copy::legacy_initialised("parse-error");
    let before = baseline_entries(&copy.read(BASELINE));
    let from_orders_api: Vec<&(String, usize)> = before
        .iter()
        .filter(|(k, _)| k.contains(" shop::orders::api -> "))
        .collect();
    assert!(from_orders_api.len() >= 3, "{before:?}");

    // The orders' api stops parsing (an edit half done).
    copy.append_line("crates/shop/src/orders/api.rs", "pub fn half_done( {");
    let report = copy.report(&[], 0);
    let codes: Vec<&str> = array(&report, "warnings")
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["parse-error"], "{report:#}");
    copy.expect(&["baseline"], 0);
    assert_eq!(baseline_entries(&copy.read(BASELINE)), before);

    // The orders' `mod.rs` itself: its submodules are not even found.
    copy.replace("crates/shop/src/orders/api.rs", "pub fn half_done( {\n", "");
    copy.append_line("crates/shop/src/orders/mod.rs", "pub fn half_done( {");
    let report = copy.report(&[], 0);
    assert!(
        array(&report, "warnings")
            .iter()
            .all(|w| w["code"] == "parse-error"),
        "{report:#}"
    );
    copy.expect(&["baseline"], 0);
    assert_eq!(baseline_entries(&copy.read(BASELINE)), before);
}
