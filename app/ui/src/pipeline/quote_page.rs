//! A quote as a page to print or save as PDF from the browser.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::get_quote;
use kehu_domain::pipeline::rules::line_total;
use kehu_domain::pipeline::types::{Deal, Quote};
use kehu_domain::money::money_text;
use crate::components::{ErrorBanner, T};
use crate::format::{date, day, use_display_offset};
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn QuotePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let quote = Resource::new(move || id.get(), get_quote);
    view! {
        <section class="page quote-page">
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match quote.await {
                        Ok((q, d)) => view! { <QuoteSheet quote=q deal=d/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn QuoteSheet(quote: Quote, deal: Deal) -> impl IntoView {
    let offset = use_display_offset();
    let currency = quote.currency.clone();
    view! {
        <p class="no-print">
            <a class="back" href=format!("/deals/{}", deal.id)>"← "{deal.title.clone()}</a>
            " "<button type="button" class="button" on:click=|_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            }><T m=Msg::Print/></button>
        </p>
        <article class="quote-sheet" data-testid="quote-sheet">
            <h1><T m=Msg::QuoteTitle/>" "{quote.number.clone()}</h1>
            <p><T m=Msg::Customer/>": "{deal.customer_name.clone()}</p>
            <p>{date(quote.created_at, offset)}" · "<T m=Msg::FieldValidUntil/>" "{day(quote.valid_until)}</p>
            <table class="lines">
                <thead><tr>
                    <th><T m=Msg::FieldProduct/></th><th><T m=Msg::FieldQuantity/></th><th><T m=Msg::FieldUnitPrice/></th>
                    <th><T m=Msg::FieldDiscount/></th><th><T m=Msg::Total/></th>
                </tr></thead>
                <tbody>
                    {quote.lines.iter().map(|l| view! {
                        <tr>
                            <td>{l.product.clone()}</td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{money_text(l.unit_price_cents, &currency)}</td>
                            <td class="num">{format!("{}%", l.discount_percent())}</td>
                            <td class="num">{money_text(line_total(l), &currency)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th colspan="4"><T m=Msg::Total/></th>
                    <th class="num" data-testid="quote-total">{money_text(quote.total_cents, &quote.currency)}</th>
                </tr></tfoot>
            </table>
        </article>
    }
    .into_any()
}
