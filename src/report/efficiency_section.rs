//! What a workload's section says about where its efficiency went: findings
//! that name each strategy's biggest loss in plain words, the table of
//! factors, and the figure (`figures::factors_chart`).
//!
//! The numbers come from [`super::efficiency`]. A workload whose points kept
//! no busy times gets nothing here, so reports made before busy time was
//! recorded render as they always did.

use super::document::Block;
use super::efficiency::{self, Factor, Split};
use super::figures::factors_stem;
use super::view::{Point, WorkloadView};

/// Factors at least this close to 1 are not worth calling a loss.
const NEGLIGIBLE: f64 = 0.95;

/// A strategy balances better than another if its load balance is higher by
/// at least this much (differences below are within a run's wander).
const BETTER_BALANCE: f64 = 0.05;

/// The blocks of the split for `view`: empty without busy times.
pub fn blocks(view: &WorkloadView) -> Vec<Block> {
    let splits = efficiency::splits(view);
    if splits.is_empty() {
        return Vec::new();
    }
    let workload = view.name;
    vec![
        Block::Paragraph(format!(
            "Where {workload}'s efficiency goes: efficiency = machine (ceiling / p) × load \
             balance (mean / max busy time of the workers) × rest (start-up, handing out \
             chunks, moving results, merging)."
        )),
        Block::Bullets(findings(view, &splits)),
        Block::Figure {
            stem: factors_stem(workload),
            caption: format!("{workload}: where the efficiency goes"),
        },
        table(&splits),
    ]
}

/// One finding per strategy, at its largest worker count that does not
/// oversubscribe the machine (or its largest, if all do).
pub fn findings(view: &WorkloadView, splits: &[(&Point, Split)]) -> Vec<String> {
    let cpus = view.machine.logical_cpus;
    let mut lines = Vec::new();
    for label in view.labels() {
        let mine: Vec<&(&Point, Split)> =
            splits.iter().filter(|(p, _)| p.label == *label).collect();
        let within = mine
            .iter()
            .filter(|(p, _)| p.workers() <= cpus)
            .max_by_key(|(p, _)| p.workers());
        let Some((point, split)) = within.or_else(|| mine.iter().max_by_key(|(p, _)| p.workers()))
        else {
            continue;
        };
        if split.workers < 2 {
            continue;
        }
        lines.push(finding(point, split, splits));
    }
    lines
}

/// The finding of one point: its factors and its biggest loss, in words.
fn finding(point: &Point, split: &Split, all: &[(&Point, Split)]) -> String {
    let p = split.workers;
    let head = format!(
        "{} at {p}: efficiency {:.0}% = machine {:.2} × load balance {:.2} × rest {:.2}",
        point.label,
        split.efficiency * 100.0,
        split.machine,
        split.load_balance.median,
        split.rest.median
    );
    let (factor, value) = split.biggest_loss();
    if value >= NEGLIGIBLE {
        return format!(
            "{head}; no factor loses more than {:.0}%.",
            (1.0 - NEGLIGIBLE) * 100.0
        );
    }
    let mut why = Vec::new();
    if factor == Factor::Machine {
        // A rest above 1 is a strategy that beat the copies: "no strategy
        // can do better" would contradict the factor printed beside it.
        let limit = if split.rest.median > 1.0 + (1.0 - NEGLIGIBLE) {
            format!(
                "; its rest above 1 ({:.2}) means {} did better than those copies, within \
                 the noise or by sharing the caches and memory bandwidth they compete for",
                split.rest.median, point.label
            )
        } else {
            ", and no strategy can do better here".to_string()
        };
        why.push(format!(
            "the biggest loss is the machine: {p} serial copies at once get only {:.0}% of \
             one each{limit}",
            split.machine * 100.0
        ));
    }
    // The strategy's own biggest loss, named even when the machine's is bigger.
    let (own, own_value) = if split.load_balance.median <= split.rest.median {
        (Factor::LoadBalance, split.load_balance.median)
    } else {
        (Factor::Rest, split.rest.median)
    };
    let whose = if why.is_empty() {
        "the biggest loss is"
    } else {
        "the strategy's own biggest loss is"
    };
    if own_value < NEGLIGIBLE {
        why.push(match own {
            Factor::LoadBalance => load_balance_loss(point, split, all, whose),
            _ => rest_loss(split, whose),
        });
    }
    format!("{head}; {}.", why.join("; "))
}

