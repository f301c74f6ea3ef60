//! Placeholder: being written.

use super::CheckRun;

pub fn gitlab(_run: &CheckRun) -> String {
    String::new()
}
