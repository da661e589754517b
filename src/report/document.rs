//! report.md and report.html from one outline.
//!
//! The report's content is built once, as a list of [`Block`]s; two small
//! renderers turn it into Markdown (figures linked as PNG files) and into one
//! self-contained HTML page (figures inlined as SVG, no network needed). So
//! the two can never say different things.

use super::Report;
use super::figures::{Quantity, figure_stem};
use super::findings::{self, seconds};
use crate::{Error, Result};

pub const MARKDOWN_FILE: &str = "report.md";
pub const HTML_FILE: &str = "report.html";

/// One piece of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    Bullets(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A figure by file stem: `stem.png` and `stem.svg` exist beside the report.
    Figure {
        stem: String,
        caption: String,
    },
}

const HOW_TO_READ: &str = "How to read the figures: each coloured line is one strategy. \
Every run of a point was timed between two serial runs; a dot is the median of the per-run \
ratios serial / point, and its whiskers the 95% interval of that median (from order \
statistics: no assumption about how times are distributed). The black line is the ideal \
(speedup equal to workers). The grey band is the machine ceiling: p independent serial \
copies run at once, what this machine delivers to p jobs that share nothing; a curve close \
to the band is limited by the machine, a curve far below it by its own overhead. Dashed \
lines are Amdahl's law, fitted only where at least three worker counts lie within the \
physical cores. Vertical grey lines mark the physical cores and logical CPUs; the shaded \
region on the right is oversubscribed (more workers than logical CPUs), where extra workers \
can only cost.";

const UNPAIRED: &str = "This report predates paired measurement and the machine ceiling: \
each point was timed on its own, minutes away from the serial runs, and its speedup is a \
ratio of two medians. Drift between the two can bias it; re-measure with `cargo bench` or \
`speedup sweep` for paired speedups and the ceiling.";

/// The report's content.
pub fn outline(report: &Report) -> Vec<Block> {
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
    if let Some(line) = findings::noise(report) {
        blocks.push(Block::Paragraph(line));
    }
    if let Some(line) = findings::process_startup(report) {
        blocks.push(Block::Paragraph(line));
    }
    if let Some(line) = findings::mpi_launch(report) {
        blocks.push(Block::Paragraph(line));
    }
    for workload in report.workloads() {
        blocks.push(Block::Heading(2, workload.to_string()));
        blocks.push(Block::Bullets(findings::for_workload(report, workload)));
        blocks.push(times_table(report, workload));
        for (quantity, caption) in [
            (Quantity::Speedup, "speedup"),
            (Quantity::Efficiency, "efficiency"),
        ] {
            blocks.push(Block::Figure {
                stem: figure_stem(workload, quantity),
                caption: format!("{workload}: {caption}"),
            });
        }
        blocks.push(speedup_table(report, workload));
        blocks.push(amdahl_table(report, workload));
    }
    blocks
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
}

