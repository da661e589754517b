//! The key of a curve chart, in a column of its own beside the plot.
//!
//! Inside the plot a legend box always covers something. In a speedup chart
//! its usual corner, top left, is where the curves climb through the first
//! worker counts: on a two-core machine, exactly the points the figure is
//! about. Beside the plot it covers nothing, and one column serves every
//! panel of an overview, whose charts share their strategies.
//!
//! Each entry's sample is drawn with the very styles of the chart's layers
//! ([`super::curves`]), so a key and its line cannot drift apart.

use super::style::{CEILING, Scale, Style};
use super::{FAMILY, drawing};
use crate::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What an entry's sample looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample {
    /// The machine ceiling: a grey band with a grey line and a square.
    Ceiling,
    /// The ideal line: thin and black.
    Ideal,
    /// A series: solid with dots (measured) or dashed (a model, or the
    /// second report of a comparison).
    Line {
        color: RGBColor,
        dashed: bool,
        markers: bool,
    },
}

/// One line of the key: a sample and its label. A label may have a second
/// line after `\n`, drawn smaller, to explain the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub label: String,
    pub sample: Sample,
}

/// The entries of several charts, each label once, in order of first appearance.
pub fn union(lists: impl IntoIterator<Item = Vec<Entry>>) -> Vec<Entry> {
    let mut all: Vec<Entry> = Vec::new();
    for entry in lists.into_iter().flatten() {
        if !all.iter().any(|seen| seen.label == entry.label) {
            all.push(entry);
        }
    }
    all
}

/// Sizes in pixels for an 800-pixel-high figure (scaled like the chart).
const SAMPLE_WIDTH: f64 = 36.0;
const GAP: f64 = 12.0;
const MARGIN: f64 = 14.0;
/// Where the first entry sits: level with the top of the plotting area,
/// below the chart's caption.
const TOP: f64 = 100.0;

/// The width of a column that holds `entries`.
pub(super) fn width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    scale: &Scale,
) -> u32 {
    let widest = entries
        .iter()
        .flat_map(|entry| {
            entry.label.split('\n').enumerate().map(|(line, text)| {
                let font = if line == 0 { main(scale) } else { note(scale) };
                area.estimate_text_size(text, &font)
                    .map_or(0, |size| size.0)
            })
        })
        .max()
        .unwrap_or(0);
    widest + scale.px(SAMPLE_WIDTH + GAP + 3.0 * MARGIN)
}

/// Draws `entries` down the column `area`.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    scale: &Scale,
) -> Result<()> {
    let row = scale.px(34.0) as i32;
    let note_row = scale.px(24.0) as i32;
    let x = scale.px(MARGIN) as i32;
    let text_x = x + scale.px(SAMPLE_WIDTH + GAP) as i32;
    let mut y = scale.px(TOP) as i32;
    for entry in entries {
        draw_sample(area, entry.sample, (x, y), scale)?;
        let mut lines = entry.label.split('\n');
        let first = lines.next().unwrap_or_default();
        let left_middle = Pos::new(HPos::Left, VPos::Center);
        area.draw(&Text::new(first, (text_x, y), main(scale).pos(left_middle)))
            .map_err(drawing)?;
        for text in lines {
            y += note_row;
            area.draw(&Text::new(text, (text_x, y), note(scale).pos(left_middle)))
                .map_err(drawing)?;
        }
        y += row;
    }
    Ok(())
}

/// An entry's sample, its left end at `(x, y)`.
fn draw_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sample: Sample,
    (x, y): (i32, i32),
    scale: &Scale,
) -> Result<()> {
    let style = Style(scale);
    let w = scale.px(SAMPLE_WIDTH) as i32;
    let middle = (x + w / 2, y);
    let line = |style: ShapeStyle| PathElement::new([(x, y), (x + w, y)], style);
    match sample {
        Sample::Ceiling => {
            let half = style.ceiling_square();
            area.draw(&Rectangle::new(
                [(x, y - 2 * half), (x + w, y + 2 * half)],
                Style::ceiling_fill(),
            ))
            .map_err(drawing)?;
            area.draw(&line(style.ceiling_line())).map_err(drawing)?;
            area.draw(&Rectangle::new(
                [(middle.0 - half, y - half), (middle.0 + half, y + half)],
                CEILING.filled(),
            ))
            .map_err(drawing)?;
        }
        Sample::Ideal => area.draw(&line(style.ideal_line())).map_err(drawing)?,
        Sample::Line {
            color,
            dashed,
            markers,
        } => {
            let stroke = style.series_line(color, dashed);
            if dashed {
                // Two dashes, as the line itself shows them.
                let third = w / 3;
                for start in [x, x + 2 * third] {
                    area.draw(&PathElement::new([(start, y), (start + third, y)], stroke))
                        .map_err(drawing)?;
                }
            } else {
                area.draw(&line(stroke)).map_err(drawing)?;
            }
            if markers {
                area.draw(&Circle::new(middle, style.marker_radius(), color.filled()))
                    .map_err(drawing)?;
            }
        }
    }
    Ok(())
}

fn main(scale: &Scale) -> TextStyle<'static> {
    (FAMILY, scale.px(21.0)).into_font().color(&BLACK)
}

fn note(scale: &Scale) -> TextStyle<'static> {
    (FAMILY, scale.px(18.0))
        .into_font()
        .color(&RGBColor(90, 90, 90))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> Entry {
        Entry {
            label: label.into(),
            sample: Sample::Ideal,
        }
    }

    #[test]
    fn union_keeps_each_label_once_in_first_order() {
        let all = union([
            vec![entry("ideal"), entry("thread-pool")],
            vec![
                entry("ideal"),
                entry("process-static"),
                entry("thread-pool"),
            ],
        ]);
        let labels: Vec<&str> = all.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["ideal", "thread-pool", "process-static"]);
    }
}
