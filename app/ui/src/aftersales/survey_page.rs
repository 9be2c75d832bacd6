//! The survey a customer answers (`/s/<token>`), no sign-in: one question, a score (the link's
//! `?score=` preselects it, but only the submit button answers — mail scanners open links), a
//! one-tap reason and a comment for a low score, then thanks. Works on a phone first.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{answer_survey, survey_page};
use crate::components::fields::FieldMessages;
use crate::components::T;
use crate::i18n::{use_i18n, Msg};
use kehu_domain::error::{AppError, FieldError};
use kehu_domain::service::survey_rules::{AnswerInput, SurveyPage, SurveyState};
use kehu_domain::service::surveys::SurveyKind;

#[component]
pub fn SurveyAnswerPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let loaded = Resource::new(token, survey_page);
    view! {
        <section class="page narrow survey-page" data-testid="survey-page">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(page) => view! { <SurveyForm page=page token=token()/> }.into_any(),
                        Err(_) => view! { <p class="banner warning" role="alert"><T m=Msg::SuNotFound/></p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SurveyForm(page: SurveyPage, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kind = page.kind;
    let preselected = query.with_untracked(|q| q.get("score")).and_then(|s| s.parse::<u8>().ok()).filter(|s| kind.scores().contains(s));
    let score = RwSignal::new(preselected);
    let reason = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let state = RwSignal::new(page.state);
    let was_low = RwSignal::new(false);
    let token = StoredValue::new(token);
    let submit = Action::new(move |input: &AnswerInput| {
        let input = input.clone();
        async move {
            match answer_survey(token.get_value(), input).await {
                Ok(after) => state.set(after.state),
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(_) => errors.set(vec![FieldError::new("score", kehu_domain::error::Problem::SurveyClosed)]),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        was_low.set(score.get_untracked().is_some_and(|s| kind.is_low(s)));
        submit.dispatch(AnswerInput { score: score.get_untracked(), reason: reason.get_untracked(), comment: comment.get_untracked() });
    };
    let low = move || score.get().is_some_and(|s| kind.is_low(s));
    let e: Signal<Vec<FieldError>> = errors.into();
    let (question, low_label, high_label) = match kind {
        SurveyKind::Csat => (Msg::SuCsatQuestion, Msg::SuCsatLow, Msg::SuCsatHigh),
        SurveyKind::Nps => (Msg::SuNpsQuestion, Msg::SuNpsLow, Msg::SuNpsHigh),
    };
    let categories = page.categories.clone();
    let about = page.about.clone();
    view! {
        <h1><T m=Msg::SuPageTitle/></h1>
        {move || match state.get() {
            SurveyState::Answered if submit.version().get() > 0 => view! {
                <p class="banner success" role="status" data-testid="survey-thanks">
                    {move || i18n.t(if was_low.get() { Msg::SuThanksLow } else { Msg::SuThanks })}
                </p>
            }.into_any(),
            SurveyState::Answered => view! { <p class="banner info" role="status" data-testid="survey-closed"><T m=Msg::SuClosedAnswered/></p> }.into_any(),
            SurveyState::Expired => view! { <p class="banner warning" role="status" data-testid="survey-closed"><T m=Msg::SuClosedExpired/></p> }.into_any(),
            SurveyState::Open => {
                let categories = categories.clone();
                let about = about.clone();
                view! {
                    <form class="card survey-form" novalidate on:submit=on_submit data-testid="survey-form">
                        <p class="survey-question"><strong>{move || i18n.t(question)}</strong></p>
                        {(!about.is_empty()).then(|| view! { <p class="muted">{about.clone()}</p> })}
                        <div class="score-scale" class:nps=kind == SurveyKind::Nps role="radiogroup" aria-label=move || i18n.t(question)>
                            {kind.scores().map(|s| view! {
                                <label class="score" class:chosen=move || score.get() == Some(s)>
                                    <input type="radio" name="score" value=s.to_string() prop:checked=move || score.get() == Some(s)
                                        on:change=move |_| score.set(Some(s))/>
                                    <span>{s}</span>
                                </label>
                            }).collect_view()}
                        </div>
                        <p class="score-ends muted small"><span>{move || i18n.t(low_label)}</span><span>{move || i18n.t(high_label)}</span></p>
                        <FieldMessages errors=e name="score"/>
                        {move || low().then(|| {
                            let categories = categories.clone();
                            view! {
                                <fieldset class="survey-reasons">
                                    <legend><T m=Msg::SuWhy/></legend>
                                    {categories.into_iter().map(|c| {
                                        let value = c.clone();
                                        let chosen = c.clone();
                                        view! {
                                            <label class="chip" class:chosen=move || reason.get() == chosen>
                                                <input type="radio" name="reason" value=c.clone() on:change=move |_| {
                                                    reason.set(value.clone());
                                                    errors.update(|list| list.retain(|e| e.field != "reason"));
                                                }/>
                                                {c}
                                            </label>
                                        }
                                    }).collect_view()}
                                    <FieldMessages errors=e name="reason"/>
                                </fieldset>
                            }
                        })}
                        <label class="field">
                            <span><T m=Msg::SuComment/></span>
                            <textarea name="comment" rows="3" maxlength="1000" prop:value=move || comment.get()
                                on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                        </label>
                        <FieldMessages errors=e name="comment"/>
                        <button type="submit" class="button primary" data-testid="survey-submit" disabled=move || submit.pending().get()>
                            <T m=Msg::SuSubmit/>
                        </button>
                    </form>
                }.into_any()
            }
        }}
    }
}
