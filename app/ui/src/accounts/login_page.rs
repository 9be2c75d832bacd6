//! Signing in, and creating the first admin with the one-time setup link.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::api::{login, setup_admin, setup_open};
use kehu_domain::accounts::types::UserInput;
use crate::components::fields::TextField;
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

/// Where to go after signing in: the page that sent the person here, if it is one of ours.
fn next_path(next: Option<String>) -> String {
    next.as_deref().and_then(kehu_domain::accounts::rules::safe_next).unwrap_or("/customers").to_string()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let submit = Action::new(move |(u, p): &(String, String)| {
        let (u, p) = (u.clone(), p.clone());
        async move { login(u, p).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => {
            session.set_signed_in(Some(me));
            navigate(&next_path(query.get_untracked().get("next")), Default::default());
        }
        Some(Err(AppError::Invalid(list))) => errors.set(list),
        Some(Err(e)) => {
            password.set(String::new());
            failure.set(Some(e))
        }
        None => {}
    });
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <section class="page narrow">
            <form class="card login" novalidate data-testid="login-form" on:submit=move |ev| {
                ev.prevent_default();
                failure.set(None);
                submit.dispatch((username.get_untracked(), password.get_untracked()));
            }>
                <h1><T m=Msg::SignIn/></h1>
                <TextField label=Msg::Username name="username" value=username errors=e required=true autocomplete="username"/>
                <TextField label=Msg::Password name="password" value=password errors=e input_type="password" required=true autocomplete="current-password"/>
                <ErrorBanner error=failure/>
                <button type="submit" class="button primary" disabled=move || submit.pending().get()>
                    {move || i18n.t(Msg::SignIn)}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let token = Memo::new(move |_| query.read().get("token").unwrap_or_default());
    let open = Resource::new(move || token.get(), setup_open);
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let submit = Action::new(move |input: &UserInput| {
        let input = input.clone();
        let token = token.get_untracked();
        async move { setup_admin(token, input).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => {
            session.set_signed_in(Some(me));
            navigate("/customers", Default::default());
        }
        Some(Err(AppError::Invalid(list))) => errors.set(list),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <section class="page narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    if !matches!(open.await, Ok(true)) {
                        return view! { <ErrorBanner error=Signal::stored(Some(AppError::SetupClosed))/> }.into_any();
                    }
                    view! {
                        <form class="card login" novalidate data-testid="setup-form" on:submit=move |ev| {
                            ev.prevent_default();
                            submit.dispatch(UserInput {
                                username: username.get_untracked(),
                                display_name: display_name.get_untracked(),
                                password: password.get_untracked(),
                                ..Default::default()
                            });
                        }>
                            <h1><T m=Msg::SetupTitle/></h1>
                            <p class="muted"><T m=Msg::SetupIntro/></p>
                            <TextField label=Msg::Username name="username" value=username errors=e required=true autocomplete="username"/>
                            <TextField label=Msg::DisplayName name="display_name" value=display_name errors=e required=true/>
                            <TextField label=Msg::Password name="password" value=password errors=e input_type="password" required=true autocomplete="new-password"/>
                            <ErrorBanner error=failure/>
                            <button type="submit" class="button primary"><T m=Msg::Save/></button>
                        </form>
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}
