//! `cargo boundaries rules [KIND]`: the rule kinds' documentation, taken
//! from the doc comment of each kind's file.

use super::{print, Failure, EXIT_OK};
use crate::check::registry::{self, KINDS};

pub fn rules(kind: Option<&str>) -> Result<i32, Failure> {
    let kinds: Vec<_> = match kind {
        None => KINDS.iter().collect(),
        Some(name) => match registry::kind(name) {
            Some(kind) => vec![kind],
            None => {
                let hint = crate::suggest::hint(name, KINDS.iter().map(|k| k.name));
                return Err(Failure::error(format!("unknown rule kind `{name}`{hint}")));
            }
        },
    };
    print(&registry::markdown(&kinds));
    Ok(EXIT_OK)
}
