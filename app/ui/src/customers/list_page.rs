//! The customer list: search, filters, sort and pages, all held in the URL so a view can be
//! bookmarked, shared and reloaded.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use super::api::{customer_facets, list_customers, load_demo_data};
use kehu_domain::customers::export::ExportKind;
use kehu_domain::customers::pool::POOL;
use super::tags_view::TagChips;
use kehu_domain::customers::types::*;
use crate::components::{ErrorBanner, T};
use kehu_domain::error::AppError;
use crate::format::{date, url_with_query, use_display_offset};
use crate::i18n::{count_text, page_text, sort_label, stage_label, use_i18n, Msg};

fn query_from(params: &ParamsMap) -> ListQuery {
    ListQuery::from_params(|k| params.get(k))
}

fn url_of(q: &ListQuery) -> String {
    url_with_query("/customers", &q.params())
}

/// Where an export of `kind` with the list's filters downloads from (every page of them).
fn export_url(q: &ListQuery, file: &str) -> String {
    url_with_query(&format!("/api/export/{file}"), &ListQuery { page: 1, ..q.clone() }.params())
}

fn has_filters(q: &ListQuery) -> bool {
    !q.q.is_empty() || q.stage.is_some() || q.tag.is_some() || q.region.is_some() || q.owner.is_some() || q.segment.is_some()
}

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| query_from(&params.read()));
    let page = Resource::new(move || query.get(), list_customers);
    let facets = Resource::new(|| (), |_| customer_facets());
    // Go to the same list with one thing changed, back on page 1. The owner (not the
    // navigate closure, which is not Send) is kept, so this can live in a StoredValue that
    // the server may drop on another thread.
    let owner = Owner::current().expect("a component always has an owner");
    let go = move |change: &dyn Fn(&mut ListQuery), replace: bool| {
        let mut q = query.get_untracked();
        change(&mut q);
        q.page = 1;
        owner.with(|| use_navigate()(&url_of(&q), NavigateOptions { replace, scroll: false, ..Default::default() }));
    };
    let go = StoredValue::new(go);

    // Search as you type, once typing pauses.
    let search_text = RwSignal::new(query.get_untracked().q);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_search_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        search_text.set(text.clone());
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || go.with_value(|go| go(&|q| q.q = text.trim().to_string(), true)),
            std::time::Duration::from_millis(250),
        )
        .ok();
        pending.set_value(handle);
    };

    let select = move |key: &'static str| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let value = Some(value).filter(|v| !v.is_empty());
            go.with_value(|go| {
                go(
                    &|q| match key {
                        "stage" => q.stage = value.as_deref().and_then(LifecycleStage::parse),
                        "tag" => q.tag = value.clone(),
                        "region" => q.region = value.clone(),
                        "owner" => q.owner = value.clone(),
                        "segment" => q.segment = value.clone(),
                        _ => q.sort = value.as_deref().and_then(ListSort::parse).unwrap_or_default(),
                    },
                    false,
                )
            });
        }
    };

    let demo_error = RwSignal::new(None::<AppError>);
    let load_demo = Action::new(move |_: &()| async move {
        match load_demo_data().await {
            Ok(_) => {
                demo_error.set(None);
                page.refetch();
                facets.refetch();
            }
            Err(e) => demo_error.set(Some(e)),
        }
    });

    view! {
        <section class="page list-page">
            <form class="toolbar" role="search" on:submit=move |ev| ev.prevent_default()>
                <input
                    class="search"
                    type="search"
                    name="q"
                    aria-label=move || i18n.t(Msg::Search)
                    placeholder=move || i18n.t(Msg::SearchPlaceholder)
                    prop:value=move || search_text.get()
                    on:input=on_search_input
                />
                <select name="stage" aria-label=move || i18n.t(Msg::ColStage) on:change=select("stage")
                    prop:value=move || query.get().stage.map(|s| s.as_str()).unwrap_or("")>
                    <option value="">{move || i18n.t(Msg::AllStages)}</option>
                    {LifecycleStage::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || query.get().stage == Some(s)>{move || i18n.t(stage_label(s))}</option>
                    }).collect_view()}
                </select>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let f = facets.await.unwrap_or_default();
                        let tag_options = f.tags.into_iter().map(|t| {
                            let key = t.key();
                            let selected = { let key = key.clone(); move || query.get().tag.as_deref() == Some(key.as_str()) };
                            view! { <option value=key selected=selected>{t.label.clone()}</option> }
                        }).collect_view();
                        let region_options = f.regions.into_iter().map(|r| {
                            let selected = { let r = r.clone(); move || query.get().region.as_deref() == Some(r.as_str()) };
                            view! { <option value=r.clone() selected=selected>{r.clone()}</option> }
                        }).collect_view();
                        let owner_options = f.owners.into_iter().map(|(username, name)| {
                            let selected = { let u = username.clone(); move || query.get().owner.as_deref() == Some(u.as_str()) };
                            view! { <option value=username.clone() selected=selected>{name}</option> }
                        }).collect_view();
                        view! {
                            <select name="tag" aria-label=move || i18n.t(Msg::ColTags) on:change=select("tag")>
                                <option value="">{move || i18n.t(Msg::AllTags)}</option>
                                {tag_options}
                            </select>
                            <select name="region" aria-label=move || i18n.t(Msg::ColRegion) on:change=select("region")>
                                <option value="">{move || i18n.t(Msg::AllRegions)}</option>
                                {region_options}
                            </select>
                            <select name="owner" aria-label=move || i18n.t(Msg::ColOwner) on:change=select("owner")>
                                <option value="">{move || i18n.t(Msg::AllOwners)}</option>
                                <option value=POOL selected=move || query.get().owner.as_deref() == Some(POOL)>{move || i18n.t(Msg::Pool)}</option>
                                {owner_options}
                            </select>
                        }
                    })}
                </Transition>
                <select name="segment" aria-label=move || i18n.t(Msg::Segment) on:change=select("segment") data-testid="segment-filter">
                    <option value="">{move || i18n.t(Msg::AllSegments)}</option>
                    {kehu_domain::insight::types::Segment::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || query.get().segment.as_deref() == Some(s.as_str())>{move || i18n.t(crate::i18n::segment_label(s))}</option>
                    }).collect_view()}
                </select>
                <select name="sort" aria-label=move || i18n.t(Msg::SortBy) on:change=select("sort")>
                    {ListSort::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || query.get().sort == s>{move || i18n.t(sort_label(s))}</option>
                    }).collect_view()}
                </select>
                <Show when=move || has_filters(&query.get())>
                    <a class="button quiet" href="/customers" on:click=move |_| search_text.set(String::new())>
                        <T m=Msg::ClearFilters/>
                    </a>
                </Show>
                <a class="button quiet" href="/customers/import" data-testid="import-customers"><T m=Msg::ImportCustomers/></a>
                <details class="menu export-menu" data-testid="export-menu">
                    <summary class="button quiet"><T m=Msg::ExportMenu/></summary>
                    <div class="menu-body">
                        <p class="muted"><T m=Msg::ExportHint/></p>
                        {[(ExportKind::Customers, Msg::ExportCustomers), (ExportKind::Contacts, Msg::ExportContacts), (ExportKind::Deals, Msg::ExportDeals), (ExportKind::Orders, Msg::ExportOrders)]
                            .into_iter()
                            .map(|(kind, msg)| view! {
                                <p>
                                    <T m=msg/>" "
                                    <a href=move || export_url(&query.get(), &format!("{}.xlsx", kind.as_str())) download data-testid=format!("export-{}-xlsx", kind.as_str()) rel="external">"Excel"</a>
                                    " · "
                                    <a href=move || export_url(&query.get(), &format!("{}.csv", kind.as_str())) download data-testid=format!("export-{}-csv", kind.as_str()) rel="external">"CSV"</a>
                                    {(kind == ExportKind::Contacts).then(|| view! {
                                        " · "<a href=move || export_url(&query.get(), "contacts.vcf") download data-testid="export-contacts-vcf" rel="external">"vCard"</a>
                                    })}
                                </p>
                            })
                            .collect_view()}
                    </div>
                </details>
            </form>
            <ErrorBanner error=demo_error/>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <CustomerTable page=p query=query.get_untracked() load_demo=load_demo/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CustomerTable(page: CustomerPage, query: ListQuery, load_demo: Action<(), ()>) -> impl IntoView {
    let i18n = use_i18n();
    let is_admin = crate::session::use_session().user_now().is_some_and(|m| m.is_admin);
    let offset = use_display_offset();
    if page.total == 0 {
        return if has_filters(&query) {
            view! { <p class="empty" data-testid="no-matches"><T m=Msg::NoMatches/></p> }.into_any()
        } else {
            view! {
                <div class="empty">
                    <p><T m=Msg::NoCustomersYet/></p>
                    <p class="actions">
                        <a class="button primary" href="/customers/new"><T m=Msg::NewCustomer/></a>
                        <a class="button" href="/customers/import"><T m=Msg::ImportCustomers/></a>
                        {is_admin.then(|| view! {
                            <button type="button" class="button" data-testid="load-demo"
                                disabled=move || load_demo.pending().get()
                                on:click=move |_| { load_demo.dispatch(()); }>
                                {move || if load_demo.pending().get() { i18n.t(Msg::Loading) } else { i18n.t(Msg::LoadDemo) }}
                            </button>
                        })}
                    </p>
                </div>
            }
            .into_any()
        };
    }
    let pages = page.page_count();
    let current = page.page;
    let link = move |p: u32| url_of(&ListQuery { page: p, ..query.clone() });
    let prev = (current > 1).then(|| link(current - 1));
    let next = (current < pages).then(|| link(current + 1));
    let total = page.total;
    let rows = page
        .rows
        .into_iter()
        .map(|row| {
            let href = format!("/customers/{}", row.id);
            let stage = row.stage;
            let last = row.last_contact_at.map(|t| date(t, offset));
            view! {
                <tr>
                    <td class="name-cell">
                        <a href=href>{row.name}</a>
                        <span class="muted small">{row.phone}</span>
                    </td>
                    <td><span class=format!("stage stage-{}", stage.as_str())>{move || i18n.t(stage_label(stage))}</span></td>
                    <td class="hide-narrow">{row.industry}</td>
                    <td class="hide-narrow">{row.region}</td>
                    <td class="hide-narrow">{row.source}</td>
                    <td>{if row.owner.is_empty() { view! { <span class="muted"><T m=Msg::Unowned/></span> }.into_any() } else { row.owner_name.into_any() }}</td>
                    <td class="hide-narrow"><TagChips tags=row.tags/></td>
                    <td class="nowrap">{match last { Some(d) => d.into_any(), None => view! { <span class="muted"><T m=Msg::Never/></span> }.into_any() }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="result-count" data-testid="result-count">{move || count_text(total, i18n.lang())}</p>
        <div class="table-wrap">
            <table class="customers">
                <thead>
                    <tr>
                        <th><T m=Msg::ColName/></th>
                        <th><T m=Msg::ColStage/></th>
                        <th class="hide-narrow"><T m=Msg::ColIndustry/></th>
                        <th class="hide-narrow"><T m=Msg::ColRegion/></th>
                        <th class="hide-narrow"><T m=Msg::ColSource/></th>
                        <th><T m=Msg::ColOwner/></th>
                        <th class="hide-narrow"><T m=Msg::ColTags/></th>
                        <th><T m=Msg::ColLastContact/></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager">
            {prev.map(|href| view! { <a class="button" href=href rel="prev"><T m=Msg::PrevPage/></a> })}
            <span class="muted">{move || page_text(current, pages, i18n.lang())}</span>
            {next.map(|href| view! { <a class="button" href=href rel="next"><T m=Msg::NextPage/></a> })}
        </nav>
    }
    .into_any()
}
