//! What a report says, as an outline of blocks.
//!
//! The content is decided here once, per report and per workload view: the
//! machine and how it was measured, how to read the figures, the report-wide
//! findings, then for each workload its findings, times, figures, speedups
//! and fitted laws. [`super::document`] turns the same blocks into Markdown
//! and HTML, so the two can never say different things.

use super::Report;
use super::commands;
use super::derived;
use super::document::Block;
use super::figures::{Quantity, figure_stem};
use super::findings::{self, number_with_interval, percent_with_interval, seconds};
use super::sizes::{SizeStudy, size_figure_stem, size_text};
use super::view::{Label, WorkloadView};
use super::{amdahl, usl};
use crate::measurement::Measurement;

const HOW_TO_READ: &str = "How to read the figures: each coloured line is one strategy. \
Every run of a point was timed between two serial runs; a dot is the median of the per-run \
ratios serial / point, and its whiskers the 95% interval of that median (from order \
statistics: no assumption about how times are distributed). The black line is the ideal \
(speedup equal to workers). The grey band is the machine ceiling: p independent serial \
copies run at once, what this machine delivers to p jobs that share nothing; a curve close \
to the band is limited by the machine, a curve far below it by its own overhead. Dashed \
lines are the law that describes each curve better: Amdahl's, fitted only where at least \
three worker counts lie within the physical cores (or past them, where the ceiling keeps up \
with the workers), or the Universal Scalability Law, fitted on every point where at least \
four worker counts exist. Vertical grey lines mark the physical cores and logical CPUs; the shaded \
region on the right is oversubscribed (more workers than logical CPUs), where extra workers \
can only cost.";

const UNPAIRED: &str = "This report predates paired measurement and the machine ceiling: \
each point was timed on its own, minutes away from the serial runs, and its speedup is a \
ratio of two medians. Drift between the two can bias it; re-measure with `cargo bench` or \
`speedup sweep` for paired speedups and the ceiling.";

/// The report's content: report-wide parts from `report`, then one section
/// per workload from its view.
pub fn outline(report: &Report, views: &[WorkloadView]) -> Vec<Block> {
    let m = &report.machine;
    let mut blocks = vec![
        Block::Heading(1, format!("Speedup report: {}", m.slug())),
        Block::Table {
            header: vec!["machine".into(), String::new()],
            rows: vec![
                vec!["CPU".into(), m.cpu_model.clone()],
                vec!["logical CPUs".into(), m.logical_cpus.to_string()],
                vec!["physical cores".into(), m.physical_cores.to_string()],
                vec!["OS".into(), m.os.clone()],
                vec!["rustc".into(), m.rustc.clone()],
                vec!["speedup".into(), m.speedup_version.clone()],
                vec!["date".into(), m.date.clone()],
            ]
            .into_iter()
            .chain(conditions_rows(report))
            .chain(settings_rows(report))
            .chain(commands::machine_rows(report))
            .collect(),
        },
        Block::Paragraph(HOW_TO_READ.into()),
        Block::Figure {
            stem: "overview".into(),
            caption: "Speedup of every workload".into(),
        },
    ];
    if !report.is_paired() {
        blocks.push(Block::Paragraph(UNPAIRED.into()));
    }
    if let Some(line) = findings::noise(report, views) {
        blocks.push(Block::Paragraph(line));
    }
    if let Some(line) = findings::process_startup(report, views) {
        blocks.push(Block::Paragraph(line));
    }
    if let Some(line) = findings::mpi_launch(report) {
        blocks.push(Block::Paragraph(line));
    }
    if let Some(line) = commands::process_floor(report) {
        blocks.push(Block::Paragraph(line));
    }
    let mut explained = findings::Explained::default();
    for view in views {
        let workload = view.name;
        blocks.push(Block::Heading(2, workload.to_string()));
        if let Some(paragraph) = weak_scaling(view) {
            blocks.push(Block::Paragraph(paragraph));
        }
        let mut bullets = findings::for_workload_in(view, &mut explained);
        bullets.extend(commands::findings(report, view));
        blocks.push(Block::Bullets(bullets));
        blocks.push(times_table(view));
        for (quantity, caption) in [
            (Quantity::Speedup, "speedup"),
            (Quantity::Efficiency, "efficiency"),
        ] {
            blocks.push(Block::Figure {
                stem: figure_stem(workload, quantity),
                caption: format!(
                    "{workload}: {caption}{}",
                    commands::caption_note(report, workload)
                ),
            });
        }
        blocks.extend(super::efficiency_section::blocks(view));
        blocks.push(speedup_table(view));
        blocks.push(laws_table(view));
    }
    for study in SizeStudy::all(views) {
        blocks.extend(size_section(&study));
    }
    blocks
}