/// The words for a loss to the rest: outside the chunks (starting up,
/// handing out, moving results, merging), or, where the busiest worker
/// spends too little of the run outside its chunks to account for it,
/// inside them: the chunks ran slower than the serial copies' did. ("0% of
/// the run outside its chunks" cannot explain a 10% loss, and a trial read
/// it as a contradiction.)
fn rest_loss(split: &Split, whose: &str) -> String {
    let outside = split.outside_chunks * 100.0;
    let lost = (1.0 - split.rest.median) * 100.0;
    if outside >= lost / 2.0 {
        format!(
            "{whose} the rest: the busiest worker spends {outside:.0}% of the run outside \
             its chunks (starting up, waiting for chunks, moving results, merging)"
        )
    } else {
        format!(
            "{whose} the rest, {lost:.0}% of what the copies got, and it is lost inside the \
             chunks: the busiest worker spends only {outside:.0}% of the run outside them, so \
             its chunks ran slower than the serial copies' did (caches and memory bandwidth \
             shared with the other workers, or a busy moment on the machine)"
        )
    }
}

/// The words for a load imbalance, and which strategy at the same worker
/// count balances better (the most efficient of those that do).
fn load_balance_loss(point: &Point, split: &Split, all: &[(&Point, Split)], whose: &str) -> String {
    let lb = split.load_balance.median;
    let mut line = format!(
        "{whose} load balance: the busiest worker runs chunks {:.2}× as long as the \
         average one while the others wait",
        1.0 / lb
    );
    let better = all
        .iter()
        .filter(|(other, s)| {
            other.workers() == split.workers
                && other.label != point.label
                && s.load_balance.median >= lb + BETTER_BALANCE
        })
        // Of those that balance better, the one that makes the most of it.
        .max_by(|a, b| a.1.efficiency.total_cmp(&b.1.efficiency));
    if let Some((other, s)) = better {
        line.push_str(&format!(
            "; {} ({:.2}) balances the same chunks better",
            other.label, s.load_balance.median
        ));
    }
    line
}

