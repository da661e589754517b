//! Curves against the worker count: the speedup figure, the efficiency
//! figure, and comparisons of two reports.
//!
//! What makes such a figure readable on a slide, and what this draws:
//! - the **ideal** line (speedup = workers, or efficiency = 1), labelled, so
//!   every curve is judged against perfect scaling;
//! - vertical markers at the **physical core** count and the **logical CPU**
//!   count, where curves are expected to bend;
//! - the **oversubscribed** region (more workers than logical CPUs) shaded
//!   and labelled: there, extra workers can only cost;
//! - **CI whiskers** on every point: a gap smaller than the whiskers is noise;
//! - the **machine ceiling** as a grey band (its interval) around a grey
//!   line: what p independent serial jobs get at once, the most a parallel
//!   code could hope for on this machine;
//! - fitted curves (Amdahl's law or USL, the better) **dashed**, so model and measurement never
//!   look alike;
//! - the key in a column **beside** the plot ([`super::legend`]), where it
//!   hides no point.
//!
//! [`CurveChart::draw_plot`] reads as the list of those layers, bottom to
//! top; each layer is one small method.

use super::legend::{self, Entry, Sample};
use super::style::{CEILING, Scale, Style};
use super::{FAMILY, Figure, drawing};
use crate::Result;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One point of a curve, with its confidence interval if it has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub x: f64,
    pub y: f64,
    pub ci: Option<(f64, f64)>,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry; `None` keeps the line out of the legend.
    pub label: Option<String>,
    pub color: RGBColor,
    pub points: Vec<CurvePoint>,
    /// Dashed lines are models or the second report of a comparison.
    pub dashed: bool,
    /// Draw a dot at each point (measurements) or not (smooth models).
    pub markers: bool,
}

/// The reference line of perfect scaling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ideal {
    /// y = x: speedup equal to the worker count.
    Diagonal,
    /// y = c: efficiency 1.
    Level(f64),
}

/// A shaded band with a line through it: the machine ceiling.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub label: String,
    /// `(x, low, mid, high)`, in increasing x.
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// What the x axis shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum XAxis {
    /// Worker counts, from 1 to the chart's `x_max`, labelled as whole numbers.
    Workers,
    /// A problem size on a log scale: every x is log10 of the size, the axis
    /// runs from `low` to `high` (in those logs) and is labelled with powers
    /// of ten (10⁵, 10⁶), so sizes a thousandfold apart get equal room.
    Log10 { low: f64, high: f64 },
}

/// A chart of curves against workers (or a problem size, [`XAxis`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CurveChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    pub ideal: Option<Ideal>,
    /// The machine ceiling, drawn under the series.
    pub band: Option<Band>,
    pub physical_cores: Option<usize>,
    pub logical_cpus: Option<usize>,
    /// The largest worker count shown.
    pub x_max: f64,
    /// What the x axis shows: workers, unless a size.
    pub x_axis: XAxis,
}

/// Several charts side by side under one title, in rows of at most
/// [`Panels::PER_ROW`].
#[derive(Debug, Clone, PartialEq)]
pub struct Panels {
    pub title: String,
    pub charts: Vec<CurveChart>,
}

impl Panels {
    /// Panels in one row: more make a figure too wide to read on a slide
    /// (a lab's eight problem sizes in one row were 7,500 pixels wide).
    pub const PER_ROW: usize = 3;

    /// The rows and columns `count` panels are laid out in.
    pub fn grid(count: usize) -> (usize, usize) {
        let columns = count.clamp(1, Self::PER_ROW);
        (count.max(1).div_ceil(columns), columns)
    }
}

