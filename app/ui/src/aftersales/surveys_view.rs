//! Satisfaction on the customer profile (满意度): the latest CSAT and NPS, the surveys sent
//! with their answers, and sending one — the link to copy into WeChat or SMS and its QR code,
//! or the address it was mailed to.

use leptos::prelude::*;

use super::api::{customer_surveys, send_survey};
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{date, datetime, use_display_offset};
use crate::i18n::{problem_text, use_i18n, Msg};
use kehu_domain::error::AppError;
use kehu_domain::service::survey_rules::{MailOutcome, SurveyEntry, SurveyState};
use kehu_domain::service::surveys::SurveyKind;

fn state_msg(state: SurveyState) -> Msg {
    match state {
        SurveyState::Open => Msg::SuOpen,
        SurveyState::Answered => Msg::SuAnswered,
        SurveyState::Expired => Msg::SuExpired,
    }
}

fn mail_msg(outcome: MailOutcome) -> Option<Msg> {
    match outcome {
        MailOutcome::Mailed => None,
        MailOutcome::NoServer => Some(Msg::SuNoServer),
        MailOutcome::NoAddress => Some(Msg::SuNoAddress),
        MailOutcome::Failed => Some(Msg::SuMailFailed),
    }
}

/// The newest answered score of a kind, with when.
fn latest(list: &[SurveyEntry], kind: SurveyKind) -> Option<(u8, String)> {
    list.iter().find(|s| s.kind == kind && s.score.is_some()).and_then(|s| Some((s.score?, s.reason.clone())))
}

#[component]
pub fn CustomerSurveys(customer_id: String, #[prop(into)] refresh: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(customer_id);
    let loaded = load_in_browser(move || {
        refresh.track();
        customer_surveys(id.get_value())
    });
    let surveys = RwSignal::new(None::<Vec<SurveyEntry>>);
    let failure = RwSignal::new(None::<AppError>);
    let refused = RwSignal::new(None::<String>);
    let mail_note = RwSignal::new(None::<Msg>);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(list)) => surveys.set(Some(list)),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let send = Action::new(move |kind: &SurveyKind| {
        let kind = *kind;
        async move {
            match send_survey(id.get_value(), kind, None).await {
                Ok(link) => {
                    refused.set(None);
                    failure.set(None);
                    mail_note.set(mail_msg(link.mail));
                    surveys.update(|list| list.get_or_insert_with(Vec::new).insert(0, link.entry));
                }
                Err(AppError::Invalid(list)) => {
                    refused.set(Some(list.iter().map(|e| problem_text(&e.problem, i18n.lang())).collect::<Vec<_>>().join(" ")))
                }
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card surveys" data-testid="surveys">
            <h2><T m=Msg::SuTitle/></h2>
            <ErrorBanner error=failure/>
            {move || surveys.get().map(|list| {
                let scores = [(Msg::SuLatestCsat, SurveyKind::Csat), (Msg::SuLatestNps, SurveyKind::Nps)];
                view! {
                    <p class="survey-latest">
                        {scores.into_iter().map(|(label, kind)| {
                            let value = latest(&list, kind);
                            let low = value.as_ref().is_some_and(|(s, _)| kind.is_low(*s));
                            view! {
                                <span class="survey-score" class:low=low data-testid=format!("latest-{}", kind.key())>
                                    {move || i18n.t(label)}"："
                                    {value.clone().map(|(s, reason)| if reason.is_empty() { s.to_string() } else { format!("{s}（{reason}）") }).unwrap_or_else(|| "—".into())}
                                </span>
                            }
                        }).collect_view()}
                    </p>
                    {list.is_empty().then(|| view! { <p class="muted"><T m=Msg::SuNone/></p> })}
                    <ul class="plain survey-list">
                        {list.into_iter().map(|s| view! { <SurveyItem survey=s/> }).collect_view()}
                    </ul>
                }
            })}
            {move || mail_note.get().map(|m| view! { <p class="banner info" role="status" data-testid="survey-mail-note">{move || i18n.t(m)}</p> })}
            {move || refused.get().map(|text| view! { <p class="banner warning" role="alert" data-testid="survey-refused">{text}</p> })}
            <button type="button" class="button small" data-testid="send-nps" disabled=move || send.pending().get()
                on:click=move |_| { send.dispatch(SurveyKind::Nps); }>
                <T m=Msg::SuSendNps/>
            </button>
        </section>
    }
}

#[component]
fn SurveyItem(survey: SurveyEntry) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let state = survey.state;
    view! {
        <li class="survey" data-testid="survey" data-state=format!("{state:?}").to_lowercase()>
            <p>
                <strong>{survey.kind.acronym()}</strong>" "
                <span class="muted small">{datetime(survey.created_at, offset)}</span>" "
                <span class=format!("survey-state state-{}", format!("{state:?}").to_lowercase())>{move || i18n.t(state_msg(state))}</span>
                {(!survey.about.is_empty()).then(|| view! { " "<span class="muted small">{format!("· {}", survey.about)}</span> })}
            </p>
            {survey.score.map(|score| view! {
                <p data-testid="survey-answer">
                    <strong class:low=survey.kind.is_low(score)>{score}</strong>
                    {(!survey.reason.is_empty()).then(|| view! { " · "<T m=Msg::SuReason/>"："{survey.reason.clone()} })}
                    {(!survey.comment.is_empty()).then(|| view! { <span class="notes">" “"{survey.comment.clone()}"”"</span> })}
                </p>
            })}
            {(!survey.sent_to.is_empty()).then(|| view! { <p class="muted small"><T m=Msg::SuMailed/>" "{survey.sent_to.clone()}</p> })}
            {(state == SurveyState::Open && !survey.url.is_empty()).then(|| view! {
                <div class="survey-link">
                    <div class="qr" inner_html=survey.qr_svg.clone() aria-hidden="true"></div>
                    <div>
                        <p class="muted small"><T m=Msg::SuLinkHint/></p>
                        <input class="feed-address" readonly data-testid="survey-url" prop:value=survey.url.clone()
                            on:focus=move |ev| {
                                #[cfg(feature = "hydrate")]
                                {
                                    use wasm_bindgen::JsCast;
                                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                        input.select();
                                    }
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = ev;
                            }/>
                        <p class="muted small"><T m=Msg::SuExpires/>" "{date(survey.expires_at, offset)}</p>
                    </div>
                </div>
            })}
        </li>
    }
}
