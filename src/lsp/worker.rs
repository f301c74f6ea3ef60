//! The checks' thread: the main loop never waits for a run. A request
//! queued while a run is going supersedes every older one still queued; a
//! run in flight finishes (the pipeline has no point to stop at), and the
//! main loop drops its result when a newer one was asked for.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;

use super::server::Event;
use super::snapshot::{Pipeline, Snapshot};
use crate::report::{FailureCode, Problem};

/// Asks the checks' thread for runs.
pub struct Worker {
    requests: Sender<u64>,
}

impl Worker {
    /// Starts the thread; each finished run is sent to `events` with the
    /// number of the request it answers.
    pub fn start(
        pipeline: Arc<dyn Pipeline>,
        manifest: PathBuf,
        events: Sender<Event>,
    ) -> std::io::Result<Worker> {
        let (requests, queue) = mpsc::channel::<u64>();
        std::thread::Builder::new()
            .name("boundaries-check".to_string())
            .spawn(move || {
                while let Ok(mut generation) = queue.recv() {
                    // Only the newest request is worth a run.
                    while let Ok(newer) = queue.try_recv() {
                        generation = newer;
                    }
                    let snapshot = catch_unwind(AssertUnwindSafe(|| pipeline.check(&manifest)))
                        .unwrap_or_else(|_| crashed());
                    if events
                        .send(Event::Checked(generation, Box::new(snapshot)))
                        .is_err()
                    {
                        break;
                    }
                }
            })?;
        Ok(Worker { requests })
    }

    pub fn request(&self, generation: u64) {
        let _ = self.requests.send(generation);
    }
}

/// What the editor is told when a run panicked: the server goes on.
fn crashed() -> Snapshot {
    Snapshot {
        problems: vec![Problem::new(
            FailureCode::Error,
            "the check stopped on an internal error; please report it",
        )],
        ..Snapshot::default()
    }
}
