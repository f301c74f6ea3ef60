//! Cache work a run does not wait for: writing a large entry and pruning
//! go on a thread of their own while the run checks and reports, and are
//! waited for only when the run ends, so the process never exits in the
//! middle of them (an interrupted write would only be a miss anyway: entries
//! are renamed into place whole).

use std::thread::JoinHandle;

#[derive(Default)]
pub struct Upkeep(Vec<JoinHandle<()>>);

impl Upkeep {
    /// Runs `work` beside the caller. Without a thread to spare, the work
    /// is skipped: the next run finds a miss, or prunes instead.
    pub fn spawn(&mut self, work: impl FnOnce() + Send + 'static) {
        if let Ok(handle) = std::thread::Builder::new()
            .name("cache upkeep".to_string())
            .spawn(work)
        {
            self.0.push(handle);
        }
    }
}

impl Drop for Upkeep {
    fn drop(&mut self) {
        for handle in self.0.drain(..) {
            let _ = handle.join();
        }
    }
}