impl CurveChart {
    /// The top of the y axis: room for every point, a little headroom, and
    /// the ideal line up to the logical CPU count.
    fn y_top(&self) -> f64 {
        let highest_point = self
            .series
            .iter()
            .flat_map(|s| &s.points)
            .map(|p| p.y)
            .chain(self.band.iter().flat_map(|b| b.points.iter().map(|p| p.2)))
            .fold(0.0, f64::max);
        // Whiskers may extend the axis, but not so far that they flatten the curves.
        let highest_whisker = self
            .series
            .iter()
            .flat_map(|s| &s.points)
            .filter_map(|p| p.ci.map(|c| c.1))
            .fold(0.0, f64::max)
            .min(highest_point * 1.3);
        let ideal = match self.ideal {
            Some(Ideal::Diagonal) => self.logical_cpus.unwrap_or(1) as f64,
            Some(Ideal::Level(level)) => level,
            None => 0.0,
        };
        let top = highest_point.max(highest_whisker).max(ideal) * 1.12;
        if top.is_finite() && top > 0.0 {
            top
        } else {
            1.0
        }
    }
}

/// The plotting area of a curve chart, in workers × value coordinates.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// What every layer needs: the scale and the axis ends.
struct Frame {
    scale: Scale,
    x_start: f64,
    x_end: f64,
    y_top: f64,
}

impl Frame {
    fn clamp(&self, y: f64) -> f64 {
        y.clamp(0.0, self.y_top)
    }

    fn note(&self) -> TextStyle<'static> {
        (FAMILY, self.scale.px(21.0))
            .into_font()
            .color(&RGBColor(70, 70, 70))
    }
}

impl Figure for CurveChart {
    /// The plot, and its key in a column on the right.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let entries = self.legend_entries();
        let (plot, key) = beside_key(area, &entries);
        self.draw_plot(&plot)?;
        legend::draw(&key, &entries, &Scale::of_height(area.dim_in_pixel().1))
    }
}

/// Splits `area` into a plot on the left and a column for `entries`.
fn beside_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (width, height) = area.dim_in_pixel();
    let key = legend::width(area, entries, &Scale::of_height(height)).min(width / 2);
    area.split_horizontally(width - key)
}

