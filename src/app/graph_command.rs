//! `cargo boundaries graph`.

use super::Failure;
use crate::cli::GraphArgs;

pub fn graph(_args: &GraphArgs) -> Result<i32, Failure> {
    Err(Failure::error("`graph` is not implemented yet"))
}
