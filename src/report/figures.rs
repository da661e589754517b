//! The report's figures: which curves go on which chart.
//!
//! Drawing lives in [`crate::plot`]; this file only decides the content:
//! one line per parallel strategy (serial is the baseline every speedup is
//! divided by, so it is not a line), its CI whiskers, its Amdahl fit
//! dashed in the same colour, and the machine ceiling as a grey band.

use super::Report;
use crate::Result;
use crate::plot::{
    Band, CurveChart, CurvePoint, EXTRA, Figure, Format, Ideal, NEUTRAL, Panels, Series, render,
};
use crate::strategy::{Strategy, TABLE};
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
pub fn strategy_color(label: &str) -> Option<RGBColor> {
    TABLE
        .iter()
        .find(|e| e.label == label)
        .map(|e| RGBColor(e.color.0, e.color.1, e.color.2))
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
        .flat_map(|quantity| file_names(&figure_stem(workload, quantity)))
        .collect())
}

/// `stem.svg` and `stem.png`, the two files of one figure.
fn file_names(stem: &str) -> [String; 2] {
    [format!("{stem}.svg"), format!("{stem}.png")]
}

/// The measured curve of one strategy.
pub fn measured_series(
    report: &Report,
    workload: &str,
    strategy: &str,
    quantity: Quantity,
) -> Series {
    let points = report
        .derived
        .iter()
        .filter(|d| d.workload == workload && d.strategy == strategy)
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
        label: Some(strategy.to_string()),
        color: strategy_color(strategy).unwrap_or(EXTRA[0]),
        points,
        dashed: false,
        markers: true,
    }
}

/// The largest worker count measured for `workload`.
fn x_max(report: &Report, workload: &str) -> f64 {
    report
        .measurements
        .iter()
        .filter(|m| m.workload == workload)
        .map(|m| m.workers)
        .max()
        .unwrap_or(1) as f64
}

/// Speedup or efficiency against workers for one workload.
pub fn chart(report: &Report, workload: &str, quantity: Quantity) -> CurveChart {
    let x_max = x_max(report, workload);
    let mut series = Vec::new();
    let mut fits = Vec::new();
    let mut extra = EXTRA.iter().cycle();
    for strategy in report.strategies(workload) {
        if strategy == Strategy::BASELINE.label() {
            continue;
        }
        let mut measured = measured_series(report, workload, strategy, quantity);
        // Curves that are not the library's (a student's) each get a colour of their own.
        if strategy_color(strategy).is_none() {
            measured.color = *extra.next().expect("a cycle never ends");
        }
        let color = measured.color;
        series.push(measured);
        if let Some(fit) = report.fit(workload, strategy) {
            let points = (10..=(x_max * 10.0) as usize)
                .map(|tenth| {
                    let x = tenth as f64 / 10.0;
                    let s = fit.predict(x);
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
        }
    }
    if !fits.is_empty() {
        // One legend entry explains every dashed line.
        fits.push(Series {
            label: Some("Amdahl fit".into()),
            color: NEUTRAL,
            points: Vec::new(),
            dashed: true,
            markers: false,
        });
    }
    series.extend(fits);
    let machine = &report.machine;
    let (title, y_label, ideal) = match quantity {
        Quantity::Speedup => (
            format!("{workload}: speedup on {}", machine.slug()),
            "speedup over serial (×)",
            Ideal::Diagonal,
        ),
        Quantity::Efficiency => (
            format!("{workload}: efficiency on {}", machine.slug()),
            "efficiency (speedup / workers)",
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
        band: ceiling_band(report, workload, quantity),
    }
}

/// The machine ceiling of `workload` as a band (per worker for efficiency).
pub fn ceiling_band(report: &Report, workload: &str, quantity: Quantity) -> Option<Band> {
    let points: Vec<(f64, f64, f64, f64)> = report
        .ceiling(workload)
        .into_iter()
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
        label: "machine ceiling\n(p serial copies at once)".into(),
        points,
    })
}

/// Every workload's speedup chart side by side.
pub fn overview(report: &Report) -> Panels {
    Panels {
        title: format!("Speedup on {}", report.machine.slug()),
        charts: report
            .workloads()
            .into_iter()
            .map(|w| {
                let mut chart = chart(report, w, Quantity::Speedup);
                chart.title = w.to_string();
                chart
            })
            .collect(),
    }
}

/// Room for the key beside an overview's panels (its widest label).
const KEY_WIDTH: u32 = 340;

/// The overview's pixel size: one panel per workload, and the key.
pub fn overview_size(panels: usize) -> (u32, u32) {
    (PANEL_WIDTH * panels.max(1) as u32 + KEY_WIDTH, CHART_SIZE.1)
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
pub fn render_all(report: &Report) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for workload in report.workloads() {
        figure_files(workload)?; // a plain name, or no figure at all
        for quantity in [Quantity::Speedup, Quantity::Efficiency] {
            let stem = figure_stem(workload, quantity);
            files.extend(both_formats(
                &stem,
                &chart(report, workload, quantity),
                CHART_SIZE,
            )?);
        }
    }
    let overview = overview(report);
    let size = overview_size(overview.charts.len());
    files.extend(both_formats("overview", &overview, size)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_strategies_have_their_table_colour_and_others_get_extras() {
        let mpi = strategy_color(Strategy::Mpi.label()).unwrap();
        assert_eq!(mpi, RGBColor(120, 70, 170));
        assert_eq!(strategy_color("student-threads"), None);
        assert!(TABLE.iter().all(|e| strategy_color(e.label).is_some()));
    }
}