impl CurveChart {
    /// The chart without its key, layer by layer, bottom to top.
    pub fn draw_plot<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let (x_start, x_end) = match self.x_axis {
            XAxis::Workers => (0.5, self.x_max.max(1.0) + 0.5),
            XAxis::Log10 { low, high } => (low, high.max(low + 0.5)),
        };
        let frame = Frame {
            scale: Scale::of_height(area.dim_in_pixel().1),
            x_start,
            x_end,
            y_top: self.y_top(),
        };
        let mut chart = self.axes(area, &frame)?;
        self.oversubscribed(&mut chart, &frame)?;
        self.core_markers(&mut chart, &frame)?;
        self.ceiling(&mut chart, &frame)?;
        self.ideal(&mut chart, &frame)?;
        for series in &self.series {
            draw_series(&mut chart, &frame, series)?;
        }
        Ok(())
    }

    /// The key: the ceiling, the ideal, then every labelled series.
    pub fn legend_entries(&self) -> Vec<Entry> {
        let ceiling = self.band.iter().map(|band| Entry {
            label: band.label.clone(),
            sample: Sample::Ceiling,
        });
        let ideal = self.ideal.iter().map(|_| Entry {
            label: "ideal".into(),
            sample: Sample::Ideal,
        });
        let series = self.series.iter().filter_map(|s| {
            Some(Entry {
                label: s.label.clone()?,
                sample: Sample::Line {
                    color: s.color,
                    dashed: s.dashed,
                    markers: s.markers,
                },
            })
        });
        ceiling.chain(ideal).chain(series).collect()
    }

    /// Title, axes and grid.
    fn axes<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        frame: &Frame,
    ) -> Result<Chart<'a, DB>> {
        let scale = &frame.scale;
        let mut chart = ChartBuilder::on(area)
            .caption(
                &self.title,
                (FAMILY, scale.px(34.0)).into_font().style(FontStyle::Bold),
            )
            .margin(scale.px(24.0))
            .x_label_area_size(scale.px(80.0))
            .y_label_area_size(scale.px(95.0))
            .build_cartesian_2d(frame.x_start..frame.x_end, 0.0..frame.y_top)
            .map_err(drawing)?;
        let (labels, power_of_ten) = match self.x_axis {
            XAxis::Workers => (self.x_max.min(16.0) as usize + 2, false),
            XAxis::Log10 { .. } => ((frame.x_end - frame.x_start).ceil() as usize + 2, true),
        };
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style((FAMILY, scale.px(26.0)))
            .label_style((FAMILY, scale.px(21.0)))
            .x_labels(labels)
            .x_label_formatter(&|x| {
                let whole = (x - x.round()).abs() < 1e-9;
                match (whole, power_of_ten) {
                    (true, true) => power_of_ten_label(x.round() as i32),
                    (true, false) if *x >= 1.0 => format!("{}", x.round() as i64),
                    _ => String::new(),
                }
            })
            .y_label_formatter(&|y| format!("{y:.1}"))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()
            .map_err(drawing)?;
        Ok(chart)
    }

    /// More workers than logical CPUs: shaded, labelled top right.
    fn oversubscribed<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Chart<'a, DB>,
        frame: &Frame,
    ) -> Result<()> {
        let Some(logical) = self.logical_cpus.filter(|&l| (l as f64) < self.x_max) else {
            return Ok(());
        };
        let (x_end, y_top) = (frame.x_end, frame.y_top);
        chart
            .draw_series([Rectangle::new(
                [(logical as f64, 0.0), (x_end, y_top)],
                RGBColor(220, 50, 32).mix(0.08).filled(),
            )])
            .map_err(drawing)?;
        chart
            .draw_series([Text::new(
                format!("oversubscribed: workers > {logical} logical CPUs "),
                (x_end, y_top * 0.985),
                frame.note().pos(Pos::new(HPos::Right, VPos::Top)),
            )])
            .map_err(drawing)?;
        Ok(())
    }

    /// Vertical lines at the physical cores and the logical CPUs, labelled
    /// at the bottom, where speedup curves rarely go.
    fn core_markers<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Chart<'a, DB>,
        frame: &Frame,
    ) -> Result<()> {
        let mut markers = Vec::new();
        match (self.physical_cores, self.logical_cpus) {
            (Some(p), Some(l)) if p == l => {
                markers.push((p, format!("{p} cores = {l} logical CPUs")))
            }
            (p, l) => {
                markers.extend(p.map(|p| (p, format!("{p} physical cores"))));
                markers.extend(l.map(|l| (l, format!("{l} logical CPUs"))));
            }
        }
        for (i, (at, text)) in markers.iter().enumerate() {
            let x = *at as f64;
            chart
                .draw_series(LineSeries::new(
                    [(x, 0.0), (x, frame.y_top)],
                    RGBColor(90, 90, 90).stroke_width(frame.scale.px(2.0)),
                ))
                .map_err(drawing)?;
            let y = frame.y_top * (0.015 + 0.055 * i as f64);
            chart
                .draw_series([Text::new(
                    format!(" {text}"),
                    (x, y),
                    frame.note().pos(Pos::new(HPos::Left, VPos::Bottom)),
                )])
                .map_err(drawing)?;
        }
        Ok(())
    }

    /// The machine ceiling: its interval as a grey band, its median as a
    /// grey line with small squares.
    fn ceiling<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Chart<'a, DB>,
        frame: &Frame,
    ) -> Result<()> {
        let Some(band) = self.band.as_ref().filter(|b| !b.points.is_empty()) else {
            return Ok(());
        };
        let style = Style(&frame.scale);
        let outline: Vec<(f64, f64)> = band
            .points
            .iter()
            .map(|p| (p.0, frame.clamp(p.1)))
            .chain(band.points.iter().rev().map(|p| (p.0, frame.clamp(p.3))))
            .collect();
        chart
            .draw_series([Polygon::new(outline, Style::ceiling_fill())])
            .map_err(drawing)?;
        let mids: Vec<(f64, f64)> = band
            .points
            .iter()
            .map(|p| (p.0, frame.clamp(p.2)))
            .collect();
        let side = style.ceiling_square();
        chart
            .draw_series(LineSeries::new(mids.clone(), style.ceiling_line()))
            .map_err(drawing)?;
        chart
            .draw_series(mids.iter().map(|&p| {
                EmptyElement::at(p)
                    + Rectangle::new([(-side, -side), (side, side)], CEILING.filled())
            }))
            .map_err(drawing)?;
        Ok(())
    }

    /// The ideal line, labelled on the line itself too.
    fn ideal<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Chart<'a, DB>,
        frame: &Frame,
    ) -> Result<()> {
        let Some(ideal) = self.ideal else {
            return Ok(());
        };
        let (start, end) = match ideal {
            Ideal::Diagonal => {
                let e = frame.x_end.min(frame.y_top);
                ((0.5, 0.5), (e, e))
            }
            Ideal::Level(level) => ((frame.x_start, level), (frame.x_end, level)),
        };
        chart
            .draw_series(LineSeries::new(
                [start, end],
                Style(&frame.scale).ideal_line(),
            ))
            .map_err(drawing)?;
        let at = match ideal {
            Ideal::Diagonal => (end.0 * 0.93, end.1 * 0.93),
            Ideal::Level(level) => (frame.x_start + 0.1, level),
        };
        chart
            .draw_series([Text::new(
                "  ideal",
                at,
                (FAMILY, frame.scale.px(22.0))
                    .into_font()
                    .style(FontStyle::Italic)
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
            )])
            .map_err(drawing)?;
        Ok(())
    }
}

