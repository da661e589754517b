//! The report's figures: which curves go on which chart.
//!
//! Drawing lives in [`crate::plot`]; this file only decides the content:
//! one line per parallel strategy (serial is the baseline every speedup is
//! divided by, so it is not a line), its CI whiskers, its Amdahl fit
//! dashed in the same colour, and the machine ceiling as a grey band.

use super::Report;
use super::derived::CEILING_LABEL;
use super::sizes::{SizeStudy, size_figure_stem};
use super::view::{Label, Law, WorkloadView};
use crate::Result;
use crate::plot::{
    Band, CurveChart, CurvePoint, EXTRA, Figure, Format, Ideal, NEUTRAL, Panels, Series, XAxis,
    render,
};
use plotters::style::RGBColor;

/// Pixel size of one chart.
pub const CHART_SIZE: (u32, u32) = (1280, 800);
/// Pixel width of one panel of the overview.
pub const PANEL_WIDTH: u32 = 900;

/// Speedup or efficiency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Speedup,
    Efficiency,
}

impl Quantity {
    fn name(self) -> &'static str {
        match self {
            Quantity::Speedup => "speedup",
            Quantity::Efficiency => "efficiency",
        }
    }
}

/// A library strategy's colour, from its row of the strategy table, so it is
/// the same in every figure of every report; `None` for other labels (a
/// student's curves), which get [`EXTRA`] colours in turn.
pub fn strategy_color(label: &Label) -> Option<RGBColor> {
    match label {
        Label::Strategy(strategy) => {
            let (r, g, b) = strategy.entry().color;
            Some(RGBColor(r, g, b))
        }
        Label::Other(_) => None,
    }
}

/// The colours of one figure's curves: a library strategy's own
/// ([`strategy_color`]), and for any other label (a student's version) the
/// next of [`EXTRA`], the same again wherever that label comes back. So in
/// a comparison, student-threads of report A and of report B share a
/// colour, as thread-pool's two curves do.
#[derive(Default)]
pub struct Colors {
    others: Vec<String>,
}

impl Colors {
    pub fn of(&mut self, label: &Label) -> RGBColor {
        if let Some(color) = strategy_color(label) {
            return color;
        }
        let name = label.to_string();
        let index = match self.others.iter().position(|other| *other == name) {
            Some(index) => index,
            None => {
                self.others.push(name);
                self.others.len() - 1
            }
        };
        EXTRA[index % EXTRA.len()]
    }
}

/// The file name of a workload's figure, without extension. Only for
/// workloads [`figure_files`] accepts.
pub fn figure_stem(workload: &str, quantity: Quantity) -> String {
    format!("{workload}-{}", quantity.name())
}

/// Every file a workload's figures are written to, or an error if its name
/// is not a plain file name: a loaded speedup.json naming a workload
/// `../../x` must not put figures outside the report folder.
pub fn figure_files(workload: &str) -> Result<Vec<String>> {
    crate::names::plain_name(workload).map_err(|e| e.context("workload"))?;
    Ok([Quantity::Speedup, Quantity::Efficiency]
        .into_iter()
        .map(|quantity| figure_stem(workload, quantity))
        .chain([factors_stem(workload)])
        .flat_map(|stem| file_names(&stem))
        .collect())
}

/// The files of a workload's speedup-against-size figure at `workers`
/// (`sizes.rs`), or an error if its name is not a plain file name.
pub fn size_figure_files(workload: &str, workers: usize) -> Result<Vec<String>> {
    crate::names::plain_name(workload).map_err(|e| e.context("workload"))?;
    Ok(file_names(&size_figure_stem(workload, workers)).to_vec())
}

/// The file name of a workload's efficiency-split figure, without
/// extension (drawn only when its points kept busy times).
pub fn factors_stem(workload: &str) -> String {
    format!("{workload}-factors")
}

/// `stem.svg` and `stem.png`, the two files of one figure.
fn file_names(stem: &str) -> [String; 2] {
    [format!("{stem}.svg"), format!("{stem}.png")]
}

