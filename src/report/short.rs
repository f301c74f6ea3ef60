//! Placeholder: being written.

use super::CheckRun;

pub fn short(_run: &CheckRun) -> String {
    String::new()
}
