//! `/import`: order lines from a CSV file (customer, date, product, quantity, amount, and an
//! optional order number; Chinese or English headers). The browser sends the file as it is;
//! the server imports it as a job (shown here as it reads and stores), keeps every good line
//! and reports the others by line number.

use leptos::prelude::*;

use kehu_domain::insight::orders::{ImportProblem, ImportProgress, ImportReport};
use crate::components::T;
use crate::i18n::{problem_text, use_i18n, Lang, Msg};

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let create_products = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let report = RwSignal::new(None::<ImportReport>);
    let progress = RwSignal::new(None::<ImportProgress>);
    let failure = RwSignal::new(None::<String>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = file_input.get() else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                failure.set(Some(i18n.t(Msg::ChooseFile).to_string()));
                return;
            };
            busy.set(true);
            failure.set(None);
            report.set(None);
            let create = create_products.get_untracked();
            let lost = i18n.t(Msg::ImportLost);
            leptos::task::spawn_local(async move {
                match upload(file, create, progress, lost, i18n.lang()).await {
                    Ok(r) => report.set(Some(r)),
                    Err(e) => failure.set(Some(e)),
                }
                progress.set(None);
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&file_input, create_products, busy, progress);
    };
    view! {
        <section class="page import-page">
            <header class="page-head"><h1><T m=Msg::ImportOrders/></h1></header>
            <form class="card" on:submit=on_submit data-testid="import-form">
                <p class="muted"><T m=Msg::ImportHint/></p>
                <pre class="sample">"客户,日期,产品,数量,金额,订单号\n华东精密机械,2026-03-01,ERP,1,128000,SO-1001\n华东精密机械,2026-03-01,OA,5,-2500,SO-1001"</pre>
                <input type="file" accept=".csv,text/csv" node_ref=file_input name="file" data-testid="import-file"/>
                <label class="switch">
                    <input type="checkbox" name="create_products" prop:checked=move || create_products.get() on:change=move |ev| create_products.set(event_target_checked(&ev))/>
                    " "<T m=Msg::CreateMissingProducts/>
                </label>
                <button type="submit" class="button primary" disabled=move || busy.get() data-testid="import-start">
                    {move || if busy.get() { i18n.t(Msg::Importing) } else { i18n.t(Msg::Import) }}
                </button>
                {move || busy.get().then(|| view! { <ProgressView progress=progress/> })}
                {move || failure.get().map(|f| view! { <p class="banner error" role="alert">{f}</p> })}
            </form>
            {move || report.get().map(|r| view! { <ReportView report=r/> })}
        </section>
    }
}

/// Lines read, then orders stored out of all, with a bar.
#[component]
fn ProgressView(progress: RwSignal<Option<ImportProgress>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let p = progress.get().unwrap_or_default();
        let text = match p.percent_written() {
            None if p.lines_read == 0 => i18n.t(Msg::ImportUploading).to_string(),
            None => format!("{} {}", i18n.t(Msg::ImportLinesRead), p.lines_read),
            Some(pct) => format!("{} {} / {} ({pct}%)", i18n.t(Msg::ImportOrdersStored), p.orders_written, p.orders),
        };
        view! {
            <div class="import-progress" role="status" data-testid="import-progress">
                <progress max="100" value=p.percent_written().unwrap_or(0).to_string()></progress>
                " "<span>{text}</span>
            </div>
        }
    }
}

fn problem_line(p: &ImportProblem, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match p {
        ImportProblem::Unreadable => if zh { "无法读取（引号不成对）".into() } else { "unreadable (unbalanced quotes)".into() },
        ImportProblem::MissingFields { expected, got } => {
            if zh { format!("应有 {expected} 列，只有 {got} 列") } else { format!("{got} fields, {expected} expected") }
        }
        ImportProblem::Field { field, problem } => format!("{field}: {}", problem_text(problem, lang)),
        ImportProblem::UnknownCustomer { reference } => {
            if zh { format!("找不到客户「{reference}」（或无权修改）") } else { format!("no customer \"{reference}\" you may change") }
        }
        ImportProblem::AmbiguousCustomer { reference } => {
            if zh { format!("多个客户名为「{reference}」，请用客户编号") } else { format!("several customers are named \"{reference}\": use the customer id") }
        }
        ImportProblem::UnknownProduct { name } => {
            if zh { format!("产品目录中没有「{name}」") } else { format!("no product \"{name}\" in the catalogue") }
        }
    }
}

#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    if !report.missing_columns.is_empty() {
        let missing = report.missing_columns.join(", ");
        return view! { <p class="banner error" role="alert" data-testid="import-missing"><T m=Msg::MissingColumns/>" "{missing}</p> }.into_any();
    }
    let lang = i18n.lang();
    let more = report.rejected_lines.saturating_sub(report.problems.len() as u64);
    view! {
        <section class="card" data-testid="import-report">
            <p class="banner success" role="status">
                <T m=Msg::ImportedLines/>" "<strong data-testid="imported-lines">{report.imported_lines}</strong>" / "{report.lines}
                " · "<T m=Msg::Orders/>" "{report.orders}
                " · "<T m=Msg::RejectedLines/>" "<strong data-testid="rejected-lines">{report.rejected_lines}</strong>
            </p>
            {(!report.problems.is_empty()).then(|| view! {
                <table class="table" data-testid="import-problems">
                    <thead><tr><th><T m=Msg::Line/></th><th><T m=Msg::Problem/></th></tr></thead>
                    <tbody>
                        {report.problems.iter().map(|(line, p)| view! { <tr><td class="num">{*line}</td><td>{problem_line(p, lang)}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            })}
            {(more > 0).then(|| view! { <p class="muted">"+ "{more}</p> })}
        </section>
    }
    .into_any()
}

/// Sends the file, then follows the import job it starts until its report is there.
#[cfg(feature = "hydrate")]
async fn upload(
    file: web_sys::File,
    create_products: bool,
    progress: RwSignal<Option<ImportProgress>>,
    lost: &'static str,
    lang: Lang,
) -> Result<ImportReport, String> {
    use kehu_domain::insight::orders::ImportStatus;
    let start = format!("/api/import/orders?create_products={create_products}");
    match crate::components::upload::run_job(&start, "/api/import/orders", &file, |p| progress.set(Some(p)), lost, lang).await? {
        ImportStatus::Done(report) => Ok(report),
        // Any other ending is not what this page started.
        _ => Err(crate::i18n::error_text(&kehu_domain::error::AppError::NotFound, lang)),
    }
}