/// The measured curve of one label of a workload, in `color`.
pub fn measured_series(
    view: &WorkloadView,
    label: &Label,
    quantity: Quantity,
    color: RGBColor,
) -> Series {
    let points = view
        .curve(label)
        .filter_map(|point| point.derived)
        .map(|d| {
            let per = match quantity {
                Quantity::Speedup => 1.0,
                Quantity::Efficiency => d.workers as f64,
            };
            CurvePoint {
                x: d.workers as f64,
                y: d.speedup / per,
                ci: Some((d.speedup_ci_low / per, d.speedup_ci_high / per)),
            }
        })
        .collect();
    Series {
        label: Some(label.to_string()),
        color,
        points,
        dashed: false,
        markers: true,
    }
}

/// Speedup or efficiency against workers for one workload.
pub fn chart(view: &WorkloadView, quantity: Quantity) -> CurveChart {
    let x_max = view.max_workers() as f64;
    let mut series = Vec::new();
    let mut fits = Vec::new();
    let mut laws: Vec<Law> = Vec::new();
    let mut colors = Colors::default();
    for label in view.labels() {
        if label.is_baseline() {
            continue;
        }
        let color = colors.of(label);
        series.push(measured_series(view, label, quantity, color));
        // The law that describes the curve better, dashed in its colour.
        if let Some((law, predict)) = view.better_prediction(label) {
            let points = super::amdahl::curve_workers(x_max)
                .into_iter()
                .map(|x| {
                    let s = predict(x);
                    let y = match quantity {
                        Quantity::Speedup => s,
                        Quantity::Efficiency => s / x,
                    };
                    CurvePoint { x, y, ci: None }
                })
                .collect();
            fits.push(Series {
                label: None,
                color,
                points,
                dashed: true,
                markers: false,
            });
            if !laws.contains(&law) {
                laws.push(law);
            }
        }
    }
    if !fits.is_empty() {
        // One legend entry explains every dashed line.
        let names: Vec<&str> = laws.iter().map(|l| l.name()).collect();
        fits.push(Series {
            label: Some(match names.as_slice() {
                [one] => format!("{one} fit"),
                _ => "Amdahl or USL fit (the better)".to_string(),
            }),
            color: NEUTRAL,
            points: Vec::new(),
            dashed: true,
            markers: false,
        });
    }
    series.extend(fits);
    let machine = view.machine;
    let workload = view.name;
    let (title, y_label, ideal) = match (quantity, view.is_weak()) {
        (Quantity::Speedup, false) => (
            format!("{workload}: speedup on {}", machine.slug()),
            "speedup over serial (×)",
            Ideal::Diagonal,
        ),
        (Quantity::Efficiency, false) => (
            format!("{workload}: efficiency on {}", machine.slug()),
            "efficiency (speedup / workers)",
            Ideal::Level(1.0),
        ),
        (Quantity::Speedup, true) => (
            format!("{workload}: scaled speedup on {}", machine.slug()),
            "scaled speedup p·T1(n) / Tp(p·n) (×)",
            Ideal::Diagonal,
        ),
        (Quantity::Efficiency, true) => (
            format!("{workload}: weak-scaling efficiency on {}", machine.slug()),
            "weak-scaling efficiency T1(n) / Tp(p·n)",
            Ideal::Level(1.0),
        ),
    };
    CurveChart {
        title,
        x_label: "workers (threads or processes)".into(),
        y_label: y_label.into(),
        series,
        ideal: Some(ideal),
        physical_cores: Some(machine.physical_cores),
        logical_cpus: Some(machine.logical_cpus),
        x_max,
        x_axis: XAxis::Workers,
        band: ceiling_band(view, quantity),
    }
}

