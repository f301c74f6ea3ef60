//! `cargo boundaries init`.

use super::Failure;
use crate::cli::InitArgs;

pub fn init(_args: &InitArgs) -> Result<i32, Failure> {
    Err(Failure::error("`init` is not implemented yet"))
}
