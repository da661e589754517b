//! The workloads, and the one list that names them.
//!
//! Adding a workload: write one file implementing [`Workload`](crate::Workload)
//! (its parameter struct doubles as its command-line flags via `clap::Args`),
//! then add one line to the [`AnyWorkload`] list below. No strategy needs to
//! know about it. A program of your own lists its workloads the same way,
//! with [`workload_set!`](crate::workload_set) (see `examples/mandelbrot`).

pub mod amdahl;
pub mod bucket_sort;
pub mod integration;
pub mod lanes;
pub mod linear_normal;
pub mod ma2;
pub mod memory;

use crate::workload::WorkloadSet;

/// Defines a set of workloads known by name: an enum with one variant per
/// workload (its parameters as the variant's `speedup run NAME` flags) that
/// implements [`WorkloadSet`].
///
/// ```ignore
/// speedup::workload_set! {
///     /// The workloads of my program.
///     pub enum MyWorkloads {
///         /// A chunked Mandelbrot set
///         Mandelbrot => crate::Mandelbrot,
///         /// The library's integration study, too
///         Integration => speedup::workloads::integration::Integration,
///     }
/// }
/// ```
///
/// Each type implements `Workload`, `clap::Args` (its flags) and `Default`.
#[macro_export]
macro_rules! workload_set {
    ($(#[$set_doc:meta])* $vis:vis enum $set:ident {
        $($(#[$doc:meta])* $variant:ident => $type:ty,)+
    }) => {
        $(#[$set_doc])*
        #[derive(Debug, Clone, PartialEq, clap::Subcommand)]
        $vis enum $set {
            $($(#[$doc])* $variant($type),)+
        }

        impl $crate::workload::WorkloadSet for $set {
            const NAMES: &'static [&'static str] =
                &[$(<$type as $crate::workload::Workload>::NAME),+];

            fn name(&self) -> &'static str {
                match self { $($set::$variant(_) => <$type as $crate::workload::Workload>::NAME,)+ }
            }

            fn measured_by_default(name: &str) -> bool {
                $(if name == <$type as $crate::workload::Workload>::NAME {
                    return <$type as $crate::workload::Workload>::MEASURED_BY_DEFAULT;
                })+
                false
            }

            fn has_plot(&self) -> bool {
                match self {
                    $($set::$variant(_) => <<$type as $crate::workload::Workload>::Output
                        as $crate::workload::Outcome>::HAS_PLOT,)+
                }
            }

            fn validate(&self) -> $crate::Result<()> {
                match self {
                    $($set::$variant(workload) => $crate::workload::Workload::validate(workload),)+
                }
            }

            fn serial_cost(&self) -> Option<std::time::Duration> {
                match self {
                    $($set::$variant(workload) => $crate::workload::Workload::serial_cost(workload),)+
                }
            }

            fn with_defaults(name: &str) -> $crate::Result<Self> {
                $(if name == <$type as $crate::workload::Workload>::NAME {
                    return Ok($set::$variant(<$type>::default()));
                })+
                Err($crate::workload::unknown_workload(name, Self::NAMES))
            }

            fn visit<V: $crate::workload::WorkloadVisitor>(self, visitor: V) -> V::Output {
                match self { $($set::$variant(workload) => visitor.visit(workload),)+ }
            }

            fn visit_by_name<V: $crate::workload::WorkloadVisitor>(
                name: &str,
                params: serde_json::Value,
                visitor: V,
            ) -> $crate::Result<V::Output> {
                $(if name == <$type as $crate::workload::Workload>::NAME {
                    let workload: $type = $crate::workload::from_params(params)?;
                    return Ok(visitor.visit(workload));
                })+
                Err($crate::workload::unknown_workload(name, Self::NAMES))
            }
        }
    };
}

workload_set! {
    /// Any workload the library ships, with its parameters: the `WORKLOAD`
    /// of `speedup run WORKLOAD`.
    pub enum AnyWorkload {
        /// Random-interval integration of 1/(1+x²): a convergence study (the lecture)
        Integration => integration::Integration,
        /// Draws of y = alpha + x1 + 2*x2 + 0.5*x3 + eps, inputs N(mean, standard deviation) (the lab)
        ///
        /// alpha ~ N(15, 2), x1 ~ N(3, 5), x2 ~ N(10, 1), x3 ~ N(8, 8), eps ~ N(0, 1), all
        /// independent. The second parameter of N(m, s) is the standard deviation, as in
        /// numpy's normal(loc, scale): E[y] = 42 and Var[y] = 50.
        LinearNormal => linear_normal::LinearNormal,
        /// MA(2) rejection ABC, as in ELFI's parallelization tutorial
        ///
        /// Simulates MA(2) series with parameters drawn from the triangle prior, keeps the
        /// --n-samples draws whose autocovariances (S1, S2) lie closest to the observed
        /// ones, and prints ELFI's summary. The observed data are simulated from
        /// --true-params with a fixed observation seed, or read with --observed FILE.
        Ma2 => ma2::Ma2,
        /// A known answer: serial part f, parallel chunks that wait (or spin): Amdahl's law on any machine
        Amdahl => amdahl::Amdahl,
    }
}

/// Every name of the library's workloads, in report order.
pub const NAMES: &[&str] = AnyWorkload::NAMES;

/// The process strategy's hook for a program that runs the library's
/// workloads: call it first thing in `main` (see `strategy/worker.rs`).
pub fn worker_hook() {
    crate::strategy::worker::serve_if_worker::<AnyWorkload>();
}

/// Defines the `speedup_worker_entry` test that lets a libtest binary act as
/// a worker. Invoke it once in every test file that uses the process
/// strategy: `worker_test!()` for the library's workloads,
/// `worker_test!(MyWorkloads)` for a set of your own.
#[macro_export]
macro_rules! worker_test {
    () => {
        $crate::worker_test!($crate::AnyWorkload);
    };
    ($set:ty) => {
        #[test]
        fn speedup_worker_entry() {
            $crate::strategy::worker::serve_if_worker::<$set>();
        }
    };
}
