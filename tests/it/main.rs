//! The one integration-test binary: every test runs the real
//! `cargo-boundaries` binary on a real fixture workspace under `fixtures/`.

mod adoption;
mod baseline_files;
mod cache;
mod demo;
mod depinfo;
mod diagrams;
mod explain;
mod explorer;
mod formats;
mod graph;
mod hostile;
mod hostile_resolution;
mod layout;
mod policy_errors;
mod presets;
mod references;
mod regressions;
mod resolution;
mod rule_kinds;
mod safety;
mod snapshots;
mod support;
mod suppressions;
mod watch;
