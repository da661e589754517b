//! MPI ranks: the same program started P times by `mpirun`, on one machine or many.
//!
//! When one machine is not enough, clusters run MPI (ELFI users reach for its
//! ipyparallel client for the same reason). `mpirun -n 4 speedup run ma2
//! --strategy mpi` starts four copies of `speedup`, the *ranks* 0..3 of one
//! MPI *world*. Every rank reads the same command line, so every rank builds
//! the same workload and knows the same chunk list without being told. Then:
//!
//! 1. **Static partition by rank.** Rank `r` of `P` runs the block of chunks
//!    that [`ChunkQueue`]'s static schedule gives worker `r` of `P`. There is no
//!    shared counter to take chunks from (ranks share no memory, perhaps not
//!    even a machine), so the split is fixed up front, with the load imbalance
//!    that `scoped-static` and `process-static` show too.
//! 2. **Each rank runs its chunks** with [`Job::run_chunk`]: the same random
//!    streams, hence the same bits, as every other strategy.
//! 3. **Gather to rank 0.** Each rank encodes its `(chunk, part)` pairs as
//!    [`Wire`] bytes; one collective (`MPI_Gatherv`) delivers every rank's
//!    bytes to rank 0, after a first one that tells rank 0 how many to expect.
//!    Each rank's busy time (`busy.rs`) goes to rank 0 the same way, in one
//!    more gather of a single number per rank.
//! 4. **Rank 0 merges and reports.** It decodes the parts, puts them in chunk
//!    order ([`in_chunk_order`]) and merges them like any strategy; the other
//!    ranks print nothing and exit 0.
//!
//! What a student should notice:
//!
//! - **Launch cost.** `mpirun` starts the processes and `MPI_Init` wires them
//!   together before any chunk runs (about 0.1 s on one machine, more across
//!   a network). It is paid once per run, before the clock starts: `speedup
//!   sweep` reports it separately.
//! - **No shared memory.** Parts travel as bytes even between two ranks on the
//!   same machine, like the process strategy's pipes.
//! - **One MPI run per process.** `MPI_Init` and `MPI_Finalize` happen once in
//!   a process's life ([`Session`]); a new run is a new launch.
//! - **Failure.** A rank that panics calls `MPI_Abort`, which ends every rank:
//!   no rank waits forever for a part that will never come.
//! - **Which MPI.** A binary built against one MPI (OpenMPI, MPICH) but
//!   started by the other's `mpirun` sees a world of 1 in every rank; that
//!   would silently run everything P times, so [`Session::start`] compares the
//!   world size with what the launcher announced and refuses.

use super::busy::{BusyClock, Ran};
use super::in_chunk_order;
use super::schedule::{ChunkQueue, Schedule};
use crate::wire::Wire;
use crate::workload::{Job, Workload, WorkloadSet, WorkloadVisitor};
use crate::{Error, Result};
use ::mpi::Count;
use ::mpi::datatype::PartitionMut;
use ::mpi::environment::Universe;
use ::mpi::topology::SimpleCommunicator;
use ::mpi::traits::*;

/// The rank that merges and reports.
const ROOT: i32 = 0;

/// Environment variables in which launchers announce the world size: OpenMPI's
/// `mpirun`, and the PMI of MPICH's `mpiexec` (hydra) and of Slurm.
const LAUNCHER_SIZE_ENV: [&str; 2] = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"];

/// This process's part in an MPI job, from `MPI_Init` to `MPI_Finalize`
/// (when dropped). At most one per process, once.
pub struct Session {
    world: SimpleCommunicator,
    _universe: Universe,
}

impl Session {
    /// Starts MPI, checks that the launcher agrees on the number of ranks,
    /// and waits until every rank is ready, so a clock started next times the
    /// work and not the launch.
    ///
    /// Outside `mpirun` this is a world of one rank (an MPI "singleton").
    pub fn start() -> Result<Session> {
        if ::mpi::is_finalized() {
            return Err(Error::new(
                "MPI has already ended in this process; an MPI run needs a fresh launch",
            ));
        }
        let universe = ::mpi::initialize()
            .ok_or_else(|| Error::new("MPI is already running in this process"))?;
        let world = universe.world();
        check_launcher_agrees(world.size())?;
        world.barrier();
        Ok(Session {
            world,
            _universe: universe,
        })
    }

    /// The number of ranks: the mpi strategy's worker count.
    pub fn size(&self) -> usize {
        self.world.size() as usize
    }

    /// Whether this is rank 0, the one that merges and reports.
    pub fn is_root(&self) -> bool {
        self.world.rank() == ROOT
    }

    /// A rank other than 0: runs its share of `workload`'s chunks and sends
    /// the parts to rank 0. Checks what rank 0 checks, so that bad input
    /// stops every rank before anyone waits for anyone.
    pub fn serve<S: WorkloadSet>(&self, workload: S, seed: u64, workers: usize) -> Result<()> {
        workload.visit(Serve { seed, workers })
    }
}