/// `10^power` as a label, the power in superscript digits: 10⁵, 10⁻².
fn power_of_ten_label(power: i32) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits: String = power
        .unsigned_abs()
        .to_string()
        .chars()
        .map(|d| SUPERSCRIPT[d.to_digit(10).unwrap_or(0) as usize])
        .collect();
    let sign = if power < 0 { "⁻" } else { "" };
    format!("10{sign}{digits}")
}

/// One series: its line (dashed for models), dots and CI whiskers.
fn draw_series<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    frame: &Frame,
    series: &Series,
) -> Result<()> {
    let scale = &frame.scale;
    let colour = series.color;
    let style = Style(scale).series_line(colour, series.dashed);
    let points: Vec<(f64, f64)> = series
        .points
        .iter()
        .map(|p| (p.x, frame.clamp(p.y)))
        .collect();
    let dash = (scale.px(12.0), scale.px(8.0));
    if series.dashed {
        chart.draw_series(DashedLineSeries::new(points.clone(), dash.0, dash.1, style))
    } else {
        chart.draw_series(LineSeries::new(points.clone(), style))
    }
    .map_err(drawing)?;
    if series.markers {
        let radius = Style(scale).marker_radius();
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, radius, colour.filled())),
            )
            .map_err(drawing)?;
    }
    let whisker = colour.stroke_width(scale.px(2.0));
    let cap = scale.px(14.0);
    chart
        .draw_series(series.points.iter().filter_map(|p| {
            let (low, high) = p.ci?;
            Some(ErrorBar::new_vertical(
                p.x,
                frame.clamp(low),
                frame.clamp(p.y),
                frame.clamp(high),
                whisker,
                cap,
            ))
        }))
        .map_err(drawing)?;
    Ok(())
}

impl Figure for Panels {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let (rows, columns) = Panels::grid(self.charts.len());
        // Text is sized by one row's height, as in a figure of one row.
        let row_height = area.dim_in_pixel().1 / rows as u32;
        let height = f64::from(row_height);
        let font = |size: f64| TextStyle::from((FAMILY, size).into_font().style(FontStyle::Bold));
        // A title wider than the figure (two long folder names compared)
        // is drawn smaller rather than cut off at both edges. The estimate
        // runs some 7% narrower than the drawn PNG text: leave room for it.
        let mut size = (height * 0.05).max(12.0);
        let room = f64::from(area.dim_in_pixel().0) * 0.85;
        if let Ok((wide, _)) = area.estimate_text_size(&self.title, &font(size)) {
            if f64::from(wide) > room {
                size = (size * room / f64::from(wide)).max(12.0);
            }
        }
        let title_font = font(size);
        let body = area.titled(&self.title, title_font).map_err(drawing)?;
        // One key for all panels: their charts share their strategies.
        let entries = legend::union(self.charts.iter().map(CurveChart::legend_entries));
        let (plots, key) = beside_key(&body, &entries);
        let cells = plots.split_evenly((rows, columns));
        for (cell, chart) in cells.iter().zip(&self.charts) {
            chart.draw_plot(cell)?;
        }
        legend::draw(&key, &entries, &Scale::of_height(row_height))
    }
}
