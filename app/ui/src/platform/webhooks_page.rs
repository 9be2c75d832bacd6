//! Webhook 与群机器人 / Webhooks and group robots (`/admin/webhooks`, admins): subscribe an HTTP
//! receiver or a 企业微信/钉钉/飞书 group robot to kinds of events, copy a receiver's signing
//! secret the one time it is shown, change, pause, resume or remove a subscription, and read
//! its delivery log with "send again".

use leptos::prelude::*;

use super::webhooks_api::{create_webhook, list_webhooks, pause_webhook, remove_webhook, resend_delivery, update_webhook, webhook_deliveries};
use crate::accounts::api::list_teams;
use crate::components::fields::{save_if_valid, FieldMessages, TextField};
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Msg};
use kehu_domain::error::{AppError, FieldError};
use kehu_domain::platform::webhooks::{validate_webhook, Delivery, DeliveryStatus, Webhook, WebhookInput, WebhookState, WebhookTarget, TOPICS};

fn target_label(target: WebhookTarget) -> Msg {
    match target {
        WebhookTarget::Http => Msg::WebhookTargetHttp,
        WebhookTarget::Wecom => Msg::WebhookTargetWecom,
        WebhookTarget::Dingtalk => Msg::WebhookTargetDingtalk,
        WebhookTarget::Feishu => Msg::WebhookTargetFeishu,
    }
}

fn state_label(state: WebhookState) -> Msg {
    match state {
        WebhookState::Active => Msg::WebhookStateActive,
        WebhookState::Paused => Msg::WebhookStatePaused,
        WebhookState::Gone => Msg::WebhookStateGone,
    }
}

fn status_label(status: DeliveryStatus) -> Msg {
    match status {
        DeliveryStatus::Pending => Msg::DeliveryPending,
        DeliveryStatus::Delivered => Msg::DeliveryDelivered,
        DeliveryStatus::Failed => Msg::DeliveryFailed,
        DeliveryStatus::Cancelled => Msg::DeliveryCancelled,
    }
}

/// The form's fields, as signals.
#[derive(Clone, Copy)]
struct Form {
    name: RwSignal<String>,
    target: RwSignal<WebhookTarget>,
    url: RwSignal<String>,
    secret: RwSignal<String>,
    topics: RwSignal<Vec<String>>,
    fields: RwSignal<String>,
    team: RwSignal<String>,
    /// The subscription being changed; none while making a new one.
    editing: RwSignal<Option<String>>,
}

impl Form {
    fn new() -> Self {
        Form {
            name: RwSignal::new(String::new()),
            target: RwSignal::new(WebhookTarget::Http),
            url: RwSignal::new(String::new()),
            secret: RwSignal::new(String::new()),
            topics: RwSignal::new(Vec::new()),
            fields: RwSignal::new(String::new()),
            team: RwSignal::new(String::new()),
            editing: RwSignal::new(None),
        }
    }

    fn input(&self) -> WebhookInput {
        WebhookInput {
            name: self.name.get_untracked(),
            target: self.target.get_untracked(),
            url: self.url.get_untracked(),
            secret: self.secret.get_untracked(),
            topics: self.topics.get_untracked(),
            fields: self.fields.get_untracked(),
            team: self.team.get_untracked(),
        }
    }

    fn fill(&self, hook: &Webhook) {
        self.name.set(hook.name.clone());
        self.target.set(hook.target);
        self.url.set(hook.url.clone());
        self.secret.set(String::new());
        self.topics.set(hook.topics.iter().map(|t| t.as_str().to_string()).collect());
        self.fields.set(hook.fields.join(", "));
        self.team.set(hook.team.clone());
        self.editing.set(Some(hook.id.clone()));
    }

