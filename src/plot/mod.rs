//! Figures, drawn with plotters to SVG or PNG.
//!
//! A figure is anything that can draw itself on a plotters drawing area
//! ([`Figure`]); this module turns one into file bytes. Two backends:
//!
//! - **SVG** writes text as `<text>` elements: the viewer's fonts render it.
//! - **PNG** rasterises text itself, so it needs a font file. plotters'
//!   default would ask the system (fontconfig, freetype), which a fresh
//!   machine may lack; instead [`font`] registers DejaVu Sans, compiled into
//!   the binary, with plotters' `ab_glyph` text backend.
//!
//! The pixels are drawn into memory and encoded with the `png` crate; files
//! are written atomically, so a failed drawing never leaves half a figure.
//!
//! Figures: [`curves`] (speedup and efficiency against workers) and
//! [`pairs`] (a 2×2 pair plot of two sampled parameters).

pub mod curves;
mod font;
pub mod legend;
pub mod pairs;
mod style;

use crate::atomic_file::write_atomically;
use crate::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

pub use curves::{Band, CurveChart, CurvePoint, Ideal, Panels, Series, XAxis};
pub use pairs::pairs;

/// Something that draws itself on any plotters backend.
pub trait Figure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// The file formats a figure can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    /// The format named by a file's extension (`.svg` or `.png`).
    pub fn of_path(path: &Path) -> Result<Format> {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("svg") => Ok(Format::Svg),
            Some(e) if e.eq_ignore_ascii_case("png") => Ok(Format::Png),
            _ => Err(Error::new(format!(
                "{}: figure files must end in .svg or .png",
                path.display()
            ))),
        }
    }
}

/// Draws `figure` at `size` pixels and returns the file's bytes.
pub fn render(figure: &impl Figure, format: Format, size: (u32, u32)) -> Result<Vec<u8>> {
    font::register();
    match format {
        Format::Svg => {
            let mut text = String::new();
            {
                let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
                area.fill(&WHITE).map_err(drawing)?;
                figure.draw(&area)?;
                area.present().map_err(drawing)?;
            }
            Ok(text.into_bytes())
        }
        Format::Png => {
            let (width, height) = size;
            let mut rgb = vec![255u8; width as usize * height as usize * 3];
            {
                let area = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                area.fill(&WHITE).map_err(drawing)?;
                figure.draw(&area)?;
                area.present().map_err(drawing)?;
            }
            encode_png(&rgb, size)
        }
    }
}

/// Draws `figure` into `path`, as SVG or PNG by the extension.
pub fn save(path: &Path, figure: &impl Figure, size: (u32, u32)) -> Result<()> {
    let bytes = render(figure, Format::of_path(path)?, size)?;
    write_atomically(path, &bytes)
}

fn encode_png(rgb: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(drawing)?;
    writer.write_image_data(rgb).map_err(drawing)?;
    writer.finish().map_err(drawing)?;
    Ok(bytes)
}

/// The text of every `<text>` element of an SVG figure, in order: what a
/// reader sees, for tests and tools that check a figure's content.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|element| {
            let body = element.split_once('>')?.1;
            let text = body.split("</text>").next()?.trim();
            Some(
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// Turns a plotters (or png) error into ours.
pub(crate) fn drawing(err: impl std::fmt::Display) -> Error {
    Error::new(format!("drawing a figure failed: {err}"))
}

/// Colours that stay distinct for colour-blind readers (Okabe–Ito), for
/// figures that are not about strategies (the pair plot). Each strategy's
/// own colour is in its row of `crate::strategy::TABLE`.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
];

/// Darker tones for curves that are not the library's strategies (a
/// student's versions in the labs), used in turn.
pub const EXTRA: [RGBColor; 6] = [
    RGBColor(130, 80, 30),
    RGBColor(140, 20, 60),
    RGBColor(70, 50, 150),
    RGBColor(20, 90, 50),
    RGBColor(110, 110, 0),
    RGBColor(0, 85, 110),
];

/// A neutral grey: the "Amdahl fit" (or "USL fit") legend entry explains dashed lines of
/// every colour, so it must not look like any one strategy.
pub const NEUTRAL: RGBColor = RGBColor(110, 110, 110);

/// The palette colour `index`, cycling.
pub fn color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The one font family every figure uses (registered by [`font`]).
pub(crate) const FAMILY: &str = "sans-serif";
