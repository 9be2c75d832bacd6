//! Orders and products, and the models over them: RFM, BG/NBD, rhythm, association rules,
//! the forecast, competitors; CSV reading and writing.

pub mod assoc;
pub mod bgnbd;
pub mod competitor_report;
pub mod competitors;
pub mod csv;
pub mod forecast;
pub mod lead_score;
pub mod orders;
pub mod rfm;
pub mod rhythm;
pub mod simulate;
pub mod special;
pub mod types;