/// Every point's speedup with its interval, its share of the ceiling,
/// Karp–Flatt and a flag where the interval is wide.
fn speedup_table(report: &Report, workload: &str) -> Block {
    let rows = report
        .derived
        .iter()
        .filter(|d| d.workload == workload)
        .map(|d| {
            vec![
                d.strategy.clone(),
                d.workers.to_string(),
                format!("{:.2}×", d.speedup),
                format!("{:.2}–{:.2}", d.speedup_ci_low, d.speedup_ci_high),
                d.of_ceiling
                    .map_or("–".into(), |s| format!("{:.0}%", s * 100.0)),
                d.karp_flatt.map_or("–".into(), |e| format!("{e:.3}")),
                if d.noisy { "noisy" } else { "" }.into(),
            ]
        })
        .chain(report.ceiling(workload).into_iter().map(|c| {
            vec![
                "machine ceiling".into(),
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

/// Workers down, strategies across: time · speedup · efficiency.
fn times_table(report: &Report, workload: &str) -> Block {
    let strategies = report.strategies(workload);
    let mut workers: Vec<usize> = report
        .measurements
        .iter()
        .filter(|m| m.workload == workload)
        .map(|m| m.workers)
        .collect();
    workers.sort_unstable();
    workers.dedup();
    let rows = workers
        .iter()
        .map(|&n| {
            let mut row = vec![n.to_string()];
            row.extend(strategies.iter().map(|s| {
                let Some(m) = report.measurement(workload, s, n) else {
                    return String::new();
                };
                match report.derived(workload, s, n) {
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
    header.extend(strategies.iter().map(|s| s.to_string()));
    Block::Table { header, rows }
}

fn amdahl_table(report: &Report, workload: &str) -> Block {
    if !report.amdahl.iter().any(|f| f.workload == workload) {
        return Block::Paragraph(format!(
            "No Amdahl fit for {workload}: a fit needs at least {} worker counts from 2 up to \
             the {} physical cores.",
            super::amdahl::MIN_POINTS,
            report.machine.physical_cores
        ));
    }
    let rows = report
        .amdahl
        .iter()
        .filter(|f| f.workload == workload)
        .map(|f| {
            vec![
                f.strategy.clone(),
                format!("{:.2}%", f.serial_fraction * 100.0),
                f.max_speedup
                    .map_or("unbounded".to_string(), |s| format!("{s:.1}×")),
            ]
        })
        .collect();
    Block::Table {
        header: vec![
            "strategy".into(),
            "Amdahl serial fraction".into(),
            "max speedup".into(),
        ],
        rows,
    }
}

/// The outline as Markdown; figures as PNG images linking their SVG. Text
/// goes through [`markdown_text`], so names show as written, never as HTML.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => out.push_str(&format!(
                "{} {}\n\n",
                "#".repeat(*level as usize),
                markdown_text(text)
            )),
            Block::Paragraph(text) => out.push_str(&format!("{}\n\n", markdown_text(text))),
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", markdown_text(item)));
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                let line = |cells: &[String]| {
                    let cells: Vec<String> = cells.iter().map(|c| markdown_text(c)).collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                out.push_str(&line(header));
                out.push_str(&line(&vec!["---".to_string(); header.len()]));
                for row in rows {
                    out.push_str(&line(row));
                }
                out.push('\n');
            }
            Block::Figure { stem, caption } => {
                let caption = markdown_text(caption);
                out.push_str(&format!(
                    "![{caption}]({stem}.png)\n\n[{caption} as SVG]({stem}.svg)\n\n"
                ))
            }
        }
    }
    out
}

/// Text for Markdown, which passes raw HTML through: a workload or strategy
/// named `<img src=x onerror=...>` in a loaded speedup.json must show as
/// text, as it does in report.html. Every tag and comment starts with `<`,
/// and `&lt;` shows as `<`, so escaping that one character is enough.
fn markdown_text(text: &str) -> String {
    text.replace('<', "&lt;")
}

/// The outline as one HTML page, each figure's SVG inlined from `files`.
pub fn to_html(blocks: &[Block], files: &[(String, Vec<u8>)]) -> Result<String> {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading(1, text) => Some(text.as_str()),
            _ => None,
        })
        .unwrap_or("Speedup report");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)))
            }
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { header, rows } => {
                out.push_str("<table>\n<tr>");
                for cell in header {
                    out.push_str(&format!("<th>{}</th>", escape(cell)));
                }
                out.push_str("</tr>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", escape(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
            Block::Figure { stem, caption } => {
                let name = format!("{stem}.svg");
                let svg = files
                    .iter()
                    .find(|(n, _)| *n == name)
                    .ok_or_else(|| Error::new(format!("figure {name} was not drawn")))?;
                out.push_str(&format!(
                    "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                    String::from_utf8_lossy(&svg.1),
                    escape(caption)
                ));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

const STYLE: &str =
    "body { font-family: sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; }
";

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_names_is_shown_as_text_in_both() {
        let name = "<img src=x onerror=alert(1)>";
        let blocks = vec![
            Block::Heading(2, name.into()),
            Block::Paragraph(format!("{name} is slow")),
            Block::Bullets(vec![name.into()]),
            Block::Table {
                header: vec!["strategy".into()],
                rows: vec![vec![name.into()]],
            },
        ];
        let md = to_markdown(&blocks);
        assert!(!md.contains("<img"), "{md}");
        assert_eq!(
            md.matches("&lt;img src=x onerror=alert(1)>").count(),
            4,
            "{md}"
        );
        let html = to_html(&blocks, &[]).unwrap();
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn markdown_and_html_say_the_same_things() {
        let blocks = vec![
            Block::Heading(1, "T <1>".into()),
            Block::Bullets(vec!["a & b".into()]),
            Block::Table {
                header: vec!["x".into(), "y".into()],
                rows: vec![vec!["1".into(), "2".into()]],
            },
            Block::Figure {
                stem: "f".into(),
                caption: "cap".into(),
            },
        ];
        let md = to_markdown(&blocks);
        assert!(md.contains("# T &lt;1>\n") && md.contains("- a & b\n"));
        assert!(md.contains("| x | y |\n| --- | --- |\n| 1 | 2 |\n"));
        assert!(md.contains("![cap](f.png)"));
        let files = vec![("f.svg".to_string(), b"<svg id=\"f\"></svg>".to_vec())];
        let html = to_html(&blocks, &files).unwrap();
        assert!(html.contains("<h1>T &lt;1&gt;</h1>") && html.contains("<li>a &amp; b</li>"));
        assert!(html.contains("<svg id=\"f\"></svg>"), "figure inlined");
        assert!(!html.contains("http"), "no network needed");
        assert!(
            to_html(&blocks, &[]).is_err(),
            "a missing figure is an error"
        );
    }
}
