//! Backup and restore: a populated store backed up, restored into an empty one, and both
//! exporting the same content; a restore over data refused; the running server's backup
//! route only for its secret.

use axum::http::{header, Request, StatusCode};
use kehu::http;
use kehu_backend::store::backup;
use kehu_backend::{AppState, Clock, Policy};
use tower::ServiceExt;

use crate::support::*;

/// An export without its comment lines (which may say when it was made).
fn content(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().filter(|l| !l.starts_with("--") && !l.trim().is_empty()).map(String::from).collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn a_backup_restores_elsewhere_to_the_same_content() {
    let c = company().await;
    let dir = std::env::temp_dir().join(format!("kehu-backup-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("kehu.surql");
    backup::backup(&c.state.db, &file).await.unwrap();
    let original = std::fs::read_to_string(&file).unwrap();
    assert!(original.contains("甲的客户科技") && original.contains("kehu_migration"));

    let elsewhere = backup::connect("mem://", &Default::default()).await.unwrap();
    backup::restore(&elsewhere, &file).await.unwrap();
    let again = String::from_utf8(backup::backup_text(&elsewhere).await.unwrap()).unwrap();
    assert_eq!(content(&again), content(&original), "the restored store exports the same content");
    // Restoring over data is refused: two companies' customers would mix.
    let refused = backup::restore(&c.state.db, &file).await.unwrap_err();
    assert!(refused.contains("empty"), "{refused}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_backup_route_answers_only_its_secret() {
    let c = company().await;
    let (status, _, _) = get(&c.app, "/api/backup", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no secret configured, no route");
    let token = "a-backup-secret-of-enough-length";
    let policy = Policy { backup_token: Some(token.into()), ..Policy::default() };
    let state = AppState::open_with("mem://", &Default::default(), Clock::fixed(start()), policy).await.unwrap();
    let app = http::router(state, &config());
    let ask = |auth: &str| Request::get("/api/backup").header(header::HOST, "kehu.test").header(header::AUTHORIZATION, auth).body(axum::body::Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(ask("Bearer wrong")).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let response = app.clone().oneshot(ask(&format!("Bearer {token}"))).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("DEFINE TABLE"));
}
