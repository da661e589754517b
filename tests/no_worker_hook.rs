//! A binary that never calls the worker hook cannot be a process worker: this
//! test file deliberately lacks `speedup::worker_test!()`, and the run must
//! say what is missing instead of hanging or failing obscurely.

use speedup::workloads::integration::Integration;
use speedup::{Job, Schedule, Strategy};

#[test]
fn a_binary_without_the_worker_hook_is_told_how_to_add_it() {
    let study = Integration {
        samples: 100,
        ..Default::default()
    };
    let error = Strategy::Process(Schedule::Dynamic)
        .run(&Job::new(&study, 1), 2)
        .expect_err("no worker can start");
    let message = error.to_string();
    assert!(message.contains("while starting"), "{message}");
    assert!(message.contains("speedup::worker_test!()"), "{message}");
}
