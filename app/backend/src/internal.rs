//! The one way an unexpected failure reaches a person. The detail (a store message, a failed
//! task) is logged with a short reference; the person gets `AppError::Internal` carrying only
//! that reference, which their page shows with a plain sentence. Store text never reaches a
//! browser, and an admin can find the log line from what the person quotes.

use std::fmt::Display;

use kehu_domain::error::AppError;

/// Logs `detail` under a fresh reference and returns the error a person may see.
pub fn internal(detail: impl Display) -> AppError {
    let reference = reference();
    tracing::error!(reference = %reference, "{detail}");
    AppError::Internal { reference }
}

/// Eight hex digits: short enough to read out on the phone, random enough not to repeat in
/// a day's log.
fn reference() -> String {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness: the time still tells log lines apart.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        bytes = nanos.to_be_bytes();
    }
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_person_sees_a_reference_not_the_detail() {
        let AppError::Internal { reference } = internal("store said: table customer is locked") else { panic!("not internal") };
        assert_eq!(reference.len(), 8);
        assert!(reference.chars().all(|c| c.is_ascii_hexdigit()));
        let text = kehu_domain::i18n::error_text(&AppError::Internal { reference: reference.clone() }, kehu_domain::i18n::Lang::En);
        assert!(text.contains(&reference) && !text.contains("locked"), "{text}");
    }
}
