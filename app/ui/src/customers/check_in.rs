//! The phone's position for a visit check-in (外勤签到). Asked of the browser only when the rep
//! ticks "签到" on a visit; the browser then asks the person's permission, and nothing is
//! recorded without it.

use kehu_domain::customers::types::GeoPoint;

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
