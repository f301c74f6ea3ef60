//! The one integration-test binary: every test runs the real
//! `cargo-boundaries` binary on a real fixture workspace under `fixtures/`.

mod adoption;
mod base;
mod baseline_deltas;
mod baseline_files;
mod cache;
mod demo;
mod depinfo;
mod diagrams;
mod exemptions;
mod explain;
mod explorer;
mod formats;
mod graph;
mod hostile;
mod hostile_resolution;
mod layout;
mod lsp;
mod lsp_client;
mod lsp_nvim;
mod owners;
mod policy_errors;
mod presets;
mod references;
mod regressions;
mod resolution;
mod rule_kinds;
mod safety;
mod schema;
mod snapshots;
mod suggestions;
mod support;
mod suppressions;
mod watch;
