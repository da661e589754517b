//! The strokes every curve figure draws with, at one scale.
//!
//! The plot (`curves.rs`) and its key (`legend.rs`) must draw a series with
//! the very same line, marker and band, or the key would describe a chart
//! that is not there. So both read their strokes from here, and neither
//! needs the other to know what a line looks like.

use plotters::prelude::*;

/// Sizes are given for an 800-pixel-high chart and scaled to the real one.
pub(super) struct Scale(f64);

impl Scale {
    /// The scale of a figure `height` pixels high.
    pub(super) fn of_height(height: u32) -> Scale {
        Scale(f64::from(height) / 800.0)
    }

    pub(super) fn px(&self, size: f64) -> u32 {
        (size * self.0).round().max(1.0) as u32
    }
}

/// The grey of the machine ceiling.
pub(super) const CEILING: RGBColor = RGBColor(120, 120, 120);

/// The strokes of the chart's layers, at one scale: the plot and its key
/// ([`super::legend`]) both draw with these.
pub(super) struct Style<'a>(pub &'a Scale);

impl Style<'_> {
    /// A series: thinner when dashed, so a model never outweighs a measurement.
    pub(super) fn series_line(&self, color: RGBColor, dashed: bool) -> ShapeStyle {
        color.stroke_width(self.0.px(if dashed { 2.5 } else { 3.5 }))
    }

    pub(super) fn marker_radius(&self) -> u32 {
        self.0.px(6.0)
    }

    pub(super) fn ideal_line(&self) -> ShapeStyle {
        BLACK.stroke_width(self.0.px(2.0))
    }

    pub(super) fn ceiling_line(&self) -> ShapeStyle {
        CEILING.stroke_width(self.0.px(3.0))
    }

    /// Half the side of the ceiling's squares.
    pub(super) fn ceiling_square(&self) -> i32 {
        self.0.px(6.0) as i32
    }

    pub(super) fn ceiling_fill() -> ShapeStyle {
        CEILING.mix(0.22).filled()
    }
}
