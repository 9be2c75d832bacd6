//! The deal form, for a new deal (from a customer's profile) and for editing one.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::api::{create_deal, update_deal};
use kehu_domain::pipeline::types::{Deal, DealInput};
use kehu_domain::money::amount_plain;
use kehu_domain::pipeline::validate::validate_deal;
use crate::components::fields::{FieldMessages, TextField, save_if_valid};
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::format::{day, today, use_display_offset};
use crate::i18n::Msg;

/// The form's text as it was for an existing deal.
pub fn input_of(deal: &Deal) -> DealInput {
    DealInput {
        customer_id: deal.customer_id.clone(),
        title: deal.title.clone(),
        amount: if deal.amount_cents == 0 { String::new() } else { amount_plain(deal.amount_cents) },
        currency: deal.currency.clone(),
        expected_close: day(deal.expected_close),
        probability: deal.probability.map(|p| p.to_string()).unwrap_or_default(),
        products: deal.products.join(", "),
        competitor: deal.competitor.clone(),
        next_step: deal.next_step.clone(),
        needs_analysis: deal.needs_analysis.clone(),
    }
}

/// `/deals/new?customer=…`
#[component]
pub fn NewDealPage() -> impl IntoView {
    let query = use_query_map();
    let customer = query.with_untracked(|q| q.get("customer").unwrap_or_default());
    let initial = DealInput { customer_id: customer, currency: "CNY".into(), ..DealInput::default() };
    view! {
        <section class="page deal-form-page">
            <h1><T m=Msg::NewDeal/></h1>
            <DealForm initial=initial existing=None on_saved=Callback::new(|_| ())/>
        </section>
    }
    .into_any()
}

/// Creates a deal (`existing` none, then opens it) or saves one (`existing` is its id and
/// version, then calls `on_saved`).
#[component]
pub fn DealForm(initial: DealInput, existing: Option<(String, i64)>, on_saved: Callback<Deal>) -> impl IntoView {
    let offset = use_display_offset();
    let navigate = use_navigate();
    let customer_id = initial.customer_id.clone();
    let title = RwSignal::new(initial.title);
    let amount = RwSignal::new(initial.amount);
    let currency = RwSignal::new(initial.currency);
    let expected_close = RwSignal::new(initial.expected_close);
    let probability = RwSignal::new(initial.probability);
    let products = RwSignal::new(initial.products);
    let competitor = RwSignal::new(initial.competitor);
    let next_step = RwSignal::new(initial.next_step);
    let needs_analysis = RwSignal::new(initial.needs_analysis);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let existing = StoredValue::new(existing);

    let save = Action::new(move |input: &DealInput| {
        let input = input.clone();
        let navigate = navigate.clone();
        async move {
            let result = match existing.get_value() {
                Some((id, version)) => update_deal(id, input, version).await,
                None => create_deal(input).await,
            };
            match result {
                Ok(deal) => {
                    errors.set(Vec::new());
                    failure.set(None);
                    if existing.get_value().is_none() {
                        navigate(&format!("/deals/{}", deal.id), Default::default());
                    } else {
                        on_saved.run(deal);
                    }
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = DealInput {
            customer_id: customer_id.clone(),
            title: title.get_untracked(),
            amount: amount.get_untracked(),
            currency: currency.get_untracked(),
            expected_close: expected_close.get_untracked(),
            probability: probability.get_untracked(),
            products: products.get_untracked(),
            competitor: competitor.get_untracked(),
            next_step: next_step.get_untracked(),
            needs_analysis: needs_analysis.get_untracked(),
        };
        save_if_valid(validate_deal(&input, today(offset)), input, errors, save);
    };
    let errors_signal: Signal<Vec<FieldError>> = errors.into();
    view! {
        <form class="card deal-form" novalidate on:submit=on_submit data-testid="deal-form">
            <TextField label=Msg::FieldDealTitle name="title" value=title errors=errors_signal required=true/>
            <div class="row">
                <TextField label=Msg::FieldAmount name="amount" value=amount errors=errors_signal/>
                <TextField label=Msg::FieldCurrency name="currency" value=currency errors=errors_signal/>
                <TextField label=Msg::FieldExpectedClose name="expected_close" value=expected_close errors=errors_signal input_type="date" required=true/>
            </div>
            <div class="row">
                <TextField label=Msg::FieldProbability name="probability" value=probability errors=errors_signal/>
                <TextField label=Msg::FieldCompetitor name="competitor" value=competitor errors=errors_signal/>
            </div>
            <TextField label=Msg::FieldProducts name="products" value=products errors=errors_signal/>
            <TextField label=Msg::FieldNextStep name="next_step" value=next_step errors=errors_signal/>
            <TextField label=Msg::FieldNeedsAnalysis name="needs_analysis" value=needs_analysis errors=errors_signal multiline=true/>
            <FieldMessages errors=errors_signal name="customer_id"/>
            <button type="submit" class="button primary" disabled=move || save.pending().get()><T m=Msg::Save/></button>
            <ErrorBanner error=failure/>
        </form>
    }
    .into_any()
}
