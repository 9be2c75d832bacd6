//! A customer's deals on their profile, with a way to start a new one.

use leptos::prelude::*;

use super::api::customer_deals;
use kehu_domain::pipeline::types::Deal;
use kehu_domain::money::money_text;
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::day;
use crate::i18n::{deal_status_label, use_i18n, Msg};

#[component]
pub fn CustomerDeals(customer_id: String, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = customer_id.clone();
    let deals = load_in_browser(move || customer_deals(id.clone()));
    view! {
        <section class="card deals" data-testid="customer-deals">
            <h2><T m=Msg::OwnDeals/></h2>
            {move || match deals.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted"><T m=Msg::NoDeals/></p> }.into_any(),
                Some(Ok(list)) => view! { <ul class="plain">{list.into_iter().map(deal_line).collect_view()}</ul> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
            }}
            {can_edit.then(|| view! {
                <a class="button" href=format!("/deals/new?customer={customer_id}") data-testid="new-deal"><T m=Msg::NewDeal/></a>
            })}
        </section>
    }
}

fn deal_line(deal: Deal) -> impl IntoView {
    let status = deal_status_label(deal.status);
    view! {
        <li>
            <a href=format!("/deals/{}", deal.id)>{deal.title.clone()}</a>
            " · "{money_text(deal.amount_cents, &deal.currency)}" · "{day(deal.expected_close)}" · "
            <span class=format!("status status-{}", deal.status.as_str())><T m=status/></span>
        </li>
    }
}