/// What a weak-scaling family's numbers mean, and the size at each worker
/// count; `None` for strong scaling.
fn weak_scaling(view: &WorkloadView) -> Option<String> {
    if !view.is_weak() {
        return None;
    }
    let mut sizes: Vec<(usize, f64, &str)> = view
        .points
        .iter()
        .filter_map(|p| {
            let size = p.measurement.size.as_ref()?;
            Some((p.workers(), size.value, size.flag.as_str()))
        })
        .collect();
    sizes.sort_by_key(|s| s.0);
    sizes.dedup_by_key(|s| s.0);
    let grown: Vec<String> = sizes
        .iter()
        .map(|(p, value, flag)| format!("--{flag} {} at {p}", size_text(*value)))
        .collect();
    Some(format!(
        "Weak scaling: the job grows with the workers, p times the one-worker job's work at p \
         workers ({}). A dot is the scaled speedup p · T1(n) / Tp(p·n), with T1(n) the \
         one-worker job's serial time beside each run; efficiency is T1(n) / Tp(p·n), 100% when \
         p workers do p times the work in the one-worker job's time. The dashed line is \
         Gustafson's law, S = p − f(p − 1), fitted by the same rules as Amdahl's; the grey band \
         is still p serial copies of the one-worker job at once.",
        grown.join(", ")
    ))
}

/// The section of a workload measured at several sizes: where each
/// strategy breaks even, and the speedup against size at each worker count.
fn size_section(study: &SizeStudy) -> Vec<Block> {
    let workload = &study.workload;
    let flag = &study.flag;
    let sizes: Vec<String> = study.sizes.iter().map(|(s, _)| size_text(*s)).collect();
    let mut blocks = vec![
        Block::Heading(2, format!("{workload}: speedup against size")),
        Block::Paragraph(format!(
            "{workload} was measured at --{flag} {}, each size a study of its own above, with its \
             own serial baseline and machine ceiling. Here the speedup at one worker count is drawn \
             against the size (log scale), one line per strategy, the machine ceiling at each size \
             as the grey band and the ideal, p, as the level line: where a curve meets the band, \
             the strategy's own costs (starting workers, moving results) have stopped mattering.",
            sizes.join(", ")
        )),
    ];
    let findings = study.findings();
    if !findings.is_empty() {
        blocks.push(Block::Bullets(findings));
    }
    for workers in study.worker_counts() {
        blocks.push(Block::Figure {
            stem: size_figure_stem(workload, workers),
            caption: format!("{workload}: speedup against --{flag} at {workers} workers"),
        });
    }
    blocks
}

/// The flags the study set for its workloads, as a row of the machine
/// table (none when every workload ran at its defaults).
fn settings_rows(report: &Report) -> Vec<Vec<String>> {
    if report.settings.is_empty() {
        return Vec::new();
    }
    vec![vec!["workload settings".into(), report.settings.join("; ")]]
}

/// The measuring conditions, as rows of the machine table.
fn conditions_rows(report: &Report) -> Vec<Vec<String>> {
    let Some(c) = &report.conditions else {
        return vec![vec!["measured".into(), "conditions not recorded".into()]];
    };
    let or_unknown = |v: Option<String>| v.unwrap_or_else(|| "unknown".into());
    vec![
        vec!["measured with".into(), c.method.clone()],
        vec!["rounds".into(), c.rounds.to_string()],
        vec![
            "load average (1 min)".into(),
            format!(
                "{} before, {} after",
                or_unknown(c.load_before.map(|l| format!("{l:.2}"))),
                or_unknown(c.load_after.map(|l| format!("{l:.2}")))
            ),
        ],
        vec!["CPU governor".into(), or_unknown(c.governor.clone())],
        vec![
            "SMT".into(),
            or_unknown(c.smt.map(|on| if on { "on" } else { "off" }.to_string())),
        ],
        vec!["build profile".into(), c.profile.clone()],
    ]
    .into_iter()
    .chain(
        c.interference
            .as_ref()
            .map(|source| vec!["interference".into(), source.clone()]),
    )
    .collect()
}

