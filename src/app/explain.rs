//! `cargo boundaries explain`.

use super::Failure;
use crate::cli::ExplainArgs;

pub fn explain(_args: &ExplainArgs) -> Result<i32, Failure> {
    Err(Failure::error("`explain` is not implemented yet"))
}