    fn clear(&self) {
        self.name.set(String::new());
        self.url.set(String::new());
        self.secret.set(String::new());
        self.topics.set(Vec::new());
        self.fields.set(String::new());
        self.team.set(String::new());
        self.editing.set(None);
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = load_in_browser(list_webhooks);
    let teams = load_in_browser(list_teams);
    let hooks = RwSignal::new(None::<Vec<Webhook>>);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(list)) => hooks.set(Some(list)),
        Some(Err(_)) => hooks.set(Some(Vec::new())),
        None => {}
    });
    let form = Form::new();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let secret_shown = RwSignal::new(None::<String>);
    let log_of = RwSignal::new(None::<String>);
    let log = RwSignal::new(None::<Vec<Delivery>>);
    Effect::new(move |_| {
        if let Some(Err(e)) = loaded.get() {
            failure.set(Some(e));
        }
    });

    let save = Action::new(move |input: &WebhookInput| {
        let input = input.clone();
        let editing = form.editing.get_untracked();
        async move {
            let answer = match editing {
                Some(id) => update_webhook(id, input).await.map(|list| (list, None)),
                None => create_webhook(input).await.map(|made| {
                    let mut list = hooks.get_untracked().unwrap_or_default();
                    list.insert(0, made.webhook);
                    (list, made.secret)
                }),
            };
            match answer {
                Ok((list, secret)) => {
                    hooks.set(Some(list));
                    secret_shown.set(secret);
                    form.clear();
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let act = Action::new(move |(id, what): &(String, &'static str)| {
        let (id, what) = (id.clone(), *what);
        async move {
            let answer = match what {
                "pause" => pause_webhook(id, true).await,
                "resume" => pause_webhook(id, false).await,
                _ => remove_webhook(id).await,
            };
            match answer {
                Ok(list) => {
                    hooks.set(Some(list));
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let open_log = Action::new(move |id: &String| {
        let id = id.clone();
        async move {
            log_of.set(Some(id.clone()));
            log.set(None);
            match webhook_deliveries(id).await {
                Ok(list) => log.set(Some(list)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let resend = Action::new(move |(id, delivery): &(String, String)| {
        let (id, delivery) = (id.clone(), delivery.clone());
        async move {
            match resend_delivery(id, delivery).await {
                Ok(list) => log.set(Some(list)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    let e: Signal<Vec<FieldError>> = errors.into();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        secret_shown.set(None);
        let input = form.input();
        let known: Vec<String> = teams.get_untracked().and_then(Result::ok).unwrap_or_default().into_iter().map(|t| t.id).collect();
        save_if_valid(validate_webhook(&input, &known), input, errors, save);
    };
    let topic_box = move |kind: kehu_domain::audit::types::EventKind| {
        let key = kind.as_str();
        view! {
            <label class="check">
                <input type="checkbox" name="topics" value=key prop:checked=move || form.topics.get().iter().any(|t| t == key)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.topics.update(|list| {
                            list.retain(|t| t != key);
                            if on { list.push(key.to_string()) }
                        });
                    }/>
                {move || kind.label(i18n.lang())}
            </label>
        }
    };
    let row = move |hook: Webhook| {
        let (pause_id, log_id, remove_id) = (hook.id.clone(), hook.id.clone(), hook.id.clone());
        let edited = hook.clone();
        let topics = hook.topics.clone();
        let state = hook.state;
        view! {
            <tr data-testid="webhook-row">
                <td data-label=move || i18n.t(Msg::WebhookName)><strong>{hook.name.clone()}</strong><br/><span class="muted small">{move || i18n.t(target_label(hook.target))}</span></td>
                <td data-label=move || i18n.t(Msg::WebhookUrl)><code class="small url">{hook.url.clone()}</code>
                    {(!hook.secret_hint.is_empty()).then(|| view! { <br/><span class="muted small">{hook.secret_hint.clone()}</span> })}</td>
                <td data-label=move || i18n.t(Msg::WebhookTopics) class="small">{move || topics.iter().map(|t| t.label(i18n.lang())).collect::<Vec<_>>().join("、")}</td>
                <td data-label=move || i18n.t(Msg::DeliveryState) data-testid="webhook-state">{move || i18n.t(state_label(state))}</td>
                <td data-label=move || i18n.t(Msg::WebhookQueue) data-testid="webhook-queue">{hook.pending}" / "{hook.failed}</td>
                <td class="hook-actions">
                    <button type="button" class="button quiet" data-testid="webhook-log" on:click=move |_| { open_log.dispatch(log_id.clone()); }><T m=Msg::WebhookLog/></button>
                    <button type="button" class="button quiet" data-testid="webhook-edit" on:click=move |_| { form.fill(&edited); errors.set(Vec::new()); }><T m=Msg::WebhookEdit/></button>
                    {if state == WebhookState::Active {
                        view! { <button type="button" class="button quiet" data-testid="webhook-pause" on:click=move |_| { act.dispatch((pause_id.clone(), "pause")); }><T m=Msg::WebhookPause/></button> }.into_any()
                    } else {
                        view! { <button type="button" class="button quiet" data-testid="webhook-resume" on:click=move |_| { act.dispatch((pause_id.clone(), "resume")); }><T m=Msg::WebhookResume/></button> }.into_any()
                    }}
                    <button type="button" class="button quiet danger" data-testid="webhook-remove" on:click=move |_| {
                        let sure = web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::WebhookRemoveConfirm)).ok()).unwrap_or(false);
                        if sure { act.dispatch((remove_id.clone(), "remove")); }
                    }><T m=Msg::WebhookRemove/></button>
                </td>
            </tr>
        }
    };
    let offset = use_display_offset();
    let delivery_row = move |d: Delivery| {
        let hook = log_of.get_untracked().unwrap_or_default();
        let id = d.id.clone();
        let can_resend = d.status != DeliveryStatus::Pending;
        let answer = match (d.last_code, d.last_latency_ms) {
            (Some(code), Some(ms)) => format!("{code} · {ms} ms"),
            (None, Some(ms)) => format!("— · {ms} ms"),
            _ => "—".to_string(),
        };
        view! {
            <tr data-testid="delivery-row">
                <td data-label=move || i18n.t(Msg::DeliveryAt)>{datetime(d.at, offset)}</td>
                <td data-label=move || i18n.t(Msg::DeliveryEvent)>{move || d.kind.label(i18n.lang())}<br/><span class="muted small">{d.subject.clone()}</span></td>
                <td data-label=move || i18n.t(Msg::DeliveryState) data-testid="delivery-status">{move || i18n.t(status_label(d.status))}</td>
                <td data-label=move || i18n.t(Msg::DeliveryTries)>{d.attempts}</td>
                <td data-label=move || i18n.t(Msg::DeliveryAnswer)>{answer}{(!d.last_error.is_empty()).then(|| view! { <br/><span class="field-error small">{d.last_error.clone()}</span> })}</td>
                <td data-label=move || i18n.t(Msg::DeliveryNext)>{d.next_at.map(|at| datetime(at, offset))}</td>
                <td>{can_resend.then(|| view! {
                    <button type="button" class="button quiet" data-testid="delivery-resend" on:click=move |_| { resend.dispatch((hook.clone(), id.clone())); }><T m=Msg::DeliveryResend/></button>
                })}</td>
            </tr>
        }
    };

    view! {
        <section class="page">
            <h1><T m=Msg::WebhooksTitle/></h1>
            <p class="muted">{move || i18n.t(Msg::WebhooksHint)}</p>
            <form class="card" novalidate data-testid="webhook-form" on:submit=submit>
                <div class="row">
                    <TextField label=Msg::WebhookName name="name" value=form.name errors=e required=true/>
                    <label class="field">
                        <span class="field-label"><T m=Msg::WebhookTarget/></span>
                        <select name="target" data-testid="webhook-target" disabled=move || form.editing.get().is_some()
                            on:change=move |ev| { if let Some(t) = WebhookTarget::parse(&event_target_value(&ev)) { form.target.set(t) } }>
                            {WebhookTarget::ALL.into_iter().map(|t| view! {
                                <option value=t.as_str() selected=move || form.target.get() == t>{move || i18n.t(target_label(t))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <div class="row">
                    <TextField label=Msg::WebhookUrl name="url" value=form.url errors=e required=true input_type="url"/>
                    {move || form.target.get().takes_secret().then(|| match form.editing.get() {
                        // Changing a robot: an empty secret keeps the one it has.
                        Some(_) => view! { <TextField label=Msg::WebhookSecret name="secret" value=form.secret errors=e autocomplete="off" placeholder=Msg::WebhookSecretKept/> }.into_any(),
                        None => view! { <TextField label=Msg::WebhookSecret name="secret" value=form.secret errors=e autocomplete="off"/> }.into_any(),
                    })}
                </div>
                <fieldset class="field topics">
                    <legend class="field-label"><T m=Msg::WebhookTopics/>" *"</legend>
                    <div class="checks">{TOPICS.into_iter().map(topic_box).collect_view()}</div>
                    <FieldMessages errors=e name="topics"/>
                </fieldset>
                <div class="row">
                    <TextField label=Msg::WebhookFields name="fields" value=form.fields errors=e/>
                    <label class="field">
                        <span class="field-label"><T m=Msg::WebhookTeam/></span>
                        <select name="team" data-testid="webhook-team" on:change=move |ev| form.team.set(event_target_value(&ev))>
                            <option value="" selected=move || form.team.get().is_empty()>{move || i18n.t(Msg::WebhookAllTeams)}</option>
                            {move || teams.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|t| {
                                let id = t.id.clone();
                                view! { <option value=t.id.clone() selected=move || form.team.get() == id>{t.name}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessages errors=e name="team"/>
                    </label>
                </div>
                <p class="muted small">{move || i18n.t(Msg::WebhookSigningHint)}</p>
                <div class="actions">
                    <button type="submit" class="button primary" data-testid="webhook-save" disabled=move || save.pending().get()>
                        {move || i18n.t(if form.editing.get().is_some() { Msg::WebhookSave } else { Msg::WebhookCreate })}
                    </button>
                    {move || form.editing.get().is_some().then(|| view! {
                        <button type="button" class="button quiet" on:click=move |_| { form.clear(); errors.set(Vec::new()); }><T m=Msg::WebhookCancelEdit/></button>
                    })}
                </div>
                {move || secret_shown.get().map(|s| view! {
                    <div class="banner" role="status">
                        <p><T m=Msg::WebhookCopySecret/></p>
                        <input class="feed-address" readonly data-testid="webhook-secret" prop:value=s/>
                    </div>
                })}
                <ErrorBanner error=failure/>
            </form>
            <div class="card">
                {move || match hooks.get() {
                    None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                    Some(list) if list.is_empty() => view! { <p class="muted" data-testid="webhook-none"><T m=Msg::WebhookNone/></p> }.into_any(),
                    Some(list) => view! {
                        <table class="table webhooks" data-testid="webhook-list">
                            <thead><tr>
                                <th><T m=Msg::WebhookName/></th><th><T m=Msg::WebhookUrl/></th><th><T m=Msg::WebhookTopics/></th>
                                <th><T m=Msg::DeliveryState/></th><th><T m=Msg::WebhookQueue/></th><th></th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                }}
            </div>
            {move || log_of.get().map(|id| {
                let name = hooks.get().unwrap_or_default().into_iter().find(|h| h.id == id).map(|h| h.name).unwrap_or_default();
                view! {
                    <div class="card" data-testid="delivery-log">
                        <h2><T m=Msg::WebhookLog/>" · "{name}</h2>
                        {move || match log.get() {
                            None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                            Some(list) if list.is_empty() => view! { <p class="muted"><T m=Msg::DeliveryNone/></p> }.into_any(),
                            Some(list) => view! {
                                <table class="table deliveries">
                                    <thead><tr>
                                        <th><T m=Msg::DeliveryAt/></th><th><T m=Msg::DeliveryEvent/></th><th><T m=Msg::DeliveryState/></th>
                                        <th><T m=Msg::DeliveryTries/></th><th><T m=Msg::DeliveryAnswer/></th><th><T m=Msg::DeliveryNext/></th><th></th>
                                    </tr></thead>
                                    <tbody>{list.into_iter().map(delivery_row).collect_view()}</tbody>
                                </table>
                            }.into_any(),
                        }}
                    </div>
                }
            })}
        </section>
    }
}
