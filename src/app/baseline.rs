//! `cargo boundaries baseline`.

use super::Failure;
use crate::cli::BaselineArgs;

pub fn baseline(_args: &BaselineArgs) -> Result<i32, Failure> {
    Err(Failure::error("`baseline` is not implemented yet"))
}
