//! The admin's after-sales settings (`/admin/service`): the working calendar the SLA clocks
//! count in (hours per weekday with a lunch break, holidays and 调休 days pasted as lists), the
//! SLA policies (a row each, most specific wins), the complaint categories, and when
//! satisfaction surveys go out.

use leptos::prelude::*;

use super::api::{save_service_settings, service_settings};
use super::tickets_view::priority_msg;
use crate::components::fields::{save_if_valid, FieldMessages, TextField};
use crate::components::{ErrorBanner, T};
use crate::i18n::{problem_text, use_i18n, Msg};
use kehu_domain::error::{AppError, FieldError};
use kehu_domain::service::calendar_input::{CalendarInput, WEEKDAY_FIELDS};
use kehu_domain::service::settings::{validate_settings, PolicyInput, SettingsInput};
use kehu_domain::service::tickets::Priority;

const WEEKDAY_MSGS: [Msg; 7] = [Msg::SvMon, Msg::SvTue, Msg::SvWed, Msg::SvThu, Msg::SvFri, Msg::SvSat, Msg::SvSun];

#[component]
pub fn ServiceSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| service_settings());
    view! {
        <section class="page narrow">
            <h1><T m=Msg::SvTitle/></h1>
            <p class="muted"><T m=Msg::SvHint/></p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(input) => view! { <SettingsForm initial=input/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One policy row's inputs, each its own signal so typing re-renders nothing else.
#[derive(Clone, Copy)]
struct PolicyRow {
    key: usize,
    name: RwSignal<String>,
    priorities: RwSignal<Vec<String>>,
    tag: RwSignal<String>,
    first: RwSignal<String>,
    resolution: RwSignal<String>,
    warn: RwSignal<String>,
}

impl PolicyRow {
    fn new(key: usize, p: PolicyInput) -> Self {
        PolicyRow {
            key,
            name: RwSignal::new(p.name),
            priorities: RwSignal::new(p.priorities),
            tag: RwSignal::new(p.tag),
            first: RwSignal::new(p.first_response_hours),
            resolution: RwSignal::new(p.resolution_hours),
            warn: RwSignal::new(p.warn_percent),
        }
    }

    fn input(&self) -> PolicyInput {
        PolicyInput {
            name: self.name.get_untracked(),
            priorities: self.priorities.get_untracked(),
            tag: self.tag.get_untracked(),
            first_response_hours: self.first.get_untracked(),
            resolution_hours: self.resolution.get_untracked(),
            warn_percent: self.warn.get_untracked(),
        }
    }
}

#[component]
fn SettingsForm(initial: SettingsInput) -> impl IntoView {
    let i18n = use_i18n();
    let utc_offset = RwSignal::new(initial.calendar.utc_offset);
    let week: [RwSignal<String>; 7] = std::array::from_fn(|i| RwSignal::new(initial.calendar.week[i].clone()));
    let holidays = RwSignal::new(initial.calendar.holidays);
    let make_up_days = RwSignal::new(initial.calendar.make_up_days);
    let categories = RwSignal::new(initial.categories);
    let csat_after_solved = RwSignal::new(initial.csat_after_solved);
    let survey_valid_days = RwSignal::new(initial.survey_valid_days);
    let survey_gap_days = RwSignal::new(initial.survey_gap_days);
    let installation_categories = RwSignal::new(initial.installation_categories);
    let nps_after_first_order_days = RwSignal::new(initial.nps_after_first_order_days);
    let nps_after_churn_days = RwSignal::new(initial.nps_after_churn_days);
    let care_steps = super::care_plan_settings::step_rows(initial.care_steps);
    let next_key = StoredValue::new(initial.policies.len());
    let rows = RwSignal::new(initial.policies.into_iter().enumerate().map(|(i, p)| PolicyRow::new(i, p)).collect::<Vec<_>>());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = Action::new(move |input: &SettingsInput| {
        let input = input.clone();
        async move {
            match save_service_settings(input).await {
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
            calendar: CalendarInput {
                utc_offset: utc_offset.get_untracked(),
                week: std::array::from_fn(|i| week[i].get_untracked()),
                holidays: holidays.get_untracked(),
                make_up_days: make_up_days.get_untracked(),
            },
            policies: rows.get_untracked().iter().map(PolicyRow::input).collect(),
            categories: categories.get_untracked(),
            csat_after_solved: csat_after_solved.get_untracked(),
            survey_valid_days: survey_valid_days.get_untracked(),
            survey_gap_days: survey_gap_days.get_untracked(),
            installation_categories: installation_categories.get_untracked(),
            nps_after_first_order_days: nps_after_first_order_days.get_untracked(),
            nps_after_churn_days: nps_after_churn_days.get_untracked(),
            care_steps: care_steps.get_untracked().iter().map(super::care_plan_settings::StepRow::input).collect(),
        };
        save_if_valid(validate_settings(&input), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    // The problems of one policy cell, by its position in the list when saved.
    let cell_errors = move |row: usize, name: &'static str| {
        let field = format!("policies.{}.{name}", row);
        Signal::derive(move || e.get().iter().filter(|x| x.field == field).map(|x| problem_text(&x.problem, i18n.lang())).collect::<Vec<_>>().join(" "))
    };
    let add_row = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let blank = PolicyInput { warn_percent: "80".into(), ..PolicyInput::default() };
        rows.update(|r| r.push(PolicyRow::new(key, blank)));
    };
    view! {
        <form class="card service-settings" novalidate on:submit=on_submit data-testid="service-settings-form">
            <h2><T m=Msg::SvCalendar/></h2>
            <p class="muted small"><T m=Msg::SvHoursHint/></p>
            <div class="weekdays">
                {(0..7).map(|i| view! { <TextField label=WEEKDAY_MSGS[i] name=WEEKDAY_FIELDS[i] value=week[i] errors=e/> }).collect_view()}
            </div>
            <TextField label=Msg::SvUtcOffset name="utc_offset" value=utc_offset errors=e/>
            <div class="row">
                <TextField label=Msg::SvHolidays name="holidays" value=holidays errors=e multiline=true/>
                <TextField label=Msg::SvMakeUpDays name="make_up_days" value=make_up_days errors=e multiline=true/>
            </div>
            <p class="muted small"><T m=Msg::SvDaysHint/></p>

            <h2><T m=Msg::SvPolicies/></h2>
            <p class="muted small"><T m=Msg::SvPoliciesHint/></p>
            <div class="table-wrap">
                <table class="policies" data-testid="sla-policies">
                    <thead><tr>
                        <th><T m=Msg::SvPolicyName/></th><th><T m=Msg::TkFieldPriority/></th><th><T m=Msg::SvTag/></th>
                        <th><T m=Msg::TkFirstResponse/>" (h)"</th><th><T m=Msg::TkResolution/>" (h)"</th><th><T m=Msg::SvWarn/>" %"</th><th></th>
                    </tr></thead>
                    <tbody>
                        {move || rows.get().into_iter().enumerate().map(|(index, row)| {
                            let text = move |name: &'static str, value: RwSignal<String>, label: Msg| {
                                let problems = cell_errors(index, name);
                                view! {
                                    <td class:invalid=move || !problems.get().is_empty()>
                                        <input name=name aria-label=move || i18n.t(label) prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                                        <span class="field-error">{problems}</span>
                                    </td>
                                }
                            };
                            let priorities_problem = cell_errors(index, "priorities");
                            view! {
                                <tr data-testid="sla-policy" data-key=row.key>
                                    {text("name", row.name, Msg::SvPolicyName)}
                                    <td>
                                        {Priority::ALL.into_iter().map(|p| {
                                            let key = p.key().to_string();
                                            let checked_key = key.clone();
                                            view! {
                                                <label class="check">
                                                    <input type="checkbox" name=format!("priority-{key}")
                                                        prop:checked=move || row.priorities.with(|list| list.contains(&checked_key))
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            row.priorities.update(|list| {
                                                                list.retain(|k| *k != key);
                                                                if on { list.push(key.clone()); }
                                                            });
                                                        }/>
                                                    {move || i18n.t(priority_msg(p))}
                                                </label>
                                            }
                                        }).collect_view()}
                                        <span class="field-error">{priorities_problem}</span>
                                    </td>
                                    {text("tag", row.tag, Msg::SvTag)}
                                    {text("first_response_hours", row.first, Msg::TkFirstResponse)}
                                    {text("resolution_hours", row.resolution, Msg::TkResolution)}
                                    {text("warn_percent", row.warn, Msg::SvWarn)}
                                    <td>
                                        <button type="button" class="button small quiet" on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>
                                            <T m=Msg::RemoveLine/>
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FieldMessages errors=e name="policies"/>
            <button type="button" class="button small" on:click=add_row data-testid="add-policy"><T m=Msg::SvAddPolicy/></button>

            <h2><T m=Msg::TkFieldCategory/></h2>
            <TextField label=Msg::SvCategories name="categories" value=categories errors=e multiline=true/>

            <h2><T m=Msg::SvInstallation/></h2>
            <TextField label=Msg::SvInstallationCategories name="installation_categories" value=installation_categories errors=e multiline=true/>

            <h2><T m=Msg::SuSettings/></h2>
            <label class="check">
                <input type="checkbox" name="csat_after_solved" prop:checked=move || csat_after_solved.get()
                    on:change=move |ev| csat_after_solved.set(event_target_checked(&ev))/>
                <T m=Msg::SuCsatAfterSolved/>
            </label>
            <div class="row">
                <TextField label=Msg::SuValidDays name="survey_valid_days" value=survey_valid_days errors=e/>
                <TextField label=Msg::SuGapDays name="survey_gap_days" value=survey_gap_days errors=e/>
                <TextField label=Msg::SuNpsAfterFirstOrder name="nps_after_first_order_days" value=nps_after_first_order_days errors=e/>
                <TextField label=Msg::SuNpsAfterChurn name="nps_after_churn_days" value=nps_after_churn_days errors=e/>
            </div>

            <h2><T m=Msg::SvCarePlans/></h2>
            <p class="muted small"><T m=Msg::SvCarePlansHint/></p>
            <super::care_plan_settings::CareStepRows rows=care_steps errors=e/>

            <button type="submit" class="button primary" data-testid="service-settings-save" disabled=move || save.pending().get()>
                <T m=Msg::Save/>
            </button>
            {move || saved.get().then(|| view! { <p class="banner success" role="status" data-testid="service-settings-saved"><T m=Msg::SvSaved/></p> })}
            {move || (!e.get().is_empty()).then(|| view! { <p class="banner warning" role="alert"><T m=Msg::SvFix/></p> })}
            <ErrorBanner error=failure/>
        </form>
    }
}
