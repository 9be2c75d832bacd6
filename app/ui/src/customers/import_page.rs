//! `/customers/import`: customers from a CSV or XLSX file. Choose the file (its headings come
//! back with a mapping proposed), correct the mapping and the options, check (the dry run:
//! what would be created, updated, skipped and refused, and an error sheet to download),
//! then import as a job with a progress bar. Past imports are listed with an undo button.
//! The browser keeps the file and sends it again with each step.

use leptos::prelude::*;

use super::api::{recent_imports, undo_import};
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, url_with_query, use_display_offset};
use crate::i18n::{import_field_label, import_problems_text, use_i18n, Lang, Msg};
use kehu_domain::customers::import::*;
use kehu_domain::error::AppError;
use kehu_domain::insight::orders::ImportProgress;

const MODES: [(ImportMode, Msg); 4] = [
    (ImportMode::CreateOnly, Msg::ModeCreateOnly),
    (ImportMode::CreateAndFill, Msg::ModeCreateAndFill),
    (ImportMode::CreateAndOverwrite, Msg::ModeCreateAndOverwrite),
    (ImportMode::UpdateOnly, Msg::ModeUpdateOnly),
];

const KEYS: [(DedupeKey, Msg); 4] =
    [(DedupeKey::Mobile, Msg::KeyMobile), (DedupeKey::Email, Msg::KeyEmail), (DedupeKey::CreditCode, Msg::KeyCreditCode), (DedupeKey::Name, Msg::KeyName)];

/// Everything chosen on the page, as the server takes it.
#[derive(Clone, Copy)]
struct Choices {
    sheet: RwSignal<String>,
    mapping: RwSignal<Vec<Option<ImportField>>>,
    mode: RwSignal<ImportMode>,
    keys: RwSignal<Vec<DedupeKey>>,
    default_owner: RwSignal<String>,
    default_tags: RwSignal<String>,
}

impl Choices {
    fn settings(&self) -> ImportSettings {
        ImportSettings {
            sheet: self.sheet.get_untracked(),
            mapping: self.mapping.get_untracked(),
            mode: self.mode.get_untracked(),
            keys: self.keys.get_untracked(),
            default_owner: self.default_owner.get_untracked(),
            default_tags: self.default_tags.get_untracked(),
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn url(&self, path: &str, file: &str) -> String {
        let settings = serde_json::to_string(&self.settings()).unwrap_or_default();
        url_with_query(path, &[("settings", settings), ("file", file.to_string())])
    }
}

#[component]
pub fn CustomerImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let choices = Choices {
        sheet: RwSignal::new(String::new()),
        mapping: RwSignal::new(Vec::new()),
        mode: RwSignal::new(ImportMode::CreateOnly),
        keys: RwSignal::new(vec![DedupeKey::Mobile, DedupeKey::Email, DedupeKey::CreditCode, DedupeKey::Name]),
        default_owner: RwSignal::new(String::new()),
        default_tags: RwSignal::new(String::new()),
    };
    let preview = RwSignal::new(None::<ImportPreview>);
    let dry = RwSignal::new(None::<DryRun>);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(None::<ImportProgress>);
    let failure = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<ImportSummary>);
    let recent = Resource::new(|| (), |_| recent_imports());
    // Any change of the choices makes the last check stale: it is asked again before importing.
    let changed = move || dry.set(None);