/// Every split point: the factors with the intervals of the measured ones.
fn table(splits: &[(&Point, Split)]) -> Block {
    let rows = splits
        .iter()
        .map(|(point, s)| {
            vec![
                point.label.to_string(),
                s.workers.to_string(),
                format!("{:.0}%", s.efficiency * 100.0),
                format!("{:.2}", s.machine),
                format!("{:.2}", s.strategy),
                format!(
                    "{:.2} ({:.2}–{:.2})",
                    s.load_balance.median, s.load_balance.low, s.load_balance.high
                ),
                format!(
                    "{:.2} ({:.2}–{:.2})",
                    s.rest.median, s.rest.low, s.rest.high
                ),
                format!("{:.0}%", s.outside_chunks * 100.0),
            ]
        })
        .collect();
    Block::Table {
        header: [
            "strategy",
            "workers",
            "efficiency",
            "machine",
            "strategy",
            "load balance",
            "rest",
            "outside chunks",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;
    use crate::measure::{CEILING, RunRecord};
    use crate::measurement::Measurement;
    use crate::report::Report;

    fn machine() -> Machine {
        Machine::imagined(2, 2)
    }

    /// Seven runs of 1 s beside a serial run of `serial` s, each worker busy
    /// as scripted.
    fn scripted(strategy: &str, workers: usize, serial: f64, busy: &[f64]) -> Measurement {
        let runs: Vec<(RunRecord, RunRecord)> = (0..7)
            .map(|_| {
                let record = RunRecord {
                    seconds: 1.0,
                    busy_s: busy.to_vec(),
                    ..RunRecord::default()
                };
                (record, RunRecord::of_seconds(serial))
            })
            .collect();
        Measurement::from_runs("w", strategy, workers, &runs)
    }

    fn paired(strategy: &str, workers: usize, ratio: f64) -> Measurement {
        Measurement::from_pairs("w", strategy, workers, &[(1.0 / ratio, 1.0); 7])
    }

    #[test]
    fn findings_name_the_imbalance_and_who_balances_better() {
        let report = Report::new(
            machine(),
            vec![
                paired("serial", 1, 1.0),
                // Static: one worker busy 1 s, the other 0.5 s: load balance 0.75.
                scripted("scoped-static", 2, 1.5, &[1.0, 0.5]),
                scripted("scoped-dynamic", 2, 1.96, &[0.99, 0.98]),
                // Balanced, but busy only a fifth of the run.
                scripted("process-dynamic", 2, 0.4, &[0.2, 0.2]),
                paired(CEILING, 2, 1.0),
            ],
            Vec::new(),
        )
        .unwrap();
        let view = &report.views()[0];
        let lines = findings(view, &efficiency::splits(view));
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].starts_with(
                "scoped-static at 2: efficiency 75% = machine 1.00 × load balance 0.75 × rest 1.00; \
                 the biggest loss is load balance: the busiest worker runs chunks 1.33× as long"
            ),
            "{lines:?}"
        );
        assert!(
            lines[0].ends_with("scoped-dynamic (0.99) balances the same chunks better."),
            "{lines:?}"
        );
        assert!(
            lines[1].contains("no factor loses more than 5%"),
            "{lines:?}"
        );
        assert!(
            lines[2].contains("the biggest loss is the rest: the busiest worker spends 80%"),
            "{lines:?}"
        );
        let blocks = blocks(view);
        assert!(matches!(&blocks[2], Block::Figure { stem, .. } if stem == "w-factors"));
    }

    #[test]
    fn a_rest_above_one_is_said_to_beat_the_copies_not_that_nothing_can() {
        // Two copies at once get 1× (machine 0.50); a balanced strategy gets 1.5×.
        let report = Report::new(
            machine(),
            vec![
                paired("serial", 1, 1.0),
                scripted("process-pool", 2, 1.5, &[1.0, 1.0]),
                paired(CEILING, 2, 0.5),
            ],
            Vec::new(),
        )
        .unwrap();
        let view = &report.views()[0];
        let lines = findings(view, &efficiency::splits(view));
        assert!(
            lines[0].contains("machine 0.50 × load balance 1.00 × rest 1.50")
                && lines[0].contains(
                    "its rest above 1 (1.50) means process-pool did better than those copies"
                ),
            "{lines:?}"
        );
        assert!(!lines[0].contains("no strategy can do better"), "{lines:?}");
    }

    #[test]
    fn a_rest_lost_inside_the_chunks_is_not_put_outside_them() {
        // Balanced and busy the whole run, yet 20% below the copies: the
        // chunks themselves ran slower.
        let report = Report::new(
            machine(),
            vec![
                paired("serial", 1, 1.0),
                scripted("scoped-balanced", 2, 1.6, &[1.0, 1.0]),
                paired(CEILING, 2, 1.0),
            ],
            Vec::new(),
        )
        .unwrap();
        let view = &report.views()[0];
        let lines = findings(view, &efficiency::splits(view));
        assert!(
            lines[0].contains(
                "the biggest loss is the rest, 20% of what the copies got, and it is lost \
                 inside the chunks: the busiest worker spends only 0% of the run outside them"
            ),
            "{lines:?}"
        );
    }

    #[test]
    fn points_without_busy_times_add_nothing() {
        let report = Report::new(
            machine(),
            vec![paired("serial", 1, 1.0), paired("scoped-static", 2, 1.5)],
            Vec::new(),
        )
        .unwrap();
        assert!(blocks(&report.views()[0]).is_empty());
    }
}