/// Speedup against size at `workers` (`sizes.rs`): one line per strategy,
/// the size on a log scale, the machine ceiling at each size as the grey
/// band and the ideal, p, as a level line.
pub fn size_chart(study: &SizeStudy, workers: usize) -> CurveChart {
    let mut series = Vec::new();
    let mut colors = Colors::default();
    for label in study.labels() {
        let points: Vec<CurvePoint> = study
            .speedups(label, workers)
            .into_iter()
            .map(|(size, d)| CurvePoint {
                x: size.log10(),
                y: d.speedup,
                ci: Some((d.speedup_ci_low, d.speedup_ci_high)),
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        series.push(Series {
            label: Some(label.to_string()),
            color: colors.of(label),
            points,
            dashed: false,
            markers: true,
        });
    }
    let band_points: Vec<(f64, f64, f64, f64)> = study
        .ceiling(workers)
        .into_iter()
        .map(|(size, c)| (size.log10(), c.ci_low, c.speedup, c.ci_high))
        .collect();
    let logs: Vec<f64> = study.sizes.iter().map(|(size, _)| size.log10()).collect();
    let (low, high) = logs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        });
    let machine = study.sizes[0].1.machine;
    CurveChart {
        title: format!(
            "{}: speedup against --{} at {workers} workers on {}",
            study.workload,
            study.flag,
            machine.slug()
        ),
        x_label: format!("--{} (log scale)", study.flag),
        y_label: "speedup over serial (×)".into(),
        series,
        ideal: Some(Ideal::Level(workers as f64)),
        band: (!band_points.is_empty()).then(|| Band {
            label: "machine ceiling\n(p serial copies at once)".into(),
            points: band_points,
        }),
        physical_cores: None,
        logical_cpus: None,
        x_max: workers as f64,
        x_axis: XAxis::Log10 {
            low: low - 0.25,
            high: high + 0.25,
        },
    }
}

/// The machine ceiling of `workload` as a band (per worker for efficiency).
pub fn ceiling_band(view: &WorkloadView, quantity: Quantity) -> Option<Band> {
    let points: Vec<(f64, f64, f64, f64)> = view
        .ceiling
        .iter()
        .map(|c| {
            let per = match quantity {
                Quantity::Speedup => 1.0,
                Quantity::Efficiency => c.workers as f64,
            };
            (
                c.workers as f64,
                c.ci_low / per,
                c.speedup / per,
                c.ci_high / per,
            )
        })
        .collect();
    (!points.is_empty()).then(|| Band {
        label: format!("{CEILING_LABEL}\n(p serial copies at once)"),
        points,
    })
}

/// Where the efficiency goes, per strategy against workers
/// (`efficiency.rs`): each strategy's load balance as a solid line and its
/// rest as a dashed one, in its colour, with their intervals; the machine's
/// share (ceiling / p) as the grey band. `None` when no point kept busy
/// times.
pub fn factors_chart(view: &WorkloadView) -> Option<CurveChart> {
    let splits = super::efficiency::splits(view);
    if splits.is_empty() {
        return None;
    }
    let mut series = Vec::new();
    let mut colors = Colors::default();
    for label in view.labels() {
        let mine: Vec<_> = splits.iter().filter(|(p, _)| p.label == *label).collect();
        if mine.is_empty() {
            continue;
        }
        let color = colors.of(label);
        let line = |factor: fn(&super::efficiency::Split) -> crate::interval::MedianInterval| {
            mine.iter()
                .map(|(_, s)| {
                    let f = factor(s);
                    CurvePoint {
                        x: s.workers as f64,
                        y: f.median,
                        ci: Some((f.low, f.high)),
                    }
                })
                .collect()
        };
        series.push(Series {
            label: Some(label.to_string()),
            color,
            points: line(|s| s.load_balance),
            dashed: false,
            markers: true,
        });
        series.push(Series {
            label: None,
            color,
            points: line(|s| s.rest),
            dashed: true,
            markers: true,
        });
    }
    for (label, dashed) in [("solid: load balance", false), ("dashed: the rest", true)] {
        series.push(Series {
            label: Some(label.into()),
            color: NEUTRAL,
            points: Vec::new(),
            dashed,
            markers: false,
        });
    }
    let machine = view.machine;
    Some(CurveChart {
        title: format!(
            "{}: where the efficiency goes on {}",
            view.name,
            machine.slug()
        ),
        x_label: "workers (threads or processes)".into(),
        y_label: "factor of efficiency (1 = no loss)".into(),
        series,
        ideal: Some(Ideal::Level(1.0)),
        band: ceiling_band(view, Quantity::Efficiency).map(|band| Band {
            label: "machine: ceiling / p".into(),
            ..band
        }),
        physical_cores: Some(machine.physical_cores),
        logical_cpus: Some(machine.logical_cpus),
        x_max: view.max_workers() as f64,
        x_axis: XAxis::Workers,
    })
}

