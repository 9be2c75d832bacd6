//! Choosing a new password: any time from the header, and first of all after an admin set
//! one (everything else is refused until then, see `request::signed_in`).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::api::change_password;
use crate::components::fields::TextField;
use crate::components::{ErrorBanner, T};
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;
use kehu_domain::error::{AppError, FieldError, Problem};

#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let submit = Action::new(move |(c, n): &(String, String)| change_password(c.clone(), n.clone()));
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => {
            done.set(true);
            session.password_chosen();
            navigate("/customers", Default::default());
        }
        Some(Err(AppError::Invalid(list))) => errors.set(list),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let forced = move || session.user().is_some_and(|me| me.user.must_change_password);
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <section class="page narrow">
            <form class="card login" novalidate data-testid="password-form" on:submit=move |ev| {
                ev.prevent_default();
                failure.set(None);
                // Typed twice, so a slip of the finger does not lock the person out.
                if new_password.get_untracked() != repeat.get_untracked() {
                    errors.set(vec![FieldError::new("repeat", Problem::Mismatch)]);
                    return;
                }
                errors.set(Vec::new());
                submit.dispatch((current.get_untracked(), new_password.get_untracked()));
            }>
                <h1><T m=Msg::ChangePassword/></h1>
                <Show when=forced>
                    <p class="banner warning" role="status"><T m=Msg::ErrPasswordChangeRequired/></p>
                </Show>
                <TextField label=Msg::CurrentPassword name="current" value=current errors=e input_type="password" required=true autocomplete="current-password"/>
                <TextField label=Msg::NewPassword name="password" value=new_password errors=e input_type="password" required=true autocomplete="new-password"/>
                <TextField label=Msg::RepeatPassword name="repeat" value=repeat errors=e input_type="password" required=true autocomplete="new-password"/>
                <ErrorBanner error=failure/>
                <Show when=move || done.get()>
                    <p class="banner" role="status"><T m=Msg::PasswordChanged/></p>
                </Show>
                <button type="submit" class="button primary" disabled=move || submit.pending().get()>
                    {move || i18n.t(Msg::Save)}
                </button>
            </form>
            <p class="muted"><a href="/account/tokens" data-testid="tokens-link"><T m=Msg::ApiTokens/></a></p>
        </section>
    }
}
