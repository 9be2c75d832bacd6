//! 我的 API 令牌 / My API tokens: make a token (name, scopes, lifetime) and copy its secret
//! the one time it is shown, see each token's last use, revoke one.

use leptos::prelude::*;

use super::api::{create_api_token, my_api_tokens, revoke_api_token};
use crate::components::fields::{FieldMessages, TextField};
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;
use kehu_domain::accounts::types::Role;
use kehu_domain::error::{AppError, FieldError};
use kehu_domain::platform::tokens::{validate_new_token, ApiToken, NewTokenInput, TokenScope, OFFERED_DAYS};

fn scope_label(scope: TokenScope) -> Msg {
    match scope {
        TokenScope::Read => Msg::ApiScopeRead,
        TokenScope::Write => Msg::ApiScopeWrite,
        TokenScope::Admin => Msg::ApiScopeAdmin,
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let session = use_session();
    let role = move || session.user().map(|me| me.user.role).unwrap_or_default();
    let loaded = load_in_browser(my_api_tokens);
    let tokens = RwSignal::new(None::<Vec<ApiToken>>);
    Effect::new(move |_| {
        if let Some(Ok(list)) = loaded.get() {
            tokens.set(Some(list));
        }
    });
    let name = RwSignal::new(String::new());
    // The highest scope chosen (a higher one includes the lower).
    let scope = RwSignal::new(TokenScope::Read);
    let days = RwSignal::new(90u32);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let secret = RwSignal::new(None::<String>);
    let create = Action::new(move |input: &NewTokenInput| {
        let input = input.clone();
        async move {
            match create_api_token(input).await {
                Ok(made) => {
                    secret.set(Some(made.secret));
                    tokens.update(|list| list.get_or_insert_with(Vec::new).insert(0, made.token));
                    name.set(String::new());
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let revoke = Action::new(move |id: &String| {
        let id = id.clone();
        async move {
            match revoke_api_token(id).await {
                Ok(list) => tokens.set(Some(list)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let e: Signal<Vec<FieldError>> = errors.into();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        secret.set(None);
        let scopes: Vec<TokenScope> = TokenScope::ALL.into_iter().filter(|s| *s <= scope.get_untracked()).collect();
        let input = NewTokenInput { name: name.get_untracked(), scopes, days: days.get_untracked() };
        match validate_new_token(&input, role()) {
            Ok(_) => {
                errors.set(Vec::new());
                create.dispatch(input);
            }
            Err(list) => errors.set(list),
        }
    };
    let row = move |t: ApiToken| {
        let now = chrono::Utc::now();
        let state = if t.revoked_at.is_some() {
            Msg::ApiTokenRevoked
        } else if t.is_live(now) {
            Msg::ApiTokenLive
        } else {
            Msg::ApiTokenExpired
        };
        let live = t.is_live(now);
        let id = t.id.clone();
        // A higher scope includes the lower ones: the highest says it all.
        let highest = t.scopes.iter().max().copied();
        view! {
            <tr data-testid="token-row" class:muted=!live>
                <td data-label=move || i18n.t(Msg::ApiTokenColumn)><strong>{t.name.clone()}</strong><br/><code class="small">{t.prefix.clone()}"…"</code></td>
                <td data-label=move || i18n.t(Msg::ApiTokenScopes)>{move || highest.map(|s| i18n.t(scope_label(s)))}</td>
                <td data-label=move || i18n.t(Msg::ApiTokenCreated)>{datetime(t.created_at, offset)}</td>
                <td data-label=move || i18n.t(Msg::ApiTokenExpires)>{datetime(t.expires_at, offset)}</td>
                <td data-label=move || i18n.t(Msg::ApiTokenLastUsed)>{match t.last_used_at {
                    Some(at) => datetime(at, offset),
                    None => i18n.t(Msg::ApiTokenNeverUsed).to_string(),
                }}</td>
                <td data-label=move || i18n.t(Msg::ApiTokenState) data-testid="token-state">{move || i18n.t(state)}</td>
                <td>{live.then(|| view! {
                    <button type="button" class="button quiet" data-testid="token-revoke" disabled=move || revoke.pending().get()
                        on:click=move |_| { revoke.dispatch(id.clone()); }>
                        <T m=Msg::ApiTokenRevoke/>
                    </button>
                })}</td>
            </tr>
        }
    };
    view! {
        <section class="page">
            <h1><T m=Msg::ApiTokens/></h1>
            <p class="muted">{move || i18n.t(Msg::ApiTokensHint)}" "<a href="/api/v1/docs" target="_blank" rel="external noopener" data-testid="api-docs-link"><T m=Msg::ApiDocs/></a>
                {move || (role() == Role::Admin).then(|| view! { " · "<a href="/admin/webhooks" data-testid="webhooks-link"><T m=Msg::WebhooksTitle/></a> })}</p>
            <form class="card" novalidate data-testid="token-form" on:submit=submit>
                <div class="row">
                    <TextField label=Msg::ApiTokenName name="name" value=name errors=e required=true/>
                    <label class="field">
                        <span class="field-label"><T m=Msg::ApiTokenScopes/></span>
                        <select name="scopes" data-testid="token-scope" on:change=move |ev| {
                            if let Some(s) = TokenScope::parse(&event_target_value(&ev)) { scope.set(s) }
                        }>
                            {move || TokenScope::ALL.into_iter()
                                .filter(|s| *s != TokenScope::Admin || role() == Role::Admin)
                                .map(|s| view! { <option value=s.as_str() selected=move || scope.get() == s>{move || i18n.t(scope_label(s))}</option> })
                                .collect_view()}
                        </select>
                        <FieldMessages errors=e name="scopes"/>
                    </label>
                    <label class="field">
                        <span class="field-label"><T m=Msg::ApiTokenDays/></span>
                        <select name="days" data-testid="token-days" on:change=move |ev| {
                            if let Ok(d) = event_target_value(&ev).parse() { days.set(d) }
                        }>
                            {OFFERED_DAYS.into_iter().map(|d| view! {
                                <option value=d.to_string() selected=move || days.get() == d>{d}" "{move || i18n.t(Msg::ApiDaysUnit)}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessages errors=e name="days"/>
                    </label>
                </div>
                <button type="submit" class="button primary" data-testid="token-create" disabled=move || create.pending().get()>
                    <T m=Msg::ApiTokenCreate/>
                </button>
                {move || secret.get().map(|s| view! {
                    <div class="banner" role="status">
                        <p><T m=Msg::ApiTokenCopyNow/></p>
                        <input class="feed-address" readonly data-testid="token-secret" prop:value=s
                            on:focus=move |ev| {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    input.select();
                                }
                            }/>
                    </div>
                })}
                <ErrorBanner error=failure/>
            </form>
            <div class="card">
                {move || match tokens.get() {
                    None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                    Some(list) if list.is_empty() => view! { <p class="muted" data-testid="token-none"><T m=Msg::ApiTokenNone/></p> }.into_any(),
                    Some(list) => view! {
                        <table class="table tokens" data-testid="token-list">
                            <thead><tr>
                                <th><T m=Msg::ApiTokenColumn/></th><th><T m=Msg::ApiTokenScopes/></th><th><T m=Msg::ApiTokenCreated/></th>
                                <th><T m=Msg::ApiTokenExpires/></th><th><T m=Msg::ApiTokenLastUsed/></th><th><T m=Msg::ApiTokenState/></th><th></th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
