//! `/products`: the catalogue (产品目录) by category; admins and managers add and change
//! products (unique names, prices checked by field).

use leptos::prelude::*;

use super::api::{list_products, save_product};
use kehu_domain::insight::orders::validate_product;
use kehu_domain::insight::types::{Product, ProductInput};
use crate::components::fields::{save_if_valid, TextField};
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Msg};
use kehu_domain::money::{amount_plain, money_text};
use crate::session::use_session;

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = Resource::new(|| (), |_| list_products());
    view! {
        <section class="page products-page">
            <header class="page-head"><h1><T m=Msg::NavProducts/></h1></header>
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(list) => view! { <Catalogue initial=list/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Catalogue(initial: Vec<Product>) -> impl IntoView {
    use kehu_domain::accounts::types::Role;
    let may_edit = use_session().user_now().is_some_and(|m| matches!(m.user.role, Role::Admin | Role::Manager));
    let products = RwSignal::new(initial);
    let editing = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &ProductInput| {
        let input = input.clone();
        async move {
            match save_product(editing.get_untracked(), input).await {
                Ok(list) => {
                    products.set(list);
                    editing.set(String::new());
                    name.set(String::new());
                    category.set(String::new());
                    price.set(String::new());
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ProductInput { name: name.get_untracked(), category: category.get_untracked(), price: price.get_untracked() };
        save_if_valid(validate_product(&input), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <section class="card">
            <Show when=move || products.with(|p| p.is_empty())>
                <p class="muted"><T m=Msg::NoProducts/></p>
            </Show>
            <table class="table" data-testid="products">
                <thead><tr><th><T m=Msg::Product/></th><th><T m=Msg::Category/></th><th><T m=Msg::Price/></th><th></th></tr></thead>
                <tbody>
                    <For each=move || products.get() key=|p| (p.id.clone(), p.name.clone(), p.category.clone(), p.price_cents) let:p>
                        <tr>
                            <td>{p.name.clone()}</td>
                            <td>{p.category.clone()}</td>
                            <td class="num">{money_text(p.price_cents, "CNY")}</td>
                            <td>{may_edit.then(|| {
                                let p = p.clone();
                                view! {
                                    <button type="button" class="link" on:click=move |_| {
                                        editing.set(p.id.clone());
                                        name.set(p.name.clone());
                                        category.set(p.category.clone());
                                        price.set(amount_plain(p.price_cents));
                                    }><T m=Msg::Edit/></button>
                                }
                            })}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </section>
        {may_edit.then(|| view! {
            <form class="card" novalidate on:submit=on_submit data-testid="product-form">
                <h2>{move || if editing.get().is_empty() { view! { <T m=Msg::AddProduct/> }.into_any() } else { view! { <T m=Msg::Edit/> }.into_any() }}</h2>
                <div class="row">
                    <TextField label=Msg::Product name="name" value=name errors=e required=true/>
                    <TextField label=Msg::Category name="category" value=category errors=e/>
                    <TextField label=Msg::Price name="price" value=price errors=e/>
                </div>
                <button type="submit" class="button primary" data-testid="product-save" disabled=move || save.pending().get()><T m=Msg::Save/></button>
                <ErrorBanner error=failure/>
            </form>
        })}
    }
    .into_any()
}
