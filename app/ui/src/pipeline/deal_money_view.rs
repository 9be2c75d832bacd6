//! Quotes (报价), the contract (合同) and payment collection (回款) on a deal's page.

use leptos::prelude::*;

use super::api::{add_contract_money, add_quote, save_contract};
use kehu_domain::pipeline::rules::{collection_percent, line_total};
use kehu_domain::pipeline::types::*;
use kehu_domain::money::{amount_plain, money_text};
use kehu_domain::pipeline::validate::{parse_quote_line, validate_contract, validate_money_on_date, validate_quote};
use crate::components::fields::{FieldMessages, TextField, save_if_valid};
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::format::{day, today, use_display_offset};
use crate::i18n::{problem_text, use_i18n, Msg};

#[component]
pub fn QuotesView(deal_id: String, currency: String, quotes: Vec<Quote>, editable: bool, on_change: Callback<()>) -> impl IntoView {
    view! {
        <section class="card quotes" data-testid="quotes">
            <h2><T m=Msg::Quotes/></h2>
            <ul class="plain">
                {quotes.into_iter().map(|q| view! {
                    <li>
                        <a href=format!("/quotes/{}", q.id) data-testid="quote-link">{q.number.clone()}</a>
                        " · "{money_text(q.total_cents, &q.currency)}" · "{day(q.valid_until)}
                    </li>
                }).collect_view()}
            </ul>
            {editable.then(|| view! { <QuoteForm deal_id=deal_id currency=currency on_saved=on_change/> })}
        </section>
    }
}

/// A quote line being typed, with a stable key so removing one keeps the others' inputs.
#[derive(Clone, Debug)]
struct LineDraft {
    key: usize,
    product: RwSignal<String>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount: RwSignal<String>,
}

impl LineDraft {
    fn new(key: usize) -> Self {
        LineDraft {
            key,
            product: RwSignal::new(String::new()),
            quantity: RwSignal::new("1".into()),
            unit_price: RwSignal::new(String::new()),
            discount: RwSignal::new(String::new()),
        }
    }

    fn input(&self) -> QuoteLineInput {
        QuoteLineInput {
            product: self.product.get(),
            quantity: self.quantity.get(),
            unit_price: self.unit_price.get(),
            discount: self.discount.get(),
        }
    }
}

