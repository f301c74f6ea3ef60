//! `cargo boundaries lsp` driven over JSON-RPC, on copies of real fixtures:
//! diagnostics that match the CLI's, the policy validated as it is typed,
//! completion, hover, code actions, definition, and a save that fixes.

use std::path::Path;

use serde_json::{json, Value};

use crate::lsp_client::{fixture_copy, position, uri, Client};
use crate::support::run;

/// The CLI's violations in `file` as (rule, range) in LSP terms.
fn cli_violations(root: &Path, file: &str) -> Vec<(String, Value)> {
    let manifest = root.join("Cargo.toml");
    let out = run(&[
        "check",
        "--format",
        "json",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["file"] == file)
        .map(|v| {
            let at = |line: &str, column: &str| {
                position(
                    v[line].as_u64().unwrap() - 1,
                    v[column].as_u64().unwrap() - 1,
                )
            };
            (
                v["rule"].as_str().unwrap().to_string(),
                json!({"start": at("line", "column"), "end": at("end_line", "end_column")}),
            )
        })
        .collect()
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn has_code(code: &'static str) -> impl Fn(&[Value]) -> bool {
    move |d| d.iter().any(|d| d["code"] == code)
}

#[test]
fn violations_are_published_where_the_cli_reports_them_with_the_rule_beside() {
    let (_dir, root) = fixture_copy("formats");
    let domain = root.join("src/domain.rs");
    let mut client = Client::start(&root);
    client.open(&domain);
    let diagnostics = client.diagnostics(&domain, |d| !d.is_empty());
    let published: Vec<(String, Value)> = diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"].clone()))
        .collect();
    let expected = cli_violations(&root, "src/domain.rs");
    assert_eq!(expected.len(), 2);
    assert_eq!(published, expected);
    // The second one sits after a `/* é */`: columns are UTF-16 units.
    assert_eq!(diagnostics[1]["range"]["start"], position(5, 12));
    for d in &diagnostics {
        assert_eq!(d["source"], "boundaries");
        assert_eq!(d["severity"], 1);
        let related = &d["relatedInformation"][0];
        assert_eq!(
            related["location"]["uri"],
            uri(&root.join("boundaries.toml"))
        );
        // The rule's `[[rule]]` table, on line 3 of the policy.
        assert_eq!(related["location"]["range"]["start"], position(2, 0));
    }
    // The `warn` rule's violation in web.rs is a warning.
    let web = root.join("src/web.rs");
    let diagnostics = client.diagnostics(&web, |d| !d.is_empty());
    assert_eq!(codes(&diagnostics), ["web-not-db"]);
    assert_eq!(diagnostics[0]["severity"], 2);
    // The file that does not parse has its warning.
    let broken = client.diagnostics(&root.join("src/broken.rs"), |d| !d.is_empty());
    assert_eq!(codes(&broken), ["parse-error"]);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_policy_typo_is_reported_as_typed_and_the_suggestion_applies() {
    let (_dir, root) = fixture_copy("formats");
    let policy = root.join("boundaries.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    let mut client = Client::start(&root);
    client.open(&policy);
    // Let the first run finish, so the buffer is validated against it.
    client.diagnostics(&root.join("src/domain.rs"), |d| !d.is_empty());
    let typo = text.replacen("to = \"app::web\"", "to = \"app::wbe\"", 1);
    client.change(&policy, 2, &typo);
    let diagnostics = client.diagnostics(&policy, has_code("boundaries::policy::matches-nothing"));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `app::web`?"),
        "{d}"
    );
    // Nothing was saved: the file on disk is still the good policy.
    assert_eq!(std::fs::read_to_string(&policy).unwrap(), text);

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&policy)}, "range": d["range"],
               "context": {"diagnostics": [d]}}),
    );
    let edit = &actions[0]["edit"]["changes"][uri(&policy)][0];
    assert_eq!(edit["newText"], "app::web");
    let line = typo.lines().position(|l| l == "to = \"app::wbe\"").unwrap() as u64;
    assert_eq!(
        edit["range"],
        json!({"start": position(line, 6), "end": position(line, 14)})
    );

    // A bare name that is no crate nor component: its suggestion too.
    let typo = text.replacen("to = \"app::web\"", "to = \"ap\"", 1);
    client.change(&policy, 3, &typo);
    let diagnostics = client.diagnostics(&policy, has_code("boundaries::policy::unknown-name"));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&policy)}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": [diagnostics[0]]}}),
    );
    assert_eq!(
        actions[0]["edit"]["changes"][uri(&policy)][0]["newText"],
        "app"
    );

    // Fixing the buffer clears the diagnostic, still unsaved.
    client.change(&policy, 4, &text);
    client.diagnostics(&policy, |d| d.is_empty());

    // A buffer that is not even TOML is a diagnostic, not a crash.
    client.change(&policy, 5, "version = 1\n[[rule\nkind = ");
    client.diagnostics(&policy, has_code("boundaries::policy::toml-syntax"));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&policy)}, "position": position(2, 3)}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn completion_hover_and_definition_in_the_policy() {
    let (_dir, root) = fixture_copy("formats");
    let policy = root.join("boundaries.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    let mut client = Client::start(&root);
    client.open(&policy);
    client.diagnostics(&root.join("src/domain.rs"), |d| !d.is_empty());
    let at = |needle: &str| {
        let offset = text.find(needle).unwrap() + needle.len();
        let line = text[..offset].matches('\n').count() as u64;
        let column = (offset - text[..offset].rfind('\n').map_or(0, |i| i + 1)) as u64;
        position(line, column)
    };
    let request = |client: &mut Client, method: &str, position: Value| {
        client.request(
            method,
            json!({"textDocument": {"uri": uri(&policy)}, "position": position}),
        )
    };
    let labels = |items: &Value| -> Vec<String> {
        let items = items.as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };

    // Inside a pattern, after `app::`: the modules under `app`.
    let items = request(&mut client, "textDocument/completion", at("from = \"app::"));
    assert_eq!(labels(&items), ["broken", "db", "domain", "web"]);
    // At its start: the crates.
    let items = request(&mut client, "textDocument/completion", at("from = \""));
    assert!(labels(&items).contains(&"app".to_string()), "{items}");
    // A kind's value.
    let items = request(&mut client, "textDocument/completion", at("kind = \""));
    assert_eq!(
        labels(&items),
        [
            "forbid",
            "allow",
            "layers",
            "independent",
            "interface",
            "acyclic"
        ]
    );
    // A rule's fields, at the start of a line of a `forbid` rule.
    let items = request(
        &mut client,
        "textDocument/completion",
        at("reason = \"domain: pure, 100% testable, no web\"\n"),
    );
    assert_eq!(
        labels(&items),
        ["docs", "from", "help", "kind", "loosened", "name", "reason", "severity", "to"]
    );

    // Hover: a pattern says what it matches; a kind shows its docs.
    let hover = request(&mut client, "textDocument/hover", at("from = \"app::dom"));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.starts_with("`app::domain` matches 1 module or crate"),
        "{shown}"
    );
    assert!(shown.contains("- `app::domain`"), "{shown}");
    // An item-level pattern matches no module, but is not nothing.
    let item = text.replacen("to = \"app::web\"", "to = \"app::web::render\"", 1);
    client.change(&policy, 2, &item);
    let hover = request(&mut client, "textDocument/hover", at("to = \"app::w"));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(
        shown,
        "`app::web::render` matches 0 modules and crates; it matches items of the workspace's modules"
    );
    client.change(&policy, 3, &text);
    let hover = request(&mut client, "textDocument/hover", at("kind = \"forb"));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("## `forbid`") && shown.contains("What it does"),
        "{shown}"
    );

    // Definition: the module's file.
    let found = request(&mut client, "textDocument/definition", at("to = \"app::w"));
    assert_eq!(found[0]["uri"], uri(&root.join("src/web.rs")));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_violation_can_be_allowed_from_its_code_action_and_a_fix_clears_it() {
    let (_dir, root) = fixture_copy("formats");
    let domain = root.join("src/domain.rs");
    let text = std::fs::read_to_string(&domain).unwrap();
    let mut client = Client::start(&root);
    client.open(&domain);
    let diagnostics = client.diagnostics(&domain, |d| d.len() == 2);

    // Hovering the violation shows its rule, reason and chain.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&domain)}, "position": position(1, 10)}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("`forbid` rule `domain-not-web`"), "{shown}");
    assert!(
        shown.contains("reason: domain: pure, 100% testable, no web"),
        "{shown}"
    );
    assert!(
        shown.contains("`app::domain` → `app::web` by `app::web::render` (path, src/domain.rs:2)"),
        "{shown}"
    );

    let first = &diagnostics[0];
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&domain)}, "range": first["range"],
               "context": {"diagnostics": [first]}}),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][uri(&domain)][0];
    let inserted = edit["newText"].as_str().unwrap();
    assert_eq!(
        inserted,
        "    // boundaries: allow(domain-not-web) why this reference is allowed\n"
    );
    assert_eq!(edit["range"]["start"], position(1, 0));
    // Its command selects the reason for typing.
    let command = &action["command"];
    assert_eq!(command["command"], "boundaries.selectRange");
    client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let show = client.wait_for("window/showDocument", |m| {
        m["method"] == "window/showDocument"
    });
    assert_eq!(
        show["params"]["selection"],
        json!({"start": position(1, 41), "end": position(1, 70)})
    );

    // Applied and saved, the comment silences that violation only.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(1, inserted.trim_end());
    let allowed = lines.join("\n") + "\n";
    client.save(&domain, &allowed);
    let left = client.diagnostics(&domain, |d| d.len() == 1);
    assert_eq!(left[0]["range"]["start"], position(6, 12));

    // A save that removes the reference clears the file.
    let fixed = "pub fn total() -> u32 {\n    crate::db::query()\n}\n";
    client.save(&domain, fixed);
    client.diagnostics(&domain, |d| d.is_empty());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_stale_baseline_entry_is_marked_and_the_baseline_shrinks() {
    let (_dir, root) = fixture_copy("stale-baseline");
    let baseline = root.join("boundaries-baseline.toml");
    let mut client = Client::start(&root);
    client.open(&baseline);
    let diagnostics = client.diagnostics(&baseline, has_code("stale-baseline"));
    assert_eq!(diagnostics.len(), 1);
    // Where the CLI puts it: line 7, column 8.
    assert_eq!(diagnostics[0]["range"]["start"], position(6, 7));
    assert_eq!(diagnostics[0]["severity"], 1);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&baseline)}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": [diagnostics[0]]}}),
    );
    let edit = &actions[0]["edit"]["changes"][uri(&baseline)][0];
    let shrunk = edit["newText"].as_str().unwrap();
    assert!(!shrunk.contains("[[violation]]"), "{shrunk}");
    client.save(&baseline, shrunk);
    client.diagnostics(&baseline, |d| d.is_empty());
    let manifest = root.join("Cargo.toml");
    let out = run(&["check", "--manifest-path", manifest.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let (_dir, root) = fixture_copy("formats");
    let mut client = Client::start(&root);
    let answer = client.raw_request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(answer["error"]["code"], -32602);
    let answer = client.raw_request("boundaries/unknown", json!({}));
    assert_eq!(answer["error"]["code"], -32601);
    // A broken policy saved on disk: reported in it, and the server stays.
    let policy = root.join("boundaries.toml");
    client.open(&policy);
    client.save(&policy, "version = 1\n\n[[rule]]\nkind = \"forbd\"\n");
    client.change(&policy, 2, "version = 1\n\n[[rule]]\nkind = \"forbd\"\n");
    let diagnostics = client.diagnostics(&policy, has_code("boundaries::policy::unknown-kind"));
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `forbid`?"));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_folder_that_is_no_workspace_is_a_message_not_an_exit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let message = client.wait_for("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(message["params"]["type"], 1);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .starts_with("cargo boundaries: "),
        "{message}"
    );
    // A policy typed there has no workspace to be checked against: no
    // answer, no crash.
    let policy = root.join("boundaries.toml");
    std::fs::write(&policy, "version = 1\n").unwrap();
    client.open(&policy);
    let answer = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(&policy)}, "position": position(1, 0)}),
    );
    assert_eq!(answer, Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn settings_and_top_level_keys_complete() {
    let (_dir, root) = fixture_copy("formats");
    let policy = root.join("boundaries.toml");
    let mut client = Client::start(&root);
    client.open(&policy);
    client.diagnostics(&root.join("src/domain.rs"), |d| !d.is_empty());
    let text = "version = 1\n\n[settings]\nin\n\n[[rule]]\nkind = \"layers\"\nst\n";
    client.change(&policy, 2, text);
    let labels = |client: &mut Client, line: u64, character: u64| -> Vec<String> {
        let items = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri(&policy)}, "position": position(line, character)}),
        );
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        labels(&mut client, 3, 2),
        [
            "include-tests",
            "baseline",
            "require-suppression-reason",
            "require-expiry",
            "expiry-warning-days",
            "loosened"
        ]
    );
    assert_eq!(
        labels(&mut client, 7, 2),
        [
            "containers",
            "docs",
            "help",
            "kind",
            "layers",
            "loosened",
            "name",
            "reason",
            "severity",
            "strict"
        ]
    );
    assert_eq!(
        labels(&mut client, 1, 0),
        ["version", "settings", "components", "rule"]
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_violation_with_a_suggested_path_offers_it_first_and_applying_it_clears_the_violation() {
    let (_dir, root) = fixture_copy("suggest-reexport");
    let billing = root.join("src/billing/mod.rs");
    let text = std::fs::read_to_string(&billing).unwrap();
    let mut client = Client::start(&root);
    client.open(&billing);
    let diagnostics = client.diagnostics(&billing, |d| d.len() == 2);
    let suggested = diagnostics
        .iter()
        .find(|d| d["range"]["start"]["line"] == 1)
        .expect("the violation on line 2");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&billing)}, "range": suggested["range"],
               "context": {"diagnostics": [suggested]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:#?}");
    let replace = &actions[0];
    assert_eq!(
        replace["title"],
        "replace with `crate::accounts::Account::new`"
    );
    assert_eq!(replace["isPreferred"], true);
    let edit = &replace["edit"]["changes"][uri(&billing)][0];
    assert_eq!(edit["range"], suggested["range"]);
    assert!(actions[1]["title"].as_str().unwrap().starts_with("allow `"));

    // Applied and saved, the reference goes through the re-export: that
    // violation is gone, the other stays.
    let fixed = text.replace(
        "crate::accounts::domain::Account::new",
        edit["newText"].as_str().unwrap(),
    );
    assert_ne!(fixed, text);
    client.save(&billing, &fixed);
    let left = client.diagnostics(&billing, |d| d.len() == 1);
    assert_eq!(left[0]["range"]["start"]["line"], 5);
    // The other violation has no path to suggest: only the allow action.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&billing)}, "range": left[0]["range"],
               "context": {"diagnostics": [left[0]]}}),
    );
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions:#?}");
    assert_eq!(client.shutdown(), Some(0));
}
