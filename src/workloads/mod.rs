//! The workloads, and the one list that names them.
//!
//! Adding a workload: write one file implementing [`Workload`] (its parameter
//! struct doubles as its command-line flags via `clap::Args`), then add one line
//! to the `registry!` list below. No strategy needs to know about it.

pub mod bucket_sort;
pub mod integration;
pub mod lanes;
pub mod linear_normal;
pub mod ma2;
pub mod memory;

use crate::workload::{Outcome, Workload};
use crate::{Error, Result};

/// Something to do with a concrete workload type, whichever it is.
///
/// The CLI, the sweep and the process worker all start from a workload *name*
/// and need the concrete type to call generic code; a visitor bridges the two.
pub trait WorkloadVisitor {
    type Output;
    fn visit<W: Workload>(self, workload: W) -> Self::Output;
}

macro_rules! registry {
    ($($(#[$doc:meta])* $variant:ident => $type:ty,)+) => {
        /// Any workload with its parameters: the `WORKLOAD` of `speedup run WORKLOAD`.
        #[derive(Debug, Clone, PartialEq, clap::Subcommand)]
        pub enum AnyWorkload {
            $($(#[$doc])* $variant($type),)+
        }

        /// Every workload name, in report order.
        pub const NAMES: &[&str] = &[$(<$type as Workload>::NAME),+];

        impl AnyWorkload {
            /// The workload's name.
            pub fn name(&self) -> &'static str {
                match self { $(AnyWorkload::$variant(_) => <$type as Workload>::NAME,)+ }
            }

            /// Whether this workload's result draws a figure (`--plot`).
            pub fn has_plot(&self) -> bool {
                match self { $(AnyWorkload::$variant(_) => <<$type as Workload>::Output as Outcome>::HAS_PLOT,)+ }
            }

            /// Rejects parameters that make no sense (see [`Workload::validate`]).
            pub fn validate(&self) -> Result<()> {
                match self { $(AnyWorkload::$variant(workload) => workload.validate(),)+ }
            }

            /// One serial run's estimated time (see [`Workload::serial_cost`]).
            pub fn serial_cost(&self) -> Option<std::time::Duration> {
                match self { $(AnyWorkload::$variant(workload) => workload.serial_cost(),)+ }
            }

            /// The named workload with its default parameters.
            pub fn with_defaults(name: &str) -> Result<AnyWorkload> {
                $(if name == <$type as Workload>::NAME {
                    return Ok(AnyWorkload::$variant(<$type>::default()));
                })+
                Err(unknown(name))
            }

            /// Calls `visitor` with the concrete workload.
            pub fn visit<V: WorkloadVisitor>(self, visitor: V) -> V::Output {
                match self { $(AnyWorkload::$variant(workload) => visitor.visit(workload),)+ }
            }
        }

        /// Rebuilds the named workload from its serialized parameters and visits it.
        pub fn visit_by_name<V: WorkloadVisitor>(
            name: &str,
            params: serde_json::Value,
            visitor: V,
        ) -> Result<V::Output> {
            $(if name == <$type as Workload>::NAME {
                let workload: $type = serde_json::from_value(params)
                    .map_err(|e| Error::new(format!("bad parameters for {name}: {e}")))?;
                return Ok(visitor.visit(workload));
            })+
            Err(unknown(name))
        }
    };
}

registry! {
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
}

fn unknown(name: &str) -> Error {
    Error::new(format!(
        "unknown workload '{name}' (choose {})",
        NAMES.join(", ")
    ))
}
