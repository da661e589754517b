//! A pair plot of two sampled parameters, like ELFI's `plot_pairs`.
//!
//! Rejection ABC (the `ma2` workload) returns samples of two parameters
//! `(t1, t2)` from an approximate posterior. One look at a 2×2 grid tells
//! whether the samples found the truth:
//!
//! ```text
//!   hist(t1)        t1 against t2
//!   t2 against t1   hist(t2)
//! ```
//!
//! The diagonal shows each parameter's marginal distribution; the off-diagonal
//! scatter shows how the two depend on each other (for MA(2) they do: the
//! identifiable region is a triangle). True values, when known, are marked: a
//! vertical line on the histograms, a cross on the scatters.

use super::{FAMILY, Figure, color, drawing, save};
use crate::{Error, Result};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::ops::Range;
use std::path::Path;

/// The size of a pair plot file, in pixels.
pub const SIZE: (u32, u32) = (1000, 1000);

/// Draws the pair plot of `samples` to `path` (SVG or PNG by extension).
///
/// `names` label the two parameters; `truth` marks their true values.
pub fn pairs(
    path: &Path,
    names: [&str; 2],
    samples: &[(f64, f64)],
    truth: Option<(f64, f64)>,
) -> Result<()> {
    let figure = PairPlot::new(names, samples, truth)?;
    save(path, &figure, SIZE)
}

/// The figure behind [`pairs`], for drawing into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct PairPlot {
    names: [String; 2],
    columns: [Vec<f64>; 2],
    truth: Option<[f64; 2]>,
}

impl PairPlot {
    /// Checks the samples: at least one, all finite.
    pub fn new(
        names: [&str; 2],
        samples: &[(f64, f64)],
        truth: Option<(f64, f64)>,
    ) -> Result<PairPlot> {
        if samples.is_empty() {
            return Err(Error::new("a pair plot needs at least one sample"));
        }
        if let Some(i) = samples
            .iter()
            .position(|(a, b)| !a.is_finite() || !b.is_finite())
        {
            return Err(Error::new(format!("sample {i} is not a finite number")));
        }
        Ok(PairPlot {
            names: names.map(String::from),
            columns: [
                samples.iter().map(|s| s.0).collect(),
                samples.iter().map(|s| s.1).collect(),
            ],
            truth: truth.map(|(a, b)| [a, b]),
        })
    }

    /// The axis range of parameter `k`: its samples and its true value, padded.
    fn range(&self, k: usize) -> Range<f64> {
        let values = self.columns[k]
            .iter()
            .chain(self.truth.iter().map(|t| &t[k]));
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
        let pad = ((high - low) * 0.05).max(1e-9);
        low - pad..high + pad
    }

    fn histogram<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, k: usize) -> Result<()> {
        let range = self.range(k);
        let values = &self.columns[k];
        let bins = ((values.len() as f64).sqrt().round() as usize).clamp(5, 40);
        let width = (range.end - range.start) / bins as f64;
        let mut counts = vec![0usize; bins];
        for v in values {
            let bin = ((v - range.start) / width) as usize;
            counts[bin.min(bins - 1)] += 1;
        }
        let top = *counts.iter().max().unwrap_or(&1) as f64 * 1.1;
        let mut chart = self.frame(area, range.clone(), 0.0..top, &self.names[k], "count")?;
        let fill = color(k).mix(0.75).filled();
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let left = range.start + i as f64 * width;
                Rectangle::new([(left, 0.0), (left + width, c as f64)], fill)
            }))
            .map_err(drawing)?;
        if let Some(truth) = self.truth {
            chart
                .draw_series(LineSeries::new(
                    [(truth[k], 0.0), (truth[k], top)],
                    RED.stroke_width(3),
                ))
                .map_err(drawing)?
                .label("true value")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED.stroke_width(3)));
            legend(&mut chart)?;
        }
        Ok(())
    }

    /// Parameter `y` against parameter `x`.
    fn scatter<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        x: usize,
        y: usize,
    ) -> Result<()> {
        let mut chart = self.frame(
            area,
            self.range(x),
            self.range(y),
            &self.names[x],
            &self.names[y],
        )?;
        let dot = color(2).mix(0.5).filled();
        chart
            .draw_series(
                self.columns[x]
                    .iter()
                    .zip(&self.columns[y])
                    .map(|(&a, &b)| Circle::new((a, b), 3, dot)),
            )
            .map_err(drawing)?;
        if let Some(truth) = self.truth {
            chart
                .draw_series([Cross::new((truth[x], truth[y]), 10, RED.stroke_width(4))])
                .map_err(drawing)?
                .label("true value")
                .legend(|(x, y)| Cross::new((x + 10, y), 6, RED.stroke_width(3)));
            legend(&mut chart)?;
        }
        Ok(())
    }

    fn frame<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        x: Range<f64>,
        y: Range<f64>,
        x_desc: &str,
        y_desc: &str,
    ) -> Result<Chart<'a, DB>> {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(55)
            .y_label_area_size(70)
            .build_cartesian_2d(x, y)
            .map_err(drawing)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(x_desc)
            .y_desc(y_desc)
            .axis_desc_style((FAMILY, 22))
            .label_style((FAMILY, 16))
            .x_labels(6)
            .y_labels(6)
            .light_line_style(RGBColor(240, 240, 240))
            .bold_line_style(RGBColor(220, 220, 220));
        if y_desc == "count" {
            // Counts are whole numbers: "400", not "400.0".
            mesh.y_label_formatter(&|y| format!("{y:.0}"));
        }
        mesh.draw().map_err(drawing)?;
        Ok(chart)
    }
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>) -> Result<()> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FAMILY, 16))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .draw()
        .map_err(drawing)
}

