//! A link as a QR code, drawn as SVG on the server (no image crates, nothing in the browser).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code of `text` as an SVG document; empty if the text is too long for one.
pub fn svg(text: &str) -> String {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => code.render::<svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(e) => {
            tracing::warn!("no QR code for a link of {} bytes: {e}", text.len());
            String::new()
        }
    }
}
