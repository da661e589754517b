//! The workloads, and the one list that names them.
//!
//! Adding a workload: write one file implementing [`Workload`] (its parameter
//! struct doubles as its command-line flags via `clap::Args`), then add one line
//! to the `registry!` list below. No strategy needs to know about it.

pub mod bucket_sort;
pub mod integration;

use crate::workload::Workload;
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
}

fn unknown(name: &str) -> Error {
    Error::new(format!(
        "unknown workload '{name}' (choose {})",
        NAMES.join(", ")
    ))
}
