//! `cargo boundaries lsp`: a language server over stdio, on the project's
//! own pipeline. The checks run on a thread of their own ([`worker`]); the
//! main loop ([`server`]) answers the editor from the last finished run and
//! validates the policy buffer as it is typed, with the same functions the
//! CLI uses ([`policy_buffer`]).
//!
//! The server never runs workspace code, writes nothing but the edits the
//! client asks to apply, and never exits on bad input: a broken policy or
//! workspace is diagnostics, a panic in a request is an error response.

mod actions;
mod completion;
mod definition;
mod diagnostics;
mod hover;
mod policy_buffer;
mod policy_text;
mod position;
mod server;
mod snapshot;
mod worker;

pub use server::serve;
pub use snapshot::{BaselineFile, Checked, Model, ModuleFile, Pipeline, Snapshot};
