//! Instructor tooling for the workbook in `labs/`.
//!
//! The labs crate (`speedup-labs`) is written once, by the instructor, with
//! the solutions in it between markers ([`markers`]). From that one tree:
//!
//! - [`release`] writes the student edition: solutions become `todo!(hint)`,
//!   hidden tests vanish, the student README (`labs/README.student.md`)
//!   replaces the instructor's, and the `speedup` crate travels along so the
//!   edition builds on its own;
//! - [`check`] runs a lab's tests and reports per worksheet task, in the
//!   student edition and the instructor tree alike;
//! - [`hints`] gives a stuck student one hint at a time.

pub mod check;
pub mod hints;
pub mod markers;
pub mod release;

/// A `labs` command as a student types it: through cargo, as the student
/// README says. The student edition puts no `speedup` on the PATH, so a
/// message naming `speedup labs ...` would name a command they do not have;
/// `cargo run --release -- labs ...` works in the edition and the instructor tree alike.
pub fn command(args: &str) -> String {
    format!("cargo run --release -- labs {args}")
}

/// One lab of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lab {
    pub number: u32,
    /// File-name part: `labs/src/lab01_<slug>.rs`, `labs/tests/lab01_<slug>.rs`.
    pub slug: &'static str,
    pub title: &'static str,
}

impl Lab {
    /// The test target (`cargo test --test <this>`), also the source's stem.
    pub fn test_target(&self) -> String {
        format!("lab{:02}_{}", self.number, self.slug)
    }

    /// The worksheet's file name in `labs/worksheets/`.
    pub fn worksheet(&self) -> String {
        format!("{:02}-{}.md", self.number, self.slug.replace('_', "-"))
    }
}

/// The four labs, in order.
pub const LABS: [Lab; 4] = [
    Lab {
        number: 1,
        slug: "integration",
        title: "Integration, from serial to parallel",
    },
    Lab {
        number: 2,
        slug: "linear_normal",
        title: "100,000 linear-normal draws",
    },
    Lab {
        number: 3,
        slug: "ma2",
        title: "MA2 rejection ABC",
    },
    Lab {
        number: 4,
        slug: "limits",
        title: "Oversubscription and the limits of speedup",
    },
];

/// The lab with this number, or an error naming the valid ones.
pub fn lab(number: usize) -> crate::Result<Lab> {
    LABS.into_iter()
        .find(|lab| lab.number as usize == number)
        .ok_or_else(|| {
            crate::Error::new(format!(
                "there is no lab {number} (the labs are 1 to {})",
                LABS.len()
            ))
        })
}
