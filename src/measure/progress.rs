//! A progress bar for interleaved rounds, shared by `speedup sweep` and the
//! labs' `time` command.
//!
//! A sweep takes minutes; a silent terminal for minutes looks like a hang.
//! The bar counts runs, names the point running now, and after each round
//! says how wide the widest speedup interval still is and how many points
//! are still wider than `--until`'s target: the rounds it adds run only
//! those, and the bar grows by that many runs. Beside the clock it keeps
//! the estimate made before the start (`crate::estimate`), so a sweep that
//! runs far past it shows.

use super::rounds::Event;
use crate::estimate::Estimate;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// Shows the rounds' progress on standard error (hidden when it is not a terminal).
pub struct RoundsBar {
    bar: ProgressBar,
    widest: String,
}

impl RoundsBar {
    /// A bar for `rounds` rounds of `runs_per_round` timed points each.
    pub fn new(rounds: usize, runs_per_round: usize) -> RoundsBar {
        let bar = ProgressBar::new((rounds * runs_per_round) as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} [{elapsed} < {eta}{prefix}]")
                .expect("the template is valid"),
        );
        RoundsBar {
            bar,
            widest: String::new(),
        }
    }

    /// The same bar, also showing the estimate made before the start.
    pub fn with_estimate(self, estimate: Option<Duration>) -> RoundsBar {
        if let Some(estimate) = estimate {
            self.bar
                .set_prefix(format!(", estimated {}", Estimate(estimate)));
        }
        self
    }

    /// Takes one event of [`super::run_rounds`].
    pub fn on(&mut self, event: Event) {
        match event {
            Event::Adding { points, .. } => self.bar.inc_length(points as u64),
            Event::Ran {
                round,
                workload,
                strategy,
                workers,
            } => {
                self.bar.set_message(format!(
                    "round {} {workload} {strategy} ×{workers}{}",
                    round + 1,
                    self.widest
                ));
                self.bar.inc(1);
            }
            Event::RoundDone { widest, wide, .. } => {
                let still = match wide {
                    0 => String::new(),
                    1 => ", 1 point still wide".into(),
                    n => format!(", {n} points still wide"),
                };
                self.widest = if widest.is_finite() {
                    format!(" (widest interval ±{:.1}%{still})", widest * 100.0)
                } else {
                    String::new()
                };
            }
            Event::GaveUp { .. } => {}
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_keeps_the_estimate_made_before_the_start() {
        let bar = RoundsBar::new(7, 10).with_estimate(Some(Duration::from_secs(90)));
        assert_eq!(bar.bar.prefix(), ", estimated about 2 minutes");
        let without = RoundsBar::new(7, 10).with_estimate(None);
        assert_eq!(without.bar.prefix(), "");
    }

    #[test]
    fn an_added_round_grows_the_bar_by_the_points_it_runs() {
        let mut bar = RoundsBar::new(2, 10);
        bar.on(Event::RoundDone {
            round: 1,
            widest: 0.12,
            wide: 3,
        });
        assert_eq!(bar.widest, " (widest interval ±12.0%, 3 points still wide)");
        bar.on(Event::Adding {
            round: 2,
            points: 3,
        });
        assert_eq!(bar.bar.length(), Some(23));
    }
}
