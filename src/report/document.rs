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

const HOW_TO_READ: &str = "How to read the figures: each coloured line is one strategy, \
its dots the median times and its whiskers 95% confidence intervals. The black line is the \
ideal (speedup equal to workers); dashed lines are Amdahl's law fitted to the points up to \
the physical core count. Vertical grey lines mark the physical cores and logical CPUs; \
the shaded region on the right is oversubscribed (more workers than logical CPUs), where \
extra workers can only cost.";

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
            ],
        },
        Block::Paragraph(HOW_TO_READ.into()),
        Block::Figure {
            stem: "overview".into(),
            caption: "Speedup of every workload".into(),
        },
    ];
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
        blocks.push(amdahl_table(report, workload));
    }
    blocks
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

/// The outline as Markdown; figures as PNG images linking their SVG.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&format!("{} {text}\n\n", "#".repeat(*level as usize)))
            }
            Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&format!("- {item}\n"));
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
                out.push_str(&line(header));
                out.push_str(&line(&vec!["---".to_string(); header.len()]));
                for row in rows {
                    out.push_str(&line(row));
                }
                out.push('\n');
            }
            Block::Figure { stem, caption } => out.push_str(&format!(
                "![{caption}]({stem}.png)\n\n[{caption} as SVG]({stem}.svg)\n\n"
            )),
        }
    }
    out
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
        assert!(md.contains("# T <1>\n") && md.contains("- a & b\n"));
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