/// Every workload's speedup chart side by side.
pub fn overview(report: &Report, views: &[WorkloadView]) -> Panels {
    Panels {
        title: format!("Speedup on {}", report.machine.slug()),
        charts: views
            .iter()
            .map(|view| {
                let mut chart = chart(view, Quantity::Speedup);
                chart.title = view.name.to_string();
                chart
            })
            .collect(),
    }
}

/// Room for the key beside an overview's panels (its widest label).
const KEY_WIDTH: u32 = 340;

/// The overview's pixel size: one panel per workload, in rows of
/// [`Panels::PER_ROW`], and the key.
pub fn overview_size(panels: usize) -> (u32, u32) {
    let (rows, columns) = Panels::grid(panels);
    (
        PANEL_WIDTH * columns as u32 + KEY_WIDTH,
        CHART_SIZE.1 * rows as u32,
    )
}

/// `name.svg` and `name.png` of one figure.
pub fn both_formats(
    name: &str,
    figure: &impl Figure,
    size: (u32, u32),
) -> Result<Vec<(String, Vec<u8>)>> {
    let [svg, png] = file_names(name);
    Ok(vec![
        (svg, render(figure, Format::Svg, size)?),
        (png, render(figure, Format::Png, size)?),
    ])
}

/// Every figure of a report, as (file name, bytes).
pub fn render_all(report: &Report, views: &[WorkloadView]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for view in views {
        figure_files(view.name)?; // a plain name, or no figure at all
        for quantity in [Quantity::Speedup, Quantity::Efficiency] {
            let stem = figure_stem(view.name, quantity);
            files.extend(both_formats(&stem, &chart(view, quantity), CHART_SIZE)?);
        }
        if let Some(factors) = factors_chart(view) {
            files.extend(both_formats(
                &factors_stem(view.name),
                &factors,
                CHART_SIZE,
            )?);
        }
    }
    for study in SizeStudy::all(views) {
        for workers in study.worker_counts() {
            figure_files(&study.workload)?;
            files.extend(both_formats(
                &size_figure_stem(&study.workload, workers),
                &size_chart(&study, workers),
                CHART_SIZE,
            )?);
        }
    }
    let overview = overview(report, views);
    let size = overview_size(overview.charts.len());
    files.extend(both_formats("overview", &overview, size)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::strategy::{Strategy, TABLE};

    #[test]
    fn library_strategies_have_their_table_colour_and_others_get_extras() {
        let mpi = strategy_color(&Label::Strategy(Strategy::Mpi)).unwrap();
        assert_eq!(mpi, RGBColor(120, 70, 170));
        assert_eq!(strategy_color(&Label::of("student-threads")), None);
        assert!(TABLE.iter().all(|e| strategy_color(&Label::of(e.label))
            == Some(RGBColor(e.color.0, e.color.1, e.color.2))));
    }

    #[test]
    fn a_students_label_keeps_its_colour_wherever_it_comes_back() {
        let mut colors = Colors::default();
        let threads = colors.of(&Label::of("student-threads"));
        let channel = colors.of(&Label::of("student-channel"));
        assert_eq!((threads, channel), (EXTRA[0], EXTRA[1]));
        assert_eq!(
            colors.of(&Label::of("thread-pool")),
            strategy_color(&Label::of("thread-pool")).unwrap(),
            "the library's own colour, taking no extra"
        );
        assert_eq!(colors.of(&Label::of("student-threads")), threads);
        assert_eq!(colors.of(&Label::of("student-serial")), EXTRA[2]);
    }
}
