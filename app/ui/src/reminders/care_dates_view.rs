//! Care dates (关怀日) on the customer profile: the days the customer cares about every year,
//! added with field-level messages and removed in place. Loaded in the browser, like the other
//! panels that fetch on their own inside the server-rendered profile.

use leptos::prelude::*;

use super::api::{add_care_date, customer_care_dates, remove_care_date};
use kehu_domain::reminders::care_dates::{validate_care_date, CareDateInput};
use kehu_domain::reminders::types::CareDate;
use crate::components::fields::{save_if_valid, TextField};
use crate::components::{load_in_browser, ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn CareDates(customer_id: String, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(customer_id);
    let loaded = load_in_browser(move || customer_care_dates(id.get_value()));
    // What the server last said: the first load, then each add or remove.
    let dates = RwSignal::new(None::<Vec<CareDate>>);
    Effect::new(move |_| {
        if let Some(Ok(list)) = loaded.get() {
            dates.set(Some(list));
        }
    });
    let label = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &CareDateInput| {
        let input = input.clone();
        async move {
            match add_care_date(id.get_value(), input).await {
                Ok(list) => {
                    dates.set(Some(list));
                    label.set(String::new());
                    date.set(String::new());
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let remove = Action::new(move |which: &String| {
        let which = which.clone();
        async move {
            match remove_care_date(id.get_value(), which).await {
                Ok(list) => dates.set(Some(list)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = CareDateInput { label: label.get_untracked(), date: date.get_untracked() };
        save_if_valid(validate_care_date(&input), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <section class="card care-dates" data-testid="care-dates">
            <h2><T m=Msg::CareTitle/></h2>
            {move || match dates.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="muted"><T m=Msg::CareNone/></p> }.into_any(),
                Some(list) => view! {
                    <ul class="plain">
                        {list.into_iter().map(|d| {
                            let which = d.id.clone();
                            view! {
                                <li data-testid="care-date">
                                    {format!("{:02}-{:02}", d.month, d.day)}" · "{d.label.clone()}
                                    {can_edit.then(|| view! {
                                        " "<button type="button" class="button small quiet" on:click=move |_| { remove.dispatch(which.clone()); }>
                                            <T m=Msg::RemoveLine/>
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {can_edit.then(|| view! {
                <form class="care-form" novalidate on:submit=on_submit data-testid="care-form">
                    <p class="muted small"><T m=Msg::CareHint/></p>
                    <div class="row">
                        <TextField label=Msg::CareLabel name="label" value=label errors=e required=true/>
                        <TextField label=Msg::CareDate name="date" value=date errors=e required=true/>
                    </div>
                    <button type="submit" class="button" disabled=move || save.pending().get()><T m=Msg::CareAdd/></button>
                    <ErrorBanner error=failure/>
                </form>
            })}
        </section>
    }
    .into_any()
}