    // The file as chosen, with the name it had.
    #[cfg(feature = "hydrate")]
    let chosen = move || file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));

    let read_headings = move || {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = chosen() else { return };
            busy.set(true);
            failure.set(None);
            dry.set(None);
            done.set(None);
            let url = url_with_query("/api/import/customers/preview", &[("sheet", choices.sheet.get_untracked())]);
            let lang = i18n.lang();
            leptos::task::spawn_local(async move {
                match crate::components::upload::post_file::<ImportPreview>(&url, &file, lang).await {
                    Ok(p) => {
                        choices.sheet.set(p.sheet.clone());
                        choices.mapping.set(p.mapping.clone());
                        preview.set(Some(p));
                    }
                    Err(e) => {
                        preview.set(None);
                        failure.set(Some(e));
                    }
                }
                busy.set(false);
            });
        }
    };
    let on_file = move |_| {
        choices.sheet.set(String::new());
        read_headings();
    };

    let check = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = chosen() else {
                failure.set(Some(i18n.t(Msg::ChooseSpreadsheet).to_string()));
                return;
            };
            busy.set(true);
            failure.set(None);
            let url = choices.url("/api/import/customers/check", "");
            let lang = i18n.lang();
            leptos::task::spawn_local(async move {
                match crate::components::upload::post_file::<DryRun>(&url, &file, lang).await {
                    Ok(d) => dry.set(Some(d)),
                    Err(e) => failure.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };

    let download_errors = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = chosen() else { return };
            let url = choices.url("/api/import/customers/errors", "");
            let lang = i18n.lang();
            leptos::task::spawn_local(async move {
                if let Err(e) = crate::components::upload::download(&url, &file, "kehu-import-errors.csv", lang).await {
                    failure.set(Some(e));
                }
            });
        }
    };

    let start = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = chosen() else { return };
            busy.set(true);
            failure.set(None);
            progress.set(Some(ImportProgress::default()));
            let url = choices.url("/api/import/customers", &file.name());
            let lang = i18n.lang();
            let lost = i18n.t(Msg::ImportCustomersLost);
            leptos::task::spawn_local(async move {
                use kehu_domain::insight::orders::ImportStatus;
                let ended = crate::components::upload::run_job(&url, "/api/import/customers", &file, |p| progress.set(Some(p)), lost, lang).await;
                match ended {
                    Ok(ImportStatus::CustomersDone(summary)) => {
                        done.set(Some(summary));
                        dry.set(None);
                        preview.set(None);
                        if let Some(input) = file_input.get_untracked() {
                            input.set_value("");
                        }
                    }
                    Ok(_) => failure.set(Some(crate::i18n::error_text(&AppError::NotFound, lang))),
                    Err(e) => failure.set(Some(e)),
                }
                progress.set(None);
                busy.set(false);
                recent.refetch();
            });
        }
    };

    view! {
        <section class="page import-page customer-import">
            <header class="page-head"><h1><T m=Msg::ImportCustomers/></h1></header>
            <div class="card">
                <p class="muted"><T m=Msg::ImportCustomersHint/></p>
                <input type="file" accept=".csv,.xlsx,.vcf,text/csv,text/vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=file_input name="file" data-testid="customer-import-file" on:change=on_file/>
                {move || failure.get().map(|f| view! { <p class="banner error" role="alert" data-testid="customer-import-error">{f}</p> })}
                {move || done.get().map(|s| view! {
                    <p class="banner success" role="status" data-testid="customer-import-done">
                        <T m=Msg::ImportFinished/>" "<T m=Msg::WillCreate/>" "<strong>{s.counts.create}</strong>
                        " · "<T m=Msg::WillUpdate/>" "<strong>{s.counts.update}</strong>
                        " · "<T m=Msg::WillRefuse/>" "{s.counts.refuse}" "
                        <a href="/customers?sort=created"><T m=Msg::NavCustomers/></a>
                    </p>
                })}
            </div>
            {move || preview.get().map(|p| view! {
                <MappingCard preview=p choices=choices changed=changed read_headings=read_headings/>
                <section class="card">
                    <button type="button" class="button" data-testid="customer-import-check" disabled=move || busy.get() on:click=check>
                        {move || if busy.get() && progress.get().is_none() { i18n.t(Msg::Checking) } else { i18n.t(Msg::CheckImport) }}
                    </button>
                    {move || dry.get().map(|d| view! { <DryRunView dry=d choices=choices preview=preview download_errors=download_errors/> })}
                    {move || dry.get().map(|_| view! {
                        <button type="button" class="button primary" data-testid="customer-import-start" disabled=move || busy.get() on:click=start>
                            {move || if progress.get().is_some() { i18n.t(Msg::Importing) } else { i18n.t(Msg::ImportCustomersNow) }}
                        </button>
                    })}
                    {move || progress.get().map(|p| {
                        let pct = p.percent_written().unwrap_or(0);
                        view! {
                            <div class="import-progress" role="status" data-testid="customer-import-progress">
                                <progress max="100" value=pct.to_string()></progress>
                                " "<span><T m=Msg::ImportRowsStored/>" "{p.orders_written}" / "{p.orders}</span>
                            </div>
                        }
                    })}
                </section>
            })}
            <RecentImports recent=recent/>
        </section>
    }
}

