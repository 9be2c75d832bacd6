//! The after-sales plans in the settings form: a row per step — product category (empty: the
//! default plan), what (visit, CSAT, NPS), counted from the win or back from the contract end,
//! and days. Rows of one category make its plan, in their order.

use leptos::prelude::*;

use super::care_plan_view::{anchor_msg, step_msg};
use crate::components::fields::FieldMessages;
use crate::components::T;
use crate::i18n::{problem_text, use_i18n, Msg};
use kehu_domain::error::FieldError;
use kehu_domain::service::care_plan::{Anchor, StepKind};
use kehu_domain::service::care_plan_input::CareStepInput;

/// One step row's inputs, each its own signal so typing re-renders nothing else.
#[derive(Clone, Copy)]
pub struct StepRow {
    key: usize,
    category: RwSignal<String>,
    kind: RwSignal<String>,
    anchor: RwSignal<String>,
    days: RwSignal<String>,
}

impl StepRow {
    fn new(key: usize, s: CareStepInput) -> Self {
        StepRow { key, category: RwSignal::new(s.category), kind: RwSignal::new(s.kind), anchor: RwSignal::new(s.anchor), days: RwSignal::new(s.days) }
    }

    pub fn input(&self) -> CareStepInput {
        CareStepInput {
            category: self.category.get_untracked(),
            kind: self.kind.get_untracked(),
            anchor: self.anchor.get_untracked(),
            days: self.days.get_untracked(),
        }
    }
}

pub fn step_rows(initial: Vec<CareStepInput>) -> RwSignal<Vec<StepRow>> {
    RwSignal::new(initial.into_iter().enumerate().map(|(i, s)| StepRow::new(i, s)).collect())
}

#[component]
pub fn CareStepRows(rows: RwSignal<Vec<StepRow>>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    // New rows get keys after the largest so far: removing a row never reuses a key.
    let next_key = StoredValue::new(rows.with_untracked(|r| r.iter().map(|x| x.key + 1).max().unwrap_or(0)));
    let cell_errors = move |row: usize, name: &'static str| {
        let field = format!("care_steps.{row}.{name}");
        Signal::derive(move || errors.get().iter().filter(|x| x.field == field).map(|x| problem_text(&x.problem, i18n.lang())).collect::<Vec<_>>().join(" "))
    };
    let add_row = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let blank = CareStepInput { kind: StepKind::Visit.key().into(), anchor: Anchor::AfterWin.key().into(), days: "7".into(), ..CareStepInput::default() };
        rows.update(|r| r.push(StepRow::new(key, blank)));
    };
    view! {
        <div class="table-wrap">
            <table class="care-steps" data-testid="care-steps">
                <thead><tr>
                    <th><T m=Msg::SvCareCategory/></th><th><T m=Msg::SvCareStep/></th><th><T m=Msg::SvCareAnchor/></th><th><T m=Msg::SvCareDays/></th><th></th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().enumerate().map(|(index, row)| {
                        let problems = |name: &'static str| cell_errors(index, name);
                        let (category_problem, kind_problem, anchor_problem, days_problem) = (problems("category"), problems("kind"), problems("anchor"), problems("days"));
                        view! {
                            <tr data-testid="care-step" data-key=row.key>
                                <td class:invalid=move || !category_problem.get().is_empty()>
                                    <input name="category" aria-label=move || i18n.t(Msg::SvCareCategory) prop:value=move || row.category.get()
                                        on:input=move |ev| row.category.set(event_target_value(&ev))/>
                                    <span class="field-error">{category_problem}</span>
                                </td>
                                <td class:invalid=move || !kind_problem.get().is_empty()>
                                    <select name="kind" aria-label=move || i18n.t(Msg::SvCareStep) prop:value=move || row.kind.get()
                                        on:change=move |ev| row.kind.set(event_target_value(&ev))>
                                        {StepKind::ALL.into_iter().map(|k| view! {
                                            <option value=k.key() selected=move || row.kind.get() == k.key()>{move || i18n.t(step_msg(k))}</option>
                                        }).collect_view()}
                                    </select>
                                    <span class="field-error">{kind_problem}</span>
                                </td>
                                <td class:invalid=move || !anchor_problem.get().is_empty()>
                                    <select name="anchor" aria-label=move || i18n.t(Msg::SvCareAnchor) prop:value=move || row.anchor.get()
                                        on:change=move |ev| row.anchor.set(event_target_value(&ev))>
                                        {Anchor::ALL.into_iter().map(|a| view! {
                                            <option value=a.key() selected=move || row.anchor.get() == a.key()>{move || i18n.t(anchor_msg(a))}</option>
                                        }).collect_view()}
                                    </select>
                                    <span class="field-error">{anchor_problem}</span>
                                </td>
                                <td class:invalid=move || !days_problem.get().is_empty()>
                                    <input name="days" inputmode="numeric" aria-label=move || i18n.t(Msg::SvCareDays) prop:value=move || row.days.get()
                                        on:input=move |ev| row.days.set(event_target_value(&ev))/>
                                    <span class="field-error">{days_problem}</span>
                                </td>
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
        <FieldMessages errors=errors name="care_steps"/>
        <div class="care-steps-add">
            <button type="button" class="button small" on:click=add_row data-testid="add-care-step"><T m=Msg::SvAddCareStep/></button>
        </div>
    }
}
