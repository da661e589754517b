//! report.md and report.html from one outline.
//!
//! The report's content is built once, as a list of [`Block`]s
//! ([`super::outline`]); two small renderers turn it into Markdown (figures
//! linked as PNG files) and into one self-contained HTML page (figures
//! inlined as SVG, no network needed). So the two can never say different
//! things.

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
