//! Signing out, from the header or the 我的 page.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use kehu_domain::error::AppError;

use crate::accounts::api::logout;
use crate::i18n::{use_i18n, Msg};
use crate::offline::outbox;
use crate::session::use_session;

/// An action that signs `user` out and goes to the sign-in page. Follow-ups still in this
/// device's outbox are the user's own unsent work: signing out deletes them (nothing of a
/// user stays behind on a shared phone), after asking.
pub fn use_sign_out() -> Action<String, Result<bool, AppError>> {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |user: &String| {
        let user = user.clone();
        async move {
            let unsent = outbox::items(&user).await.len();
            if unsent > 0 && !web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::OutboxSignOutConfirm)).ok()).unwrap_or(false) {
                return Ok(false);
            }
            logout().await?;
            outbox::forget(&user).await;
            // The next user's daily lists are fetched for offline reading at once (public/pwa.js).
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = storage.remove_item("kehu-warmed");
            }
            Ok::<bool, AppError>(true)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(true)) = sign_out.value().get() {
            session.set_signed_in(None);
            navigate("/login", Default::default());
        }
    });
    sign_out
}
