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
                let font = if line == 0 {
                    main(scale, 1.0)
                } else {
                    note(scale, 1.0)
                };
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
    let squeeze = squeeze(entries, area.dim_in_pixel().1, scale);
    let row = (scale.px(34.0) as f64 * squeeze) as i32;
    let note_row = (scale.px(24.0) as f64 * squeeze) as i32;
    let x = scale.px(MARGIN) as i32;
    let text_x = x + scale.px(SAMPLE_WIDTH + GAP) as i32;
    let mut y = scale.px(TOP) as i32;
    let (main, note) = (main(scale, squeeze), note(scale, squeeze));
    for entry in entries {
        draw_sample(area, entry.sample, (x, y), scale)?;
        let mut lines = entry.label.split('\n');
        let first = lines.next().unwrap_or_default();
        let left_middle = Pos::new(HPos::Left, VPos::Center);
        area.draw(&Text::new(first, (text_x, y), main.pos(left_middle)))
            .map_err(drawing)?;
        for text in lines {
            y += note_row;
            area.draw(&Text::new(text, (text_x, y), note.pos(left_middle)))
                .map_err(drawing)?;
        }
        y += row;
    }
    Ok(())
}

/// How much to shrink the rows and their text so that `entries` fit a
/// column `height` pixels high: 1 when they fit as they are. A comparison
/// of two lab reports keys some twenty curves, more than a column holds at
/// full size, and entries drawn past its end overlap.
fn squeeze(entries: &[Entry], height: u32, scale: &Scale) -> f64 {
    let notes: usize = entries.iter().map(|e| e.label.matches('\n').count()).sum();
    let needed =
        entries.len() as f64 * scale.px(34.0) as f64 + notes as f64 * scale.px(24.0) as f64;
    let room = height as f64 - scale.px(TOP + MARGIN) as f64;
    (room / needed).clamp(0.0, 1.0)
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

/// An entry's text, `squeeze` times its full size.
fn main(scale: &Scale, squeeze: f64) -> TextStyle<'static> {
    (FAMILY, scale.px(21.0) as f64 * squeeze)
        .into_font()
        .color(&BLACK)
}

/// The smaller second line of an entry, `squeeze` times its full size.
fn note(scale: &Scale, squeeze: f64) -> TextStyle<'static> {
    (FAMILY, scale.px(18.0) as f64 * squeeze)
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

    #[test]
    fn a_long_key_shrinks_to_fit_its_column_and_a_short_one_keeps_its_size() {
        let scale = Scale::of_height(800);
        let key = |n: usize| {
            (0..n)
                .map(|i| entry(&format!("curve {i}")))
                .collect::<Vec<_>>()
        };
        assert_eq!(squeeze(&key(10), 800, &scale), 1.0);
        let long = key(32);
        let factor = squeeze(&long, 800, &scale);
        assert!(factor < 1.0, "{factor}");
        let bottom = TOP + 32.0 * 34.0 * factor;
        assert!(
            bottom <= 800.0 - MARGIN + 1e-9,
            "the last entry at {bottom}"
        );
        // A second line counts too.
        let mut noted = key(20);
        noted[0].label.push_str("\na note");
        assert!(squeeze(&noted, 800, &scale) < squeeze(&key(20), 800, &scale));
    }
}
