//! The mpi strategy in a build without the `mpi` feature.
//!
//! The default build needs no MPI installed, yet the strategy keeps its name
//! everywhere (`--strategy mpi`, report labels): asking to run it says how to
//! get it. `mpi.rs` is the real thing, with the same items.

use crate::workload::{Job, Workload, WorkloadSet};
use crate::{Error, Result};

/// What every use of the strategy says in this build.
pub fn unavailable() -> Error {
    Error::new(
        "this speedup was built without MPI: rebuild with `--features mpi` \
         (needs an MPI library and libclang; see the README)",
    )
}

/// Never exists in this build: [`Session::start`] always fails.
pub enum Session {}

impl Session {
    pub fn start() -> Result<Session> {
        Err(unavailable())
    }

    pub fn size(&self) -> usize {
        match *self {}
    }

    pub fn is_root(&self) -> bool {
        match *self {}
    }

    pub fn serve<S: WorkloadSet>(&self, _workload: S, _seed: u64, _workers: usize) -> Result<()> {
        match *self {}
    }
}

pub fn run<W: Workload>(_job: &Job<W>, _workers: usize) -> Result<super::Ran<W::Part>> {
    Err(unavailable())
}
