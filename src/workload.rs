//! The `Workload` trait: *what* to compute, as fixed chunks plus a merge.
//!
//! A workload never says how its chunks are run; that is a strategy's job
//! (`strategy/`). The split is what lets one workload run serially, on threads
//! or in child processes with no code for any of them, and what makes the
//! answer independent of the worker count:
//!
//! - the chunk layout depends only on the parameters, never on the workers;
//! - chunk `i` draws from its own random stream, handed in by the framework
//!   (`seeds.rs`), so it computes the same numbers wherever it runs;
//! - `merge` receives the parts in chunk order, whoever finished first.
//!
//! Floating-point addition is not associative, so "merge in chunk order" is not
//! a nicety: summing parts in completion order would change the last bits from
//! run to run.

use crate::seeds::{ChunkRng, chunk_rng};
use crate::wire::Wire;
use crate::{Checksum, Error, Result};
use serde::{Serialize, de::DeserializeOwned};
use std::time::Duration;

/// A computation split into a fixed number of independent chunks.
///
/// The parameters are the struct itself; they are `Serialize` so the process
/// strategy can send them to its children, which rebuild the same workload.
pub trait Workload: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The name on the command line, on the wire and in reports.
    const NAME: &'static str;
    /// What one chunk produces. Crosses process boundaries, hence `Wire`.
    /// `Default` is the empty part a condensed chunk leaves behind (see
    /// [`Workload::condense`]).
    type Part: Wire + Send + Default;
    /// The merged result.
    type Output: Outcome;
    /// Whether a study measures it without being asked (`cargo bench`, a
    /// plain `speedup sweep`). A workload whose answer is known in advance
    /// (`amdahl`) says `false`: it is measured with `--workloads NAME`.
    const MEASURED_BY_DEFAULT: bool = true;

    /// Rejects parameters that make no sense, with a message naming the flag.
    fn validate(&self) -> Result<()>;
    /// How many chunks; a function of the parameters alone.
    fn chunk_count(&self) -> usize;
    /// Computes chunk `chunk`, drawing randomness only from `rng`.
    fn run_chunk(&self, chunk: usize, rng: &mut ChunkRng) -> Self::Part;
    /// Combines all parts, given in chunk order.
    fn merge(&self, parts: Vec<Self::Part>) -> Self::Output;

    /// Folds `part` into `kept`, if this workload's merge allows it; else
    /// gives `part` back untouched (the default).
    ///
    /// Most merges need every part, in chunk order (`integration` concatenates
    /// its estimates). But a merge that only *selects*, by an order of its own,
    /// cares neither about order nor about grouping: `ma2` keeps the n best
    /// draws of all, so a group of parts may be replaced by the n best of the
    /// group. A process worker uses this to send one condensed part per run
    /// instead of one list per chunk (`strategy/worker.rs`).
    ///
    /// The contract: replacing any group of parts by one part folded from
    /// them all, in any order, starting from `Self::Part::default()`, and
    /// empty parts in the group's other places, changes no bit of `merge`'s
    /// result. `tests/workloads_identity.rs` checks it through the process
    /// strategy, whose workers condense whichever chunks they happened to run.
    fn condense(&self, kept: &mut Self::Part, part: Self::Part) -> Result<(), Self::Part> {
        let _ = kept;
        Err(part)
    }

    /// Roughly how long one serial run of these parameters takes, before it
    /// starts; `None` (the default) when the workload cannot say.
    ///
    /// `speedup run` and `speedup sweep` refuse work estimated above a day
    /// unless given `--yes` (`crate::estimate`), and the sweep's progress
    /// bar shows its estimate. A workload knows its own cost model: how
    /// many units of work its parameters mean (points drawn, normals,
    /// simulated values) times a cost per unit measured on the reference
    /// machine, stated beside the constant and rounded up, so that the
    /// estimate errs long. Parallel runs and sweeps are estimated from
    /// this one number (`sweep::Grid::estimate`).
    fn serial_cost(&self) -> Option<Duration> {
        None
    }

    /// What sizes these parameters for a study (`speedup sweep --sizes`,
    /// `--scaling weak`): the flag, its value here, and how the work grows
    /// with it. `None` (the default) when the workload has no size to grow;
    /// weak scaling then refuses it by name.
    fn size(&self) -> Option<Size> {
        None
    }

    /// These parameters with the size set to `value`, rounded as the flag
    /// needs (a count to a whole number); `None` (the default) for a
    /// workload without a [`Workload::size`].
    fn resized(&self, value: f64) -> Option<Self>
    where
        Self: Sized,
    {
        let _ = value;
        None
    }

    /// These parameters grown to `workers` times the work: what a weak
    /// scaling study runs at `workers` workers (`crate::scaling`). `None`
    /// without a size.
    fn scaled_to(&self, workers: usize) -> Option<Self>
    where
        Self: Sized,
    {
        self.resized(self.size()?.scaled_to(workers))
    }
}

/// The flag that sizes a workload, its value, and how its work grows with
/// it: work ∝ value^`work_power`.
///
/// Weak scaling needs the last part. Doubling `--n` of `linear-normal`
/// doubles its work (power 1), but `integration` makes one estimate for
/// every n below `--samples`, each costing about n, so its work grows with
/// the square (power 2): twice the work is √2 times the samples. A
/// workload says which, and [`Size::scaled_to`] does the arithmetic once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    /// The flag without its dashes, as `speedup run NAME --FLAG` takes it.
    pub flag: &'static str,
    /// Its value in these parameters.
    pub value: f64,
    /// Work grows as value^work_power.
    pub work_power: f64,
}