/// Rank 0's side: runs its own share, gathers everyone's, and returns all
/// parts in chunk order with every rank's busy time. Needs a [`Session`];
/// the other ranks call [`Session::serve`] meanwhile.
pub fn run<W: Workload>(job: &Job<W>, workers: usize) -> Result<Ran<W::Part>> {
    let world = world(workers)?;
    if world.rank() != ROOT {
        return Err(Error::new(
            "only rank 0 collects the parts; other ranks call Session::serve",
        ));
    }
    // Every rank's (chunk, part) list, end to end, in rank order.
    let (gathered, busy_nanos) = share_and_gather(job, &world).expect("rank 0 receives the bytes");
    let mut input = &gathered[..];
    let mut pairs = Vec::with_capacity(job.chunks());
    for _ in 0..world.size() {
        pairs.extend(Vec::<(usize, W::Part)>::decode(&mut input)?);
    }
    Ok(Ran {
        parts: in_chunk_order(job.chunks(), pairs),
        busy_s: busy_nanos.iter().map(|&n| n as f64 * 1e-9).collect(),
    })
}

/// The other ranks' side, for any workload.
struct Serve {
    seed: u64,
    workers: usize,
}

impl WorkloadVisitor for Serve {
    type Output = Result<()>;

    fn visit<W: Workload>(self, workload: W) -> Result<()> {
        workload.validate()?;
        super::check_workers(self.workers)?;
        let world = world(self.workers)?;
        share_and_gather(&Job::new(&workload, self.seed), &world);
        Ok(())
    }
}

/// Runs this rank's block of chunks and gathers the encoded parts on rank 0:
/// rank 0 gets every rank's bytes end to end, in rank order, and every
/// rank's busy nanoseconds; the others `None`.
fn share_and_gather<W: Workload>(
    job: &Job<W>,
    world: &SimpleCommunicator,
) -> Option<(Vec<u8>, Vec<u64>)> {
    let _abort = AbortOnPanic(world);
    let ranks = world.size() as usize;
    let queue = ChunkQueue::new(Schedule::Static, job.chunks(), ranks);
    let clock = BusyClock::new(1);
    let mine: Vec<(usize, W::Part)> = queue
        .chunks_for(world.rank() as usize)
        .map(|chunk| (chunk, clock.time(0, || job.run_chunk(chunk))))
        .collect();
    let busy = clock.nanos(0);
    let bytes = mine.to_bytes();
    // MPI counts bytes in a C int: no more than 2 GiB per message.
    let Ok(count) = Count::try_from(bytes.len()) else {
        abort_all(world, "one rank's results exceed 2 GiB; use more ranks");
    };

    let root = world.process_at_rank(ROOT);
    if world.rank() != ROOT {
        root.gather_into(&busy);
        root.gather_into(&count);
        root.gather_varcount_into(&bytes[..]);
        return None;
    }
    let mut busy_nanos = vec![0u64; ranks];
    root.gather_into_root(&busy, &mut busy_nanos[..]);
    // First how many bytes each rank sends, then the bytes, end to end.
    let mut counts = vec![0 as Count; ranks];
    root.gather_into_root(&count, &mut counts[..]);
    let mut offsets = Vec::with_capacity(ranks);
    let mut total: Count = 0;
    for &n in &counts {
        offsets.push(total);
        let Some(end) = total.checked_add(n) else {
            abort_all(
                world,
                "the results exceed 2 GiB; MPI cannot gather them in one message",
            );
        };
        total = end;
    }
    let mut all = vec![0u8; total as usize];
    root.gather_varcount_into_root(
        &bytes[..],
        &mut PartitionMut::new(&mut all[..], &counts[..], &offsets[..]),
    );
    Some((all, busy_nanos))
}

/// Says what went wrong, then ends every rank of the job (`MPI_Abort`).
fn abort_all(world: &SimpleCommunicator, message: &str) -> ! {
    eprintln!("error: {message}");
    world.abort(1)
}

/// The world of a started [`Session`], whose size must be `workers`.
fn world(workers: usize) -> Result<SimpleCommunicator> {
    if !::mpi::is_initialized() || ::mpi::is_finalized() {
        return Err(Error::new(
            "the mpi strategy runs inside an MPI session (speedup::strategy::mpi::Session::start)",
        ));
    }
    let world = SimpleCommunicator::world();
    let ranks = world.size() as usize;
    if workers != ranks {
        return Err(Error::new(format!(
            "--workers {workers}, but this MPI job has {ranks} rank{}: the mpi strategy \
             has one worker per rank, so launch it with `mpirun -n {workers}`",
            if ranks == 1 { "" } else { "s" }
        )));
    }
    Ok(world)
}

/// Refuses a world that is smaller than the launcher announced: the binary
/// was built against a different MPI than the `mpirun` that started it.
fn check_launcher_agrees(size: i32) -> Result<()> {
    for name in LAUNCHER_SIZE_ENV {
        let Some(announced) = std::env::var(name).ok().and_then(|v| v.parse::<i32>().ok()) else {
            continue;
        };
        if announced != size {
            let library = ::mpi::environment::library_version().unwrap_or_default();
            // "Open MPI v4.1.4, package: ..." or "MPICH Version: 4.1 ...": its name.
            let library = library.split([',', '\n']).next().unwrap_or_default().trim();
            return Err(Error::new(format!(
                "MPI mismatch: the launcher started {announced} ranks ({name}={announced}) \
                 but this process sees a world of {size}; speedup was built against \
                 {library}; launch it with that MPI's mpirun, or rebuild it against the \
                 MPI whose mpirun you use"
            )));
        }
    }
    Ok(())
}

/// Ends every rank if this one panics, instead of leaving them waiting.
struct AbortOnPanic<'a>(&'a SimpleCommunicator);

impl Drop for AbortOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.abort(101);
        }
    }
}
