//! Placeholder: being written.

use super::CheckRun;

pub fn github(_run: &CheckRun) -> String {
    String::new()
}
