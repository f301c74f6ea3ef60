//! Cases a code review found, each pinned by a fixture.

use crate::support::{check_json, manifest, run, violations, warnings};

/// A package with `lib.rs` and `main.rs`: the binary is `shop_bin`, and the
/// package's dependency is one reference of the library, not one per target.
/// Two imports of one name in different namespaces are not guessed at.
#[test]
fn a_library_and_a_binary_of_one_package() {
    let report = check_json("lib-and-bin");
    assert_eq!(
        violations(&report),
        [
            "no-serde shop -> serde (Cargo.toml:13 manifest)",
            "billing-not-storage shop::billing -> shop::accounts::storage::m (src/billing.rs:4 use)",
            "main-not-storage shop_bin -> shop::accounts::storage::save (src/main.rs:2 macro)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

/// A stale baseline entry fails the run, and the summary counts it apart
/// from the violations (a warn-severity one here).
#[test]
fn a_stale_entry_beside_a_warning_violation() {
    let report = check_json("stale-baseline");
    assert_eq!(
        violations(&report),
        ["billing-not-storage shop::billing -> shop::accounts::storage::load (src/lib.rs:11 path)"]
    );
    assert_eq!(
        warnings(&report),
        ["stale-baseline boundaries-baseline.toml:7"]
    );
    assert_eq!(report["warnings"][0]["severity"], "error");

    let human = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("stale-baseline"),
    ]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("1 violation (1 warning), 1 stale baseline entry; "),
        "{}",
        human.stdout
    );
}