impl Size {
    /// The value that gives `workers` times this size's work.
    pub fn scaled_to(&self, workers: usize) -> f64 {
        self.value * (workers as f64).powf(1.0 / self.work_power)
    }
}

/// What a merged result can say about itself.
pub trait Outcome {
    /// The key numbers, for `--json` and reports.
    fn summary(&self) -> serde_json::Value;
    /// The key numbers as aligned `label  value` lines, for people.
    fn describe(&self) -> String;
    /// The full result, for `--output FILE`.
    fn to_json(&self) -> serde_json::Value;
    /// A fingerprint of every bit of the result (see `checksum.rs`).
    fn checksum(&self) -> Checksum;

    /// Whether [`Outcome::pair_samples`] gives a figure's data. Known before
    /// a run, so that `--plot` on a workload without one fails at once, not
    /// after the work.
    const HAS_PLOT: bool = false;

    /// The data of the result's figure, a pair plot (ELFI's `plot_pairs`),
    /// if it has one. A workload says *what* to draw; `plot/` draws it.
    fn pair_samples(&self) -> Option<PairSamples> {
        None
    }
}

/// Samples of two named parameters, and their true values where known:
/// what a pair plot shows (histograms of each, their scatter, the truth
/// marked).
#[derive(Debug, Clone, PartialEq)]
pub struct PairSamples {
    pub names: [&'static str; 2],
    pub samples: Vec<(f64, f64)>,
    pub truth: Option<(f64, f64)>,
}

/// Something to do with a concrete workload type, whichever it is.
///
/// The CLI, the sweep, the process worker and MPI ranks all start from a
/// workload *name* (typed by a user, or read from a pipe) and need the
/// concrete type to call generic code; a visitor bridges the two.
pub trait WorkloadVisitor {
    type Output;
    fn visit<W: Workload>(self, workload: W) -> Self::Output;
}

/// The workloads a program knows by name: the one list that turns a name
/// (or a `speedup run NAME ...` command line) into a concrete type.
///
/// The strategies never name a workload; a process worker or an MPI rank
/// receives the name and parameters from its parent and rebuilds the
/// workload through the set its program was built with. So a program that
/// brings its own workloads (`examples/mandelbrot`) gets every strategy,
/// processes and ranks included. Write one with [`workload_set!`](crate::workload_set):
/// the library's own is `speedup::AnyWorkload`.
pub trait WorkloadSet: clap::Subcommand + Clone + std::fmt::Debug + Send + 'static {
    /// Every name, in report order.
    const NAMES: &'static [&'static str];
    /// This workload's name.
    fn name(&self) -> &'static str;
    /// Whether the named workload is measured without being asked (see
    /// [`Workload::MEASURED_BY_DEFAULT`]).
    fn measured_by_default(name: &str) -> bool;
    /// Whether this workload's result draws a figure (`--plot`).
    fn has_plot(&self) -> bool;
    /// Rejects parameters that make no sense (see [`Workload::validate`]).
    fn validate(&self) -> Result<()>;
    /// One serial run's estimated time (see [`Workload::serial_cost`]).
    fn serial_cost(&self) -> Option<std::time::Duration>;
    /// The named workload with its default parameters.
    fn with_defaults(name: &str) -> Result<Self>;
    /// What sizes this workload (see [`Workload::size`]).
    fn size(&self) -> Option<Size> {
        self.clone().visit(SizeAt { workers: 1 })
    }
    /// Its size grown to `workers` times the work, as weak scaling runs it
    /// (see [`Workload::scaled_to`]); `None` without a size.
    fn size_scaled_to(&self, workers: usize) -> Option<Size> {
        self.clone().visit(SizeAt { workers })
    }
    /// Calls `visitor` with the concrete workload.
    fn visit<V: WorkloadVisitor>(self, visitor: V) -> V::Output;
    /// Rebuilds the named workload from its serialized parameters and visits it.
    fn visit_by_name<V: WorkloadVisitor>(
        name: &str,
        params: serde_json::Value,
        visitor: V,
    ) -> Result<V::Output>;
}

/// The size of a workload grown to `workers` times its work.
struct SizeAt {
    workers: usize,
}

impl WorkloadVisitor for SizeAt {
    type Output = Option<Size>;

    fn visit<W: Workload>(self, workload: W) -> Option<Size> {
        match self.workers {
            1 => workload.size(),
            p => workload.scaled_to(p)?.size(),
        }
    }
}

/// Rebuilds a workload from the parameters its parent sent (a process
/// worker's header, say).
pub fn from_params<W: Workload>(params: serde_json::Value) -> Result<W> {
    serde_json::from_value(params)
        .map_err(|e| Error::new(format!("bad parameters for {}: {e}", W::NAME)))
}

/// The error for a name that no workload of `names` has.
pub fn unknown_workload(name: &str, names: &[&str]) -> Error {
    Error::new(format!(
        "unknown workload '{name}' (choose {})",
        names.join(", ")
    ))
}

/// A workload together with the seed of one run: everything a chunk needs.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a, W> {
    pub workload: &'a W,
    pub seed: u64,
}

impl<'a, W: Workload> Job<'a, W> {
    pub fn new(workload: &'a W, seed: u64) -> Self {
        Job { workload, seed }
    }

    /// Number of chunks.
    pub fn chunks(&self) -> usize {
        self.workload.chunk_count()
    }

    /// Runs chunk `chunk` on its own random stream. Every strategy calls this.
    pub fn run_chunk(&self, chunk: usize) -> W::Part {
        self.workload
            .run_chunk(chunk, &mut chunk_rng(self.seed, chunk))
    }
}