#[component]
fn MappingCard(preview: ImportPreview, choices: Choices, changed: impl Fn() + Copy + Send + Sync + 'static, read_headings: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let sheets = preview.sheets.clone();
    let sample = preview.sample.clone();
    let rows = preview.headings.iter().enumerate().map(|(i, heading)| {
        let example: Vec<String> = sample.iter().filter_map(|r| r.get(i)).filter(|c| !c.is_empty()).take(2).cloned().collect();
        let on_change = move |ev: leptos::ev::Event| {
            let field = ImportField::parse(&event_target_value(&ev));
            choices.mapping.update(|m| {
                if m.len() <= i {
                    m.resize(i + 1, None);
                }
                // A field goes to one column: choosing it here takes it from another.
                if field.is_some() {
                    for other in m.iter_mut().filter(|o| **o == field) {
                        *other = None;
                    }
                }
                m[i] = field;
            });
            changed();
        };
        view! {
            <tr>
                <td>{heading.clone()}</td>
                <td>
                    <select data-testid=format!("map-{i}") on:change=on_change
                        prop:value=move || choices.mapping.get().get(i).copied().flatten().map(|f| f.as_str()).unwrap_or("")>
                        <option value="">{move || i18n.t(Msg::ImportLeaveOut)}</option>
                        {ImportField::ALL.into_iter().map(|f| view! {
                            <option value=f.as_str() selected=move || choices.mapping.get().get(i).copied().flatten() == Some(f)>
                                {move || import_field_label(f, i18n.lang())}
                            </option>
                        }).collect_view()}
                    </select>
                </td>
                <td class="muted">{example.join(" / ")}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <section class="card import-mapping" data-testid="customer-import-mapping">
            <p class="muted">
                <T m=Msg::ImportRows/>" "<strong data-testid="customer-import-rows">{preview.rows}</strong>
                {(!preview.encoding.is_empty()).then(|| view! { " · "<T m=Msg::ImportEncoding/>" "{preview.encoding.clone()} })}
            </p>
            {(sheets.len() > 1).then(|| view! {
                <label class="field"><span><T m=Msg::ImportSheet/></span>
                    <select data-testid="customer-import-sheet" on:change=move |ev| { choices.sheet.set(event_target_value(&ev)); read_headings(); }>
                        {sheets.iter().map(|s| { let s = s.clone(); let chosen = s == preview.sheet; view! { <option value=s.clone() selected=chosen>{s.clone()}</option> } }).collect_view()}
                    </select>
                </label>
            })}
            {preview.remembered.then(|| view! { <p class="banner" data-testid="mapping-remembered"><T m=Msg::ImportRemembered/></p> })}
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th><T m=Msg::ImportColumn/></th><th><T m=Msg::ImportAs/></th><th><T m=Msg::ImportExample/></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <fieldset class="field">
                <legend><T m=Msg::ImportExisting/></legend>
                {MODES.into_iter().map(|(mode, msg)| view! {
                    <label class="choice">
                        <input type="radio" name="mode" data-testid=format!("mode-{mode:?}") prop:checked=move || choices.mode.get() == mode
                            on:change=move |_| { choices.mode.set(mode); changed(); }/>
                        " "<T m=msg/>
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="field">
                <legend><T m=Msg::DedupeBy/></legend>
                {KEYS.into_iter().map(|(key, msg)| view! {
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || choices.keys.get().contains(&key)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                choices.keys.update(|k| { k.retain(|x| *x != key); if on { k.push(key); } });
                                changed();
                            }/>
                        " "<T m=msg/>
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="field"><span><T m=Msg::DefaultOwner/></span>
                <input type="text" prop:value=move || choices.default_owner.get() on:change=move |ev| { choices.default_owner.set(event_target_value(&ev)); changed(); }/>
            </label>
            <label class="field"><span><T m=Msg::DefaultTags/></span>
                <input type="text" data-testid="customer-import-tags" prop:value=move || choices.default_tags.get() on:change=move |ev| { choices.default_tags.set(event_target_value(&ev)); changed(); }/>
            </label>
        </section>
    }
}

#[component]
fn DryRunView(dry: DryRun, choices: Choices, preview: RwSignal<Option<ImportPreview>>, download_errors: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let headings = preview.get_untracked().map(|p| p.headings).unwrap_or_default();
    let mapping = choices.mapping.get_untracked();
    let c = dry.counts;
    let counts = [
        (Msg::WillCreate, c.create, "create"),
        (Msg::WillUpdate, c.update, "update"),
        (Msg::WillSkipDuplicate, c.skip_duplicate, "skip-duplicate"),
        (Msg::WillSkipNotFound, c.skip_not_found, "skip-not-found"),
        (Msg::RepeatedInFile, c.duplicate_in_file, "repeated"),
        (Msg::WillRefuse, c.refuse, "refuse"),
    ];
    let repeats = move |line: u64| match lang {
        Lang::Zh => format!("与第 {line} 行重复"),
        Lang::En => format!("repeats line {line}"),
    };
    view! {
        <div data-testid="customer-import-dry-run">
            <h2><T m=Msg::CheckResult/></h2>
            <dl class="counts">
                {counts.into_iter().filter(|(_, n, key)| *n > 0 || matches!(*key, "create" | "refuse")).map(|(msg, n, key)| view! {
                    <div><dt><T m=msg/></dt><dd data-testid=format!("dry-{key}")>{n}</dd></div>
                }).collect_view()}
            </dl>
            {(!dry.refused.is_empty() || !dry.repeated.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table" data-testid="dry-problems">
                        <thead><tr><th><T m=Msg::Line/></th><th><T m=Msg::Problem/></th></tr></thead>
                        <tbody>
                            {dry.refused.iter().map(|(line, problems)| view! {
                                <tr><td class="num">{*line}</td><td>{import_problems_text(problems, &headings, &mapping, lang)}</td></tr>
                            }).collect_view()}
                            {dry.repeated.iter().map(|(line, first)| view! {
                                <tr><td class="num">{*line}</td><td class="muted">{repeats(*first)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(c.refuse > 0).then(|| view! {
                <p><button type="button" class="button link" data-testid="customer-import-errors" on:click=download_errors><T m=Msg::DownloadErrors/></button></p>
            })}
        </div>
    }
}

#[component]
fn RecentImports(recent: Resource<Result<Vec<ImportSummary>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let error = RwSignal::new(None::<AppError>);
    let report = RwSignal::new(None::<UndoReport>);
    let undo = Action::new(move |id: &String| {
        let id = id.clone();
        async move {
            match undo_import(id).await {
                Ok(r) => {
                    error.set(None);
                    report.set(Some(r));
                }
                Err(e) => error.set(Some(e)),
            }
            recent.refetch();
        }
    });
    let confirm_undo = move |id: String| {
        #[cfg(feature = "hydrate")]
        {
            let asked = web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::UndoImportConfirm)).ok()).unwrap_or(false);
            if asked {
                undo.dispatch(id);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, undo, i18n);
    };
    view! {
        <section class="card" data-testid="recent-imports">
            <h2><T m=Msg::RecentImports/></h2>
            <ErrorBanner error=error/>
            {move || report.get().map(|r| view! {
                <div class="banner success" role="status" data-testid="undo-report">
                    <T m=Msg::ImportUndone/>": −"{r.removed}" · ↺"{r.restored}
                    {(!r.left_alone.is_empty()).then(|| view! {
                        <p><T m=Msg::LeftAlone/></p>
                        <ul>{r.left_alone.iter().map(|(id, name)| view! { <li><a href=format!("/customers/{id}")>{name.clone()}</a></li> }).collect_view()}</ul>
                    })}
                </div>
            })}
            <Transition fallback=|| ()>
                {move || recent.get().map(|r| match r {
                    Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th><T m=Msg::ImportWhen/></th><th><T m=Msg::ImportFileCol/></th><th><T m=Msg::ImportBy/></th><th><T m=Msg::ImportResultCol/></th><th></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| {
                                        let id = s.id.clone();
                                        let c = s.counts;
                                        view! {
                                            <tr data-testid="recent-import">
                                                <td>{datetime(s.at, offset)}</td>
                                                <td>{s.file.clone()}</td>
                                                <td>{s.by.clone()}</td>
                                                <td>"+"{c.create}" · ✎"{c.update}" · ⊘"{c.refuse}</td>
                                                <td>{match s.undone_at {
                                                    Some(_) => view! { <span class="muted"><T m=Msg::ImportUndone/></span> }.into_any(),
                                                    None => view! {
                                                        <button type="button" class="button small" data-testid="undo-import"
                                                            disabled=move || undo.pending().get()
                                                            on:click=move |_| confirm_undo(id.clone())><T m=Msg::UndoImport/></button>
                                                    }.into_any(),
                                                }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
