//! The bundled font: DejaVu Sans (free licence), registered with plotters.
//!
//! With plotters' `ab_glyph` text backend, fonts are looked up in a table
//! that starts empty; every figure asks for [`FAMILY`](super::FAMILY), and this
//! fills that entry once per process. Text is measured with it for layout in
//! SVG too, so it must be registered before any figure is drawn.

use plotters::style::{FontStyle, register_font};
use std::sync::Once;

/// Registers DejaVu Sans (regular and bold) as the figures' family; idempotent.
pub fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fonts = [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
            (FontStyle::Italic, dejavu::sans::oblique()),
        ];
        for (style, bytes) in fonts {
            // The bytes are a font shipped with the dejavu crate: failing to
            // parse them is a build defect, not a user error.
            if register_font(super::FAMILY, style, bytes).is_err() {
                panic!("the bundled DejaVu font does not parse");
            }
        }
    });
}
