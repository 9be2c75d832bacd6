//! `GET /api/performance/board.<csv|xlsx>?period=`: the leaderboard the caller's performance
//! page shows for that period, as a download with headings in their language. Amounts are
//! yuan (numbers in the workbook, so the boss can sum them); rates are percent.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::files::xlsx::Cell;
use kehu_backend::targets::progress;
use kehu_backend::AppState;
use kehu_domain::i18n::{Lang, Msg};
use kehu_domain::targets::board::LeaderRow;

use super::caller::{error_response, SignedIn};
use super::download::{attachment, csv, reader_lang, workbook, CSV, XLSX};

pub const BOARD_PATH: &str = "/api/performance/{file}";

const HEADINGS: [Msg; 11] = [
    Msg::TgName,
    Msg::TgSigned,
    Msg::TgCollected,
    Msg::TgNewCustomers,
    Msg::TgFollowUps,
    Msg::TgOrderRevenue,
    Msg::TgWinRate,
    Msg::TgAvgDeal,
    Msg::TgCycle,
    Msg::TgCollectionRate,
    Msg::TgScore,
];

fn yuan(cents: i64) -> Cell {
    Cell::Number(cents as f64 / 100.0)
}

fn maybe(value: Option<f64>) -> Cell {
    value.map(|v| Cell::Number((v * 10.0).round() / 10.0)).unwrap_or(Cell::Text(String::new()))
}

/// One leaderboard row as cells, in the order of [`HEADINGS`] after the rank.
fn row(rank: usize, r: &LeaderRow) -> Vec<Cell> {
    vec![
        Cell::Number(rank as f64),
        Cell::Text(r.name.clone()),
        yuan(r.tally.signed),
        yuan(r.tally.collected),
        Cell::Number(r.tally.new_customers as f64),
        Cell::Number(r.tally.follow_ups as f64),
        yuan(r.tally.order_revenue),
        maybe(r.win_rate),
        r.avg_deal.map(yuan).unwrap_or(Cell::Text(String::new())),
        maybe(r.cycle_days),
        maybe(r.collection_rate),
        Cell::Number((r.score * 10.0).round() / 10.0),
    ]
}

fn headings(lang: Lang) -> Vec<String> {
    std::iter::once("#".to_string()).chain(HEADINGS.iter().map(|m| m.text(lang).to_string())).collect()
}

pub async fn board_file(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(file): Path<String>, Query(params): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let xlsx = match file.as_str() {
        "board.csv" => false,
        "board.xlsx" => true,
        _ => return (StatusCode::NOT_FOUND, "no such table").into_response(),
    };
    let period = params.get("period").map(String::as_str).unwrap_or_default();
    let page = match progress::page(&state, &caller, period).await {
        Ok(page) => page,
        Err(e) => return error_response(&e),
    };
    let lang = reader_lang(&headers);
    let rows: Vec<Vec<Cell>> = page.board.iter().enumerate().map(|(i, r)| row(i + 1, r)).collect();
    let name = format!("kehu-leaderboard-{}", page.period);
    if xlsx {
        let mut sheet = vec![headings(lang).into_iter().map(Cell::Text).collect::<Vec<_>>()];
        sheet.extend(rows);
        match workbook("leaderboard", sheet) {
            Ok(book) => attachment(book, XLSX, &format!("{name}.xlsx")),
            Err(e) => error_response(&e),
        }
    } else {
        let text = std::iter::once(headings(lang)).chain(rows.iter().map(|r| r.iter().map(Cell::as_text).collect()));
        attachment(csv(text), CSV, &format!("{name}.csv"))
    }
}
