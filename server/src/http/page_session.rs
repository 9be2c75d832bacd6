//! Pages render knowing who is signed in: the session behind the request's cookie is looked
//! up before rendering starts and handed to the render (`SignedInAtRender`), so the page's
//! frame and its sign-in gate need not wait for it inside the streamed answer (see
//! `kehu_ui::session` for what waiting there did).

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use kehu_backend::accounts::signin;
use kehu_backend::AppState;
use kehu_ui::session::SignedInAtRender;

/// The middleware in front of the page routes. Server functions (POST) ask for themselves.
pub async fn known_before_render(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        learn(&state, &mut request).await;
    }
    next.run(request).await
}

/// Looks the session up and puts it in the request's extensions, where the render finds it.
pub async fn learn(state: &AppState, request: &mut Request) {
    let cookie = request.headers().get(header::COOKIE).and_then(|v| v.to_str().ok());
    let me = signin::me_from_cookies(state, cookie).await;
    request.extensions_mut().insert(SignedInAtRender(me));
}
