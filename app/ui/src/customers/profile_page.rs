//! The customer 360 profile: everything about one customer on one screen.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::get_profile;
use super::contacts_view::Contacts;
use super::ownership_view::Ownership;
use super::tags_view::TagEditor;
use super::timeline_view::Timeline;
use kehu_domain::customers::maps::MapApp;
use kehu_domain::customers::types::{Customer, CustomerProfile};
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::audit::page::CustomerHistory;
use crate::insight::insight_view::CustomerInsightPanel;
use crate::insight::orders_view::CustomerOrders;
use crate::pipeline::deals_view::CustomerDeals;
use crate::reminders::care_dates_view::CareDates;
use crate::reminders::dnd_view::DndWindows;
use crate::i18n::{kind_label, stage_label, use_i18n, Msg};
use crate::session::use_session;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let profile = Resource::new(move || id.get(), get_profile);
    view! {
        <section class="page profile-page">
            <a class="back" href="/customers">"← "<T m=Msg::BackToList/></a>
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <Profile profile=p reload=Callback::new(move |()| profile.refetch())/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Profile(profile: CustomerProfile, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let me = session.user_now();
    let can_audit = me.as_ref().is_some_and(|m| m.can_audit);
    let is_admin = me.as_ref().is_some_and(|m| m.is_admin);
    let CustomerProfile { customer, contacts, timeline, orders } = profile;
    let orders = RwSignal::new(orders);
    // The insight panel reloads when the orders change (they are scored again).
    let order_changes = Memo::new(move |_| orders.with(|o| o.iter().map(|x| x.total_cents).sum::<i64>() ^ o.len() as i64));
    let changes = RwSignal::new(0usize);
    // Bumped by every ticket change: solving one may send a survey.
    let ticket_changes = RwSignal::new(0usize);
    // The customer's tickets as the ticket panel has them, for the timeline too.
    let ticket_list = RwSignal::new(Vec::new());
    Effect::new(move |prev: Option<i64>| {
        let now = order_changes.get();
        if prev.is_some_and(|p| p != now) {
            changes.update(|n| *n += 1);
        }
        now
    });
    // Mirrors the server's rule (which alone decides): a rep edits only their own customers.
    let can_edit = me.as_ref().is_some_and(|m| {
        use kehu_domain::accounts::types::Role;
        match m.user.role {
            Role::Admin | Role::Manager => true,
            Role::Rep => m.user.username == customer.owner,
            Role::Service => false,
        }
    });
    // Service agents see no deal amounts (the server refuses them; the panel is not shown).
    let sees_money = me.as_ref().is_some_and(|m| m.user.role != kehu_domain::accounts::types::Role::Service);
    let id = customer.id.clone();
    view! {
        <header class="profile-head">
            <div>
                <h1 data-testid="customer-name">{customer.name.clone()}</h1>
                <p class="profile-meta">
                    <StageBadge customer=customer.clone()/>
                    <span class="muted">{customer.owner_name.clone()}</span>
                </p>
            </div>
            <div class="head-actions">
                {(!customer.phone.trim().is_empty()).then(|| view! {
                    <a class="button" href=format!("tel:{}", customer.phone.trim()) data-testid="call-customer"><T m=Msg::TodayCall/></a>
                })}
                // On a phone the timeline is far down the page: one tap to its form.
                <a class="button primary" href="#follow-up" data-testid="jump-follow-up"><T m=Msg::LogFollowUp/></a>
                <a class="button" href=format!("/customers/{id}/edit") data-testid="edit-customer"><T m=Msg::Edit/></a>
            </div>
        </header>
        <TagEditor customer_id=id.clone() tags=customer.tags.clone()/>
        <div class="profile-grid">
            <div class="profile-side">
                <Ownership customer=customer.clone() on_change=reload/>
                <DndWindows customer_id=id.clone() can_edit=can_edit/>
                <CareDates customer_id=id.clone() can_edit=can_edit/>
                <Details customer=customer.clone()/>
                {is_admin.then(|| view! { <super::personal_data_view::PersonalData customer=customer.clone() contacts=contacts.clone() reload=reload/> })}
                <Contacts customer_id=id.clone() contacts=contacts/>
                {sees_money.then(|| view! { <CustomerDeals customer_id=id.clone() can_edit=can_edit/> })}
            </div>
            <div class="profile-main">
                <CustomerInsightPanel customer_id=id.clone() refresh=changes/>
                <crate::aftersales::tickets_view::CustomerTickets customer_id=id.clone() changed=ticket_changes shared=ticket_list/>
                <crate::aftersales::surveys_view::CustomerSurveys customer_id=id.clone() refresh=ticket_changes/>
                <crate::aftersales::care_plan_view::CustomerCarePlans customer_id=id.clone() refresh=ticket_changes/>
                <CustomerOrders customer_id=id.clone() orders=orders can_edit=can_edit/>
                <Timeline customer_id=id.clone() customer_name=customer.name.clone() entries=timeline orders=orders tickets=ticket_list/>
                {can_audit.then(|| view! { <CustomerHistory customer_id=id.clone()/> })}
            </div>
        </div>
       }
    .into_any()
}

#[component]
fn StageBadge(customer: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let stage = customer.stage;
    let kind = customer.kind;
    view! {
        <span class=format!("stage stage-{}", stage.as_str())>{move || i18n.t(stage_label(stage))}</span>
        <span class="kind">{move || i18n.t(kind_label(kind))}</span>
    }
}

/// The address, one tap from the phone's map app: the address itself opens 高德 (its page
/// hands over to the app when installed), and each map app has its own small link.
#[component]
fn AddressRow(address: String) -> impl IntoView {
    let urls: Vec<(MapApp, String)> = MapApp::ALL.into_iter().filter_map(|app| app.search_url(&address).map(|url| (app, url))).collect();
    // 高德 first in ALL: the address itself opens it.
    let primary = urls.first()?.1.clone();
    let links = urls
        .into_iter()
        .map(|(app, url)| {
            let (label, key) = match app {
                MapApp::Amap => (Msg::MapAmap, "amap"),
                MapApp::Apple => (Msg::MapApple, "apple"),
            };
            view! { <a href=url target="_blank" rel="noopener" data-map=key><T m=label/></a> }
        })
        .collect_view();
    Some(view! {
        <dt><T m=Msg::FieldAddress/></dt>
        <dd data-testid="address">
            <a href=primary target="_blank" rel="noopener">{address.clone()}</a>
            <span class="map-links small">{links}</span>
        </dd>
    })
}

#[component]
fn Details(customer: Customer) -> impl IntoView {
    let offset = use_display_offset();
    let row = |label: Msg, value: String| {
        (!value.is_empty()).then(|| view! { <dt><T m=label/></dt><dd>{value}</dd> })
    };
    let phone = customer.phone.clone();
    let email = customer.email.clone();
    let credit_code = customer.credit_code.clone();
    view! {
        <section class="card details" data-testid="details">
            <h2><T m=Msg::Details/></h2>
            <dl>
                {row(Msg::FieldIndustry, customer.industry.clone())}
                {row(Msg::FieldRegion, customer.region.clone())}
                {row(Msg::FieldSource, customer.source.clone())}
                {(!phone.is_empty()).then(|| view! { <dt><T m=Msg::FieldPhone/></dt><dd><a href=format!("tel:{phone}")>{phone.clone()}</a></dd> })}
                {(!email.is_empty()).then(|| view! { <dt><T m=Msg::FieldEmail/></dt><dd><a href=format!("mailto:{email}")>{email.clone()}</a></dd> })}
                {(!credit_code.is_empty()).then(|| view! { <dt><T m=Msg::FieldCreditCode/></dt><dd>{credit_code.clone()}</dd> })}
                <AddressRow address=customer.address.clone()/>
                {row(Msg::ColLastContact, customer.last_contact_at.map(|t| datetime(t, offset)).unwrap_or_default())}
                {row(Msg::CreatedAt, datetime(customer.created_at, offset))}
                {row(Msg::CustomerId, customer.id.clone())}
                {row(Msg::UpdatedAt, datetime(customer.updated_at, offset))}
            </dl>
            {(!customer.notes.is_empty()).then(|| view! {
                <h3><T m=Msg::FieldNotes/></h3>
                <p class="notes">{customer.notes.clone()}</p>
            })}
        </section>
    }
}
