//! The phone's position for a visit check-in (外勤签到). Asked of the browser only when the rep
//! ticks "签到" on a visit; the browser then asks the person's permission, and nothing is
//! recorded without it.

use leptos::prelude::*;

use kehu_domain::customers::types::GeoPoint;

use crate::i18n::{check_in_text, use_i18n};

/// "已签到 · 误差约 20 米" with a pin, opening the map at the point (timeline and visits list).
#[component]
pub fn CheckInLink(point: GeoPoint, #[prop(into)] testid: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="check-in-link small" href=point.map_url() target="_blank" rel="noopener" data-testid=testid>
            <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
                <path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7Zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5Z"/>
            </svg>
            {move || check_in_text(point.accuracy_m, i18n.lang())}
        </a>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeoFailure {
    /// The person (or the browser's settings) refused.
    Denied,
    /// No fix in time, no geolocation at all, or not a secure page.
    Unavailable,
}

/// Where the phone is now (WGS-84), waiting at most 15 s for a fix; a fix up to a minute old
/// will do (the rep has just walked in).
#[cfg(feature = "hydrate")]
pub async fn current_position() -> Result<GeoPoint, GeoFailure> {
    use wasm_bindgen::JsValue;
    let geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).ok_or(GeoFailure::Unavailable)?;
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(15_000);
    options.set_maximum_age(60_000);
    // The promise's own resolve and reject are the success and error callbacks.
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        if geolocation.get_current_position_with_error_callback_and_options(&resolve, Some(&reject), &options).is_err() {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let number = |value: &JsValue, key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64());
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(position) => {
            let coords = js_sys::Reflect::get(&position, &JsValue::from_str("coords")).map_err(|_| GeoFailure::Unavailable)?;
            match (number(&coords, "latitude"), number(&coords, "longitude")) {
                (Some(lat), Some(lng)) => {
                    let accuracy_m = number(&coords, "accuracy").unwrap_or(0.0).round().clamp(0.0, f64::from(u32::MAX)) as u32;
                    Ok(GeoPoint { lat, lng, accuracy_m })
                }
                _ => Err(GeoFailure::Unavailable),
            }
        }
        // GeolocationPositionError.PERMISSION_DENIED is 1.
        Err(error) if number(&error, "code") == Some(1.0) => Err(GeoFailure::Denied),
        Err(_) => Err(GeoFailure::Unavailable),
    }
}

/// On the server there is no phone to ask.
#[cfg(not(feature = "hydrate"))]
pub async fn current_position() -> Result<GeoPoint, GeoFailure> {
    Err(GeoFailure::Unavailable)
}