impl Figure for PairPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let title = format!(
            "{} and {}: {} samples",
            self.names[0],
            self.names[1],
            self.columns[0].len()
        );
        let body = area
            .titled(&title, (FAMILY, 30).into_font().style(FontStyle::Bold))
            .map_err(drawing)?;
        let cells = body.split_evenly((2, 2));
        self.histogram(&cells[0], 0)?;
        self.scatter(&cells[1], 1, 0)?;
        self.scatter(&cells[2], 0, 1)?;
        self.histogram(&cells[3], 1)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{Format, render, svg_texts};

    /// A deterministic cloud around (0.6, 0.2).
    fn cloud(n: usize) -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = (i as f64 * 0.618_034).fract() - 0.5;
                let b = (i as f64 * 0.414_214).fract() - 0.5;
                (0.6 + 0.3 * a, 0.2 + 0.2 * b + 0.1 * a)
            })
            .collect()
    }

    #[test]
    fn svg_has_four_panels_names_and_truth() {
        let figure = PairPlot::new(["t1", "t2"], &cloud(400), Some((0.6, 0.2))).unwrap();
        let svg = String::from_utf8(render(&figure, Format::Svg, SIZE).unwrap()).unwrap();
        let texts = svg_texts(&svg);
        let count = |t: &str| texts.iter().filter(|x| *x == t).count();
        assert_eq!(count("t1 and t2: 400 samples"), 1, "title");
        // Each name labels three axes: its histogram and both scatters.
        assert_eq!((count("t1"), count("t2")), (3, 3), "axis names");
        assert!(svg.contains("<circle"), "scatter dots");
        assert!(svg.matches("<rect").count() > 20, "histogram bars");
        // Legend entries: one per panel (two histograms, two scatters).
        assert_eq!(count("true value"), 4);
        // Without truth, no true-value marks.
        let plain = PairPlot::new(["t1", "t2"], &cloud(50), None).unwrap();
        let svg = String::from_utf8(render(&plain, Format::Svg, SIZE).unwrap()).unwrap();
        assert!(!svg.contains("true value"));
    }

    #[test]
    fn png_decodes_at_the_figure_size() {
        let dir = std::env::temp_dir().join(format!("speedup-pairs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pairs.png");
        pairs(&path, ["t1", "t2"], &cloud(300), Some((0.6, 0.2))).unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), SIZE);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_samples_and_paths_are_refused() {
        assert!(PairPlot::new(["a", "b"], &[], None).is_err());
        let err = PairPlot::new(["a", "b"], &[(0.0, 1.0), (f64::NAN, 0.0)], None).unwrap_err();
        assert!(err.to_string().contains("sample 1"), "{err}");
        let err = pairs(Path::new("/tmp/x.jpg"), ["a", "b"], &cloud(5), None).unwrap_err();
        assert!(err.to_string().contains(".svg or .png"), "{err}");
    }
}
