//! A horizontal bar chart in plain SVG: one bar per row, labelled, scaled to the largest
//! value. Drawn by the server and the browser alike (no script, no library).

use leptos::prelude::*;

/// `(label, value, shown value)` rows.
#[component]
pub fn BarChart(rows: Vec<(String, f64, String)>) -> impl IntoView {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 150.0;
    const WIDTH: f64 = 640.0;
    let max = rows.iter().map(|r| r.1).fold(0.0f64, f64::max).max(f64::MIN_POSITIVE);
    let height = ROW * rows.len().max(1) as f64 + 4.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, shown))| {
            let y = i as f64 * ROW + 2.0;
            let w = ((value.max(0.0) / max) * (WIDTH - LABEL - 90.0)).max(1.0);
            view! {
                <g>
                    <text x=LABEL - 8.0 y=y + 17.0 text-anchor="end" class="chart-label">{label}</text>
                    <rect x=LABEL y=y + 3.0 width=w height=ROW - 8.0 rx="3" class="chart-bar"></rect>
                    <text x=LABEL + w + 6.0 y=y + 17.0 class="chart-value">{shown}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" preserveAspectRatio="xMinYMin meet" data-testid="chart">
            {bars}
        </svg>
    }
}
