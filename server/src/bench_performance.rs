//! The performance part of `kehu bench`: the performance book's load at start-up, a
//! manager's `/performance` (progress of their team's and region's targets, the weighted
//! leaderboard) and the company's activity heatmap as the admin, over the bench store's
//! closed deals, follow-ups and orders.

use std::time::Instant;

use axum::Router;
use chrono::Datelike;
use kehu_backend::accounts::{signin, users};
use kehu_backend::customers::demo;
use kehu_backend::targets::service;
use kehu_domain::accounts::types::{Role, UserInput};
use kehu_domain::targets::view::{CascadeInput, TargetInput};
use kehu_ui::targets::api::{GetActivity, GetPerformance};
use leptos::server_fn::ServerFn;

use crate::bench_measure::{measure, Stats};

const MANAGER: &str = "bench_mgr";

/// A manager of the first demo rep's team and region, made on first use.
async fn ensure_manager(state: &kehu_backend::AppState) -> Result<(), String> {
    if state.users.get(MANAGER).is_some() {
        return Ok(());
    }
    let rep = state.users.get(demo::DEMO_REPS[0].0).ok_or("no demo rep")?;
    let input = UserInput {
        username: MANAGER.into(),
        display_name: "基准经理".into(),
        role: Role::Manager,
        team: rep.user.team.clone(),
        region: rep.user.region.clone(),
        password: kehu_backend::accounts::passwords::new_token().map_err(|e| e.to_string())?,
        ..Default::default()
    };
    users::create_user_unchecked(state, "bench", &input).await.map(|_| ()).map_err(|e| e.to_string())
}

pub(crate) async fn run(state: &kehu_backend::AppState, app: &Router, admin: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    ensure_manager(state).await?;
    let mut loads = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        state.reload_performance().await.map_err(|e| e.to_string())?;
        loads.push(started.elapsed());
    }
    // A company year target cascaded to every region, team and month, so the manager's page
    // has progress rows to work out.
    let boss = state.users.caller("bench").ok_or("no bench user")?;
    let today = state.clock.today();
    let year = today.year();
    let company = TargetInput { metric: "signed".into(), holder: "company".into(), period: year.to_string(), amount: "50000000".into() };
    service::set(state, &boss, &company).await.map_err(|e| format!("{e:?}"))?;
    let down = |holder: String| CascadeInput { metric: "signed".into(), holder, year, into_months: true, into_children: true, by_last_year: false };
    let page = service::cascade(state, &boss, &down("company".into())).await.map_err(|e| format!("{e:?}"))?;
    for row in page.rows.iter().filter(|r| r.holder.starts_with("region:")) {
        service::cascade(state, &boss, &down(row.holder.clone())).await.map_err(|e| format!("{e:?}"))?;
    }
    let manager = signin::open_session(state, MANAGER).await.map_err(|e| e.to_string())?;
    let month = format!("{year}-{:02}", today.month());
    let (deals, follow_ups) = state.performance.counts();
    println!("performance book: {deals} closed deals, {follow_ups} follow-ups, loaded in {:.2} s", loads[0].as_secs_f64());
    Ok(vec![
        Stats { name: "performance book load (start-up)".into(), samples: loads },
        measure(app, &manager, "performance: a manager, this month", GetPerformance::PATH, &[serde_json::json!({ "period": month })], iterations).await?,
        measure(app, &manager, "performance: a manager, the year", GetPerformance::PATH, &[serde_json::json!({ "period": year.to_string() })], iterations).await?,
        measure(app, admin, "performance: the admin, the year", GetPerformance::PATH, &[serde_json::json!({ "period": year.to_string() })], iterations).await?,
        measure(app, admin, "activity: the company's heatmap, the year", GetActivity::PATH, &[serde_json::json!({ "holder": "company", "period": year.to_string() })], iterations).await?,
    ])
}