#[component]
fn QuoteForm(deal_id: String, currency: String, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let next_key = StoredValue::new(1usize);
    let lines = RwSignal::new(vec![LineDraft::new(0)]);
    let valid_until = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(deal_id);
    let save = Action::new(move |input: &QuoteInput| {
        let input = input.clone();
        async move {
            match add_quote(id.get_value(), input).await {
                Ok(_) => on_saved.run(()),
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let input = move || QuoteInput { lines: lines.with(|l| l.iter().map(LineDraft::input).collect()), valid_until: valid_until.get() };
    // The running total as typed; lines that do not parse yet count as nothing.
    let total = move || input().lines.iter().filter_map(parse_quote_line).map(|l| line_total(&l)).sum::<i64>();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = input();
        save_if_valid(validate_quote(&value, today(offset)), value, errors, save);
    };
    let errors_signal: Signal<Vec<FieldError>> = errors.into();
    let line_error = move |i: usize, name: &'static str| {
        let field = format!("lines.{i}.{name}");
        move || {
            errors
                .get()
                .iter()
                .filter(|e| e.field == field)
                .map(|e| problem_text(&e.problem, i18n.lang()))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    view! {
        <form class="quote-form" novalidate on:submit=on_submit data-testid="quote-form">
            <h3><T m=Msg::NewQuote/></h3>
            <table class="lines">
                <thead><tr>
                    <th><T m=Msg::FieldProduct/></th><th><T m=Msg::FieldQuantity/></th>
                    <th><T m=Msg::FieldUnitPrice/></th><th><T m=Msg::FieldDiscount/></th><th></th>
                </tr></thead>
                <tbody>
                    {move || lines.get().into_iter().enumerate().map(|(i, l)| {
                        let key = l.key;
                        view! {
                            <tr>
                                <td><input name=format!("lines.{i}.product") prop:value=move || l.product.get() on:input=move |ev| l.product.set(event_target_value(&ev))/>
                                    <span class="field-error">{line_error(i, "product")}</span></td>
                                <td><input name=format!("lines.{i}.quantity") inputmode="numeric" prop:value=move || l.quantity.get() on:input=move |ev| l.quantity.set(event_target_value(&ev))/>
                                    <span class="field-error">{line_error(i, "quantity")}</span></td>
                                <td><input name=format!("lines.{i}.unit_price") inputmode="decimal" prop:value=move || l.unit_price.get() on:input=move |ev| l.unit_price.set(event_target_value(&ev))/>
                                    <span class="field-error">{line_error(i, "unit_price")}</span></td>
                                <td><input name=format!("lines.{i}.discount") inputmode="decimal" prop:value=move || l.discount.get() on:input=move |ev| l.discount.set(event_target_value(&ev))/>
                                    <span class="field-error">{line_error(i, "discount")}</span></td>
                                <td><button type="button" class="button small" on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != key))>
                                    <T m=Msg::RemoveLine/></button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <FieldMessages errors=errors_signal name="lines"/>
            <button type="button" class="button small" on:click=move |_| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                lines.update(|ls| ls.push(LineDraft::new(key)));
            }><T m=Msg::AddLine/></button>
            <div class="row">
                <TextField label=Msg::FieldValidUntil name="valid_until" value=valid_until errors=errors_signal input_type="date" required=true/>
                <p class="quote-total"><T m=Msg::Total/>": "<strong>{move || money_text(total(), &currency)}</strong></p>
            </div>
            <button type="submit" class="button primary" disabled=move || save.pending().get()><T m=Msg::Save/></button>
            <ErrorBanner error=failure/>
        </form>
    }
    .into_any()
}

#[component]
pub fn ContractView(deal_id: String, contract: Option<Contract>, editable: bool, on_change: Callback<()>) -> impl IntoView {
    let offset = use_display_offset();
    let initial = contract.as_ref().map(|c| ContractInput {
        number: c.number.clone(),
        amount: amount_plain(c.amount_cents),
        start: day(c.start),
        end: day(c.end),
        signed_on: c.signed_on.map(day).unwrap_or_default(),
    });
    let number = RwSignal::new(initial.as_ref().map(|i| i.number.clone()).unwrap_or_default());
    let amount = RwSignal::new(initial.as_ref().map(|i| i.amount.clone()).unwrap_or_default());
    let start = RwSignal::new(initial.as_ref().map(|i| i.start.clone()).unwrap_or_default());
    let end = RwSignal::new(initial.as_ref().map(|i| i.end.clone()).unwrap_or_default());
    let signed_on = RwSignal::new(initial.as_ref().map(|i| i.signed_on.clone()).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(deal_id.clone());
    let save = Action::new(move |input: &ContractInput| {
        let input = input.clone();
        async move {
            match save_contract(id.get_value(), input).await {
                Ok(_) => on_change.run(()),
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ContractInput {
            number: number.get_untracked(),
            amount: amount.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
            signed_on: signed_on.get_untracked(),
        };
        save_if_valid(validate_contract(&input, today(offset)), input, errors, save);
    };
    let errors_signal: Signal<Vec<FieldError>> = errors.into();
    let summary = contract.clone().map(|c| {
        let received = c.received_cents();
        let rate = collection_percent(received, c.amount_cents).map(|r| format!("{r:.1}%")).unwrap_or_else(|| "—".into());
        view! {
            <p class="collection" data-testid="collection-rate">
                <T m=Msg::CollectionRate/>": "<strong>{rate}</strong>
                " ("{money_text(received, &c.currency)}" / "{money_text(c.amount_cents, &c.currency)}")"
            </p>
            <h3><T m=Msg::Instalments/></h3>
            <ul class="plain">{c.instalments.iter().map(|i| view! { <li>{day(i.due)}" · "{money_text(i.amount_cents, &c.currency)}</li> }).collect_view()}</ul>
            <h3><T m=Msg::Payments/></h3>
            <ul class="plain">{c.payments.iter().map(|p| view! { <li>{day(p.received_on)}" · "{money_text(p.amount_cents, &c.currency)}</li> }).collect_view()}</ul>
        }
    });
    let has_contract = contract.is_some();
    view! {
        <section class="card contract" data-testid="contract">
            <h2><T m=Msg::Contract/></h2>
            {summary}
            {(editable && has_contract).then(|| view! {
                <MoneyForm deal_id=deal_id.clone() received=false on_saved=on_change/>
                <MoneyForm deal_id=deal_id.clone() received=true on_saved=on_change/>
            })}
            {editable.then(|| view! {
                <form class="contract-form" novalidate on:submit=on_submit data-testid="contract-form">
                    <div class="row">
                        <TextField label=Msg::FieldContractNumber name="number" value=number errors=errors_signal required=true/>
                        <TextField label=Msg::FieldAmount name="amount" value=amount errors=errors_signal required=true/>
                    </div>
                    <div class="row">
                        <TextField label=Msg::FieldStart name="start" value=start errors=errors_signal input_type="date" required=true/>
                        <TextField label=Msg::FieldEnd name="end" value=end errors=errors_signal input_type="date" required=true/>
                        <TextField label=Msg::FieldSignedOn name="signed_on" value=signed_on errors=errors_signal input_type="date"/>
                    </div>
                    <button type="submit" class="button primary" disabled=move || save.pending().get()><T m=Msg::Save/></button>
                    <ErrorBanner error=failure/>
                </form>
            })}
        </section>
    }
    .into_any()
}

/// Adds a planned instalment, or (`received`) a payment received.
#[component]
fn MoneyForm(deal_id: String, received: bool, on_saved: Callback<()>) -> impl IntoView {
    let offset = use_display_offset();
    let date = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(deal_id);
    let save = Action::new(move |input: &MoneyOnDateInput| {
        let input = input.clone();
        async move {
            match add_contract_money(id.get_value(), input, received).await {
                Ok(_) => on_saved.run(()),
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = MoneyOnDateInput { date: date.get_untracked(), amount: amount.get_untracked() };
        match validate_money_on_date(&input, today(offset), received) {
            Ok(_) => {
                save.dispatch(input);
            }
            Err(list) => errors.set(list),
        }
    };
    let errors_signal: Signal<Vec<FieldError>> = errors.into();
    view! {
        <form class="money-form row" novalidate on:submit=on_submit data-testid=if received { "payment-form" } else { "instalment-form" }>
            <TextField label=Msg::FieldDate name="date" value=date errors=errors_signal input_type="date" required=true/>
            <TextField label=Msg::FieldAmount name="amount" value=amount errors=errors_signal required=true/>
            <button type="submit" class="button small">{if received { view! { <T m=Msg::AddPayment/> } } else { view! { <T m=Msg::AddInstalment/> } }}</button>
            <ErrorBanner error=failure/>
        </form>
    }
    .into_any()
}
