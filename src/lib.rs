//! cargo-boundaries: an architecture linter for Cargo workspaces.
//!
//! The pipeline: [`workspace`] (cargo metadata) → [`source`] (module tree,
//! references) → [`graph`] → [`check`] (rules from [`policy`]) → [`report`].
//! See ARCHITECTURE.md.

#![forbid(unsafe_code)]

mod cache;
pub mod check;
pub mod cli;
pub mod graph;
pub mod location;
pub mod lsp;
pub mod owners;
pub mod policy;
pub mod render;
pub mod report;
pub mod source;
pub mod suggest;
pub mod warning;
pub mod workspace;

mod app;

pub use app::run;
