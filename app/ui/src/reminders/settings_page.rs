//! The admin's reminder rules page: each rule switched on or off and tuned; saving works
//! every customer's reminders out again.

use leptos::prelude::*;

use super::api::{reminder_settings, save_reminder_settings};
use kehu_domain::reminders::settings::{validate_settings, SettingsInput};
use crate::components::fields::{TextField, save_if_valid};
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn ReminderRulesPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| reminder_settings());
    view! {
        <section class="page narrow">
            <h1><T m=Msg::RulesTitle/></h1>
            <p class="muted"><T m=Msg::RulesHint/></p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(input) => view! { <RulesForm initial=input/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A labelled checkbox bound to a switch.
#[component]
fn Switch(label: Msg, name: &'static str, on: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="switch">
            <input type="checkbox" name=name prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev))/>
            " "{move || i18n.t(label)}
        </label>
    }
}

#[component]
fn RulesForm(initial: SettingsInput) -> impl IntoView {
    let birthday = RwSignal::new(initial.birthday);
    let care_dates = RwSignal::new(initial.care_dates);
    let renewal = RwSignal::new(initial.renewal);
    let renewal_days = RwSignal::new(initial.renewal_days);
    let stale_vip = RwSignal::new(initial.stale_vip);
    let stale_vip_days = RwSignal::new(initial.stale_vip_days);
    let vip_tag = RwSignal::new(initial.vip_tag);
    let next_step = RwSignal::new(initial.next_step);
    let after_sales = RwSignal::new(initial.after_sales);
    let remind_at = RwSignal::new(initial.remind_at);
    let churn = RwSignal::new(initial.churn);
    let churn_p_alive = RwSignal::new(initial.churn_p_alive);
    let churn_silence = RwSignal::new(initial.churn_silence);
    let repurchase = RwSignal::new(initial.repurchase);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = Action::new(move |input: &SettingsInput| {
        let input = input.clone();
        async move {
            match save_reminder_settings(input).await {
                Ok(_) => {
                    saved.set(true);
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let input = SettingsInput {
            birthday: birthday.get_untracked(),
            care_dates: care_dates.get_untracked(),
            renewal: renewal.get_untracked(),
            renewal_days: renewal_days.get_untracked(),
            stale_vip: stale_vip.get_untracked(),
            stale_vip_days: stale_vip_days.get_untracked(),
            vip_tag: vip_tag.get_untracked(),
            next_step: next_step.get_untracked(),
            after_sales: after_sales.get_untracked(),
            remind_at: remind_at.get_untracked(),
            churn: churn.get_untracked(),
            churn_p_alive: churn_p_alive.get_untracked(),
            churn_silence: churn_silence.get_untracked(),
            repurchase: repurchase.get_untracked(),
        };
        save_if_valid(validate_settings(&input), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <form class="card rules" novalidate on:submit=on_submit data-testid="rules-form">
            <Switch label=Msg::RuleBirthday name="birthday" on=birthday/>
            <Switch label=Msg::RuleCareDates name="care_dates" on=care_dates/>
            <fieldset>
                <Switch label=Msg::RuleRenewal name="renewal" on=renewal/>
                <TextField label=Msg::RuleDaysBefore name="renewal_days" value=renewal_days errors=e input_type="number"/>
            </fieldset>
            <fieldset>
                <Switch label=Msg::RuleStaleVip name="stale_vip" on=stale_vip/>
                <div class="row">
                    <TextField label=Msg::RuleStaleDays name="stale_vip_days" value=stale_vip_days errors=e input_type="number"/>
                    <TextField label=Msg::RuleVipTag name="vip_tag" value=vip_tag errors=e/>
                </div>
            </fieldset>
            <Switch label=Msg::RuleNextStep name="next_step" on=next_step/>
            <Switch label=Msg::RuleAfterSales name="after_sales" on=after_sales/>
            <fieldset>
                <Switch label=Msg::RuleChurn name="churn" on=churn/>
                <div class="row">
                    <TextField label=Msg::RuleChurnPAlive name="churn_p_alive" value=churn_p_alive errors=e input_type="number"/>
                    <TextField label=Msg::RuleChurnSilence name="churn_silence" value=churn_silence errors=e input_type="number"/>
                </div>
            </fieldset>
            <Switch label=Msg::RuleRepurchase name="repurchase" on=repurchase/>
            <TextField label=Msg::RuleRemindAt name="remind_at" value=remind_at errors=e input_type="time"/>
            <button type="submit" class="button primary" data-testid="rules-save" disabled=move || save.pending().get()>
                <T m=Msg::Save/>
            </button>
            {move || saved.get().then(|| view! { <p class="banner success" role="status" data-testid="rules-saved"><T m=Msg::RulesSaved/></p> })}
            <ErrorBanner error=failure/>
        </form>
    }
}
