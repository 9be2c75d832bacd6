//! The customer's orders on the profile: each with its lines and total (returns in red), a
//! form to enter one (product, quantity, amount per line; field-level messages), removal for
//! whoever may change the customer. Orders are shared with the timeline, which shows them too.

use leptos::prelude::*;

use super::api::{add_order, list_products, remove_order};
use kehu_domain::insight::orders::validate_order;
use kehu_domain::insight::types::{Order, OrderInput, OrderLineInput, Product};
use crate::components::fields::{save_if_valid, TextField};
use crate::components::{load_in_browser, ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::format::{day, today, use_display_offset};
use crate::i18n::{problem_text, use_i18n, Msg};
use kehu_domain::money::money_text;

#[component]
pub fn CustomerOrders(customer_id: String, orders: RwSignal<Vec<Order>>, can_edit: bool) -> impl IntoView {
    let id = StoredValue::new(customer_id);
    let failure = RwSignal::new(None::<AppError>);
    let remove = Action::new(move |order: &String| {
        let order = order.clone();
        async move {
            match remove_order(id.get_value(), order).await {
                Ok(list) => orders.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card orders" data-testid="orders">
            <h2><T m=Msg::Orders/></h2>
            <Show when=move || orders.with(|o| o.is_empty())>
                <p class="muted"><T m=Msg::NoOrders/></p>
            </Show>
            <ul class="order-list">
                <For each=move || orders.get() key=|o| o.id.clone() let:o>
                    <li class="order" class:return=o.total_cents < 0 data-testid="order">
                        <div class="order-head">
                            <span>{day(o.on)}</span>
                            {(!o.order_no.is_empty()).then(|| view! { <span class="muted">{o.order_no.clone()}</span> })}
                            {(!o.carrier.is_empty()).then(|| view! { <span class="muted small" data-testid="order-carrier">{o.carrier.clone()}</span> })}
                            <strong class="order-total">{money_text(o.total_cents, "CNY")}</strong>
                            {can_edit.then(|| {
                                let which = o.id.clone();
                                view! {
                                    <button type="button" class="link danger" on:click=move |_| { remove.dispatch(which.clone()); }>
                                        <T m=Msg::Remove/>
                                    </button>
                                }
                            })}
                        </div>
                        <ul class="order-lines">
                            {o.lines.iter().map(|l| view! {
                                <li>{l.product_name.clone()}" × "{l.quantity}" · "{money_text(l.amount_cents, "CNY")}</li>
                            }).collect_view()}
                        </ul>
                    </li>
                </For>
            </ul>
            <ErrorBanner error=failure/>
            {can_edit.then(|| view! { <OrderForm customer_id=id.get_value() orders=orders/> })}
        </section>
    }
}

/// One line of the form, as typed.
#[derive(Clone, Copy)]
struct LineFields {
    product: RwSignal<String>,
    quantity: RwSignal<String>,
    amount: RwSignal<String>,
}

impl LineFields {
    fn new() -> Self {
        LineFields { product: RwSignal::new(String::new()), quantity: RwSignal::new("1".into()), amount: RwSignal::new(String::new()) }
    }
}

#[component]
fn OrderForm(customer_id: String, orders: RwSignal<Vec<Order>>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let id = StoredValue::new(customer_id);
    let catalogue = load_in_browser(list_products);
    let on = RwSignal::new(today(offset).format("%Y-%m-%d").to_string());
    let order_no = RwSignal::new(String::new());
    let carrier = RwSignal::new(String::new());
    let lines = RwSignal::new(vec![LineFields::new()]);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &OrderInput| {
        let input = input.clone();
        async move {
            match add_order(id.get_value(), input).await {
                Ok(list) => {
                    orders.set(list);
                    order_no.set(String::new());
                    carrier.set(String::new());
                    lines.set(vec![LineFields::new()]);
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OrderInput {
            on: on.get_untracked(),
            order_no: order_no.get_untracked(),
            carrier: carrier.get_untracked(),
            lines: lines
                .get_untracked()
                .iter()
                .map(|l| OrderLineInput { product_id: l.product.get_untracked(), quantity: l.quantity.get_untracked(), amount: l.amount.get_untracked() })
                .collect(),
        };
        save_if_valid(validate_order(&input, today(offset)), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    let error_of = move |field: String| {
        move || errors.get().into_iter().find(|x| x.field == field).map(|x| view! { <span class="field-error">{problem_text(&x.problem, i18n.lang())}</span> })
    };
    let products = move || match catalogue.get() {
        Some(Ok(list)) => list,
        _ => Vec::<Product>::new(),
    };
    view! {
        <form class="order-form" novalidate on:submit=on_submit data-testid="order-form">
            <h3><T m=Msg::AddOrder/></h3>
            <div class="row">
                <TextField label=Msg::OrderDate name="on" value=on errors=e input_type="date" required=true/>
                <TextField label=Msg::OrderNo name="order_no" value=order_no errors=e/>
                <TextField label=Msg::OrderCarrier name="carrier" value=carrier errors=e/>
            </div>
            {move || lines.get().into_iter().enumerate().map(|(i, l)| view! {
                <div class="row order-line" data-testid="order-line">
                    <label class="field">
                        <span class="field-label"><T m=Msg::Product/></span>
                        <select name=format!("lines.{i}.product") on:change=move |ev| {
                            let id = event_target_value(&ev);
                            // A price from the catalogue, as a start the rep may change.
                            if let Some(p) = products().into_iter().find(|p| p.id == id) {
                                if l.amount.get_untracked().is_empty() && p.price_cents > 0 {
                                    let qty = l.quantity.get_untracked().trim().parse::<i64>().unwrap_or(1);
                                    l.amount.set(kehu_domain::money::amount_plain(p.price_cents * qty));
                                }
                            }
                            l.product.set(id);
                        }>
                            <option value="" selected=move || l.product.get().is_empty()>{move || i18n.t(Msg::ChooseProduct)}</option>
                            {move || products().into_iter().map(|p| {
                                let pid = p.id.clone();
                                view! { <option value=p.id.clone() selected=move || l.product.get() == pid>{p.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        {error_of(format!("lines.{i}.product"))}
                    </label>
                    <label class="field narrow">
                        <span class="field-label"><T m=Msg::Quantity/></span>
                        <input type="number" name=format!("lines.{i}.quantity") prop:value=move || l.quantity.get() on:input=move |ev| l.quantity.set(event_target_value(&ev))/>
                        {error_of(format!("lines.{i}.quantity"))}
                    </label>
                    <label class="field">
                        <span class="field-label"><T m=Msg::Amount/></span>
                        <input type="text" inputmode="decimal" name=format!("lines.{i}.amount") prop:value=move || l.amount.get() on:input=move |ev| l.amount.set(event_target_value(&ev))/>
                        {error_of(format!("lines.{i}.amount"))}
                    </label>
                </div>
            }).collect_view()}
            {error_of("lines".to_string())}
            <p class="muted small"><T m=Msg::ReturnHint/></p>
            <div class="actions">
                <button type="button" class="button" on:click=move |_| lines.update(|v| v.push(LineFields::new()))><T m=Msg::AddLine/></button>
                <button type="submit" class="button primary" data-testid="order-save" disabled=move || save.pending().get()><T m=Msg::Save/></button>
            </div>
            <ErrorBanner error=failure/>
        </form>
    }
    .into_any()
}