/// Every point's speedup with its interval, its share of the ceiling,
/// Karp–Flatt, and flags where the interval is wide and where runs were
/// disturbed by the machine (shown, never dropped).
fn speedup_table(view: &WorkloadView) -> Block {
    let rows = view
        .speedups()
        .map(|(point, d)| {
            vec![
                point.label.to_string(),
                d.workers.to_string(),
                format!("{:.2}×", d.speedup),
                format!("{:.2}–{:.2}", d.speedup_ci_low, d.speedup_ci_high),
                d.of_ceiling
                    .map_or("–".into(), |s| format!("{:.0}%", s * 100.0)),
                d.karp_flatt.map_or("–".into(), |e| format!("{e:.3}")),
                flags(d.noisy, point.measurement),
            ]
        })
        .chain(view.ceiling.iter().map(|c| {
            vec![
                derived::CEILING_LABEL.into(),
                c.workers.to_string(),
                format!("{:.2}×", c.speedup),
                format!("{:.2}–{:.2}", c.ci_low, c.ci_high),
                "100%".into(),
                "–".into(),
                String::new(),
            ]
        }))
        .collect();
    Block::Table {
        header: [
            "strategy",
            "workers",
            "speedup",
            "95% interval",
            "of ceiling",
            "Karp–Flatt",
            "",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// The flag cell of a point: "noisy", and how many of its runs were
/// disturbed (only where interference was read).
fn flags(noisy: bool, m: &Measurement) -> String {
    let disturbed = m.disturbed().iter().filter(|&&d| d).count();
    let disturbed = (disturbed > 0).then(|| format!("{disturbed} of {} disturbed", m.samples));
    [noisy.then(|| "noisy".to_string()), disturbed]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Workers down, strategies across: time · speedup · efficiency.
fn times_table(view: &WorkloadView) -> Block {
    let labels = view.labels();
    let mut workers: Vec<usize> = view.points.iter().map(|p| p.workers()).collect();
    workers.sort_unstable();
    workers.dedup();
    let rows = workers
        .iter()
        .map(|&n| {
            let mut row = vec![n.to_string()];
            row.extend(labels.iter().map(|label| {
                let Some(point) = view.point(label, n) else {
                    return String::new();
                };
                let m = point.measurement;
                match point.derived {
                    Some(d) => format!(
                        "{} · {:.2}× · {:.0}%",
                        seconds(m.median_s),
                        d.speedup,
                        d.efficiency * 100.0
                    ),
                    None => seconds(m.median_s),
                }
            }));
            row
        })
        .collect();
    let mut header = vec!["workers".to_string()];
    header.extend(labels.iter().map(|label| label.to_string()));
    Block::Table { header, rows }
}

/// The laws fitted to each strategy, with their intervals and the better
/// of the two; or why there is no fit.
fn laws_table(view: &WorkloadView) -> Block {
    if view.is_weak() {
        return gustafson_table(view);
    }
    let labels: Vec<&Label> = view
        .labels()
        .into_iter()
        .filter(|l| view.fit(l).is_some() || view.usl_fit(l).is_some())
        .collect();
    if labels.is_empty() {
        let workers = parallel_worker_counts(view);
        let mut why = format!("No fitted law for {}.", view.name);
        for (law, reason) in [
            ("Amdahl", amdahl::too_few_points(&workers, view.fit_range())),
            ("USL", usl::too_few_points(&workers)),
        ] {
            if let Some(reason) = reason {
                why.push_str(&format!(" {law}: {reason}."));
            }
        }
        return Block::Paragraph(why);
    }
    let dash = || "—".to_string();
    let rows = labels
        .into_iter()
        .map(|label| {
            let amdahl = view.fit(label);
            let usl = view.usl_fit(label);
            vec![
                label.to_string(),
                amdahl.map_or_else(dash, |f| {
                    percent_with_interval(f.serial_fraction, f.interval)
                }),
                amdahl.map_or_else(dash, |f| {
                    f.max_speedup
                        .map_or("unbounded".to_string(), |s| format!("{s:.1}×"))
                }),
                usl.map_or_else(dash, |f| number_with_interval(f.sigma, f.sigma_interval, 3)),
                usl.map_or_else(dash, |f| number_with_interval(f.kappa, f.kappa_interval, 4)),
                usl.map_or_else(dash, |f| match f.peak_workers {
                    Some(p) => number_with_interval(p, f.peak_interval, 1),
                    None => "none".to_string(),
                }),
                // Named only where both laws fit: one law alone is not "better".
                view.comparison(label)
                    .filter(|c| c.amdahl_error.is_some() && c.usl_error.is_some())
                    .map_or_else(dash, |c| c.better.name().to_string()),
            ]
        })
        .collect();
    Block::Table {
        header: vec![
            "strategy".into(),
            "Amdahl serial fraction (95%)".into(),
            "max speedup".into(),
            "USL σ (95%)".into(),
            "USL κ (95%)".into(),
            "USL peak p* (95%)".into(),
            "better law".into(),
        ],
        rows,
    }
}

/// The worker counts at which a strategy other than serial has a speedup,
/// once each, in order: what a law could be fitted on.
fn parallel_worker_counts(view: &WorkloadView) -> Vec<usize> {
    let mut workers: Vec<usize> = view
        .speedups()
        .filter(|(p, _)| !p.label.is_baseline())
        .map(|(p, _)| p.workers())
        .collect();
    workers.sort_unstable();
    workers.dedup();
    workers
}

/// Gustafson's law fitted to each strategy's weak-scaling curve, with its
/// interval; or why there is no fit.
fn gustafson_table(view: &WorkloadView) -> Block {
    let labels: Vec<&Label> = view
        .labels()
        .into_iter()
        .filter(|l| view.gustafson_fit(l).is_some())
        .collect();
    if labels.is_empty() {
        let workers = parallel_worker_counts(view);
        let why = amdahl::too_few_points(&workers, view.fit_range())
            .map(|reason| format!(" Gustafson: {reason}."))
            .unwrap_or_default();
        return Block::Paragraph(format!("No fitted law for {}.{why}", view.name));
    }
    let rows = labels
        .into_iter()
        .filter_map(|label| {
            let fit = view.gustafson_fit(label)?;
            Some(vec![
                label.to_string(),
                percent_with_interval(fit.serial_fraction, fit.interval),
                format!("{:.2}", 1.0 - fit.serial_fraction),
            ])
        })
        .collect();
    Block::Table {
        header: vec![
            "strategy".into(),
            "Gustafson serial share (95%)".into(),
            "speedup added per worker".into(),
        ],
        rows,
    }
}
