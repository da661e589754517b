//! The grid of a speedup study, and how it is measured.
//!
//! A study runs every (workload × strategy × workers) point of a [`Grid`].
//! Serial runs once per workload, at one worker: it is the baseline every
//! speedup is divided by, and its runs are paired with every other run
//! (`crate::measure`). Beside the strategies, each workload gets the machine
//! ceiling at every worker count above one (p serial copies at once).
//!
//! - [`grid`]: the points, and the worker counts worth measuring;
//! - [`lists`]: the comma-separated lists that choose them;
//! - [`groups`](mod@groups): the grid as closures for the measurement engine:
//!   `speedup sweep` runs them in interleaved rounds ([`measure`]), `cargo
//!   bench` hands them to criterion one by one. Both yield [`Measurement`]s,
//!   and the report reads nothing else. The mpi strategy is measured only
//!   when a grid names it, through a [`Launcher`] (one `mpirun` per run);
//! - [`family`]: a study's workloads at the parameters it chose
//!   ([`settings`]: `--set`, `--sizes`; and `--scaling weak`), one point
//!   family per workload and size, each measured and reported as a
//!   workload of its own;
//! - [`costs`]: process start-up and MPI launch, measured apart.
//!
//! [`Measurement`]: crate::Measurement
//! [`Launcher`]: crate::launcher::Launcher

pub mod costs;
pub mod family;
pub mod grid;
pub mod groups;
pub mod lists;
pub mod settings;

pub use costs::{launch_costs, startup_cost, startup_costs};
pub use family::{Family, SIZES_ENV, Study};
pub use grid::{Grid, Point, WORKERS_ENV, WORKLOADS_ENV, worker_ladder};
pub use groups::{check_launcher, groups, groups_of, groups_of_families, measure, measure_with};
pub use lists::{
    parse_strategies, parse_workers, parse_workloads, parse_workloads_of, worker_count,
};
pub use settings::{parse_setting, parse_size_lists, parse_sizes};
