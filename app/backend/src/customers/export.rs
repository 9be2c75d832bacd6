//! Taking data out: the customers the caller's list shows with its filters (their scope,
//! nothing more), or those customers' contacts, deals or orders, as a sheet; every export
//! is recorded in the audit log with its filter and how many rows left.

use std::collections::HashMap;

use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::export::ExportKind;
use kehu_domain::customers::types::{CustomerKind, ListQuery, Tag};
use kehu_domain::customers::vcard::{self, Card};
use kehu_domain::error::AppResult;
use kehu_domain::i18n::{deal_status_label, stage_label, Lang, Msg};

use crate::events::Event;
use crate::files::xlsx::Cell;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::export as store;
use crate::store::ids::{key_of, record_id};

/// Customers read from the store per query.
const CHUNK: usize = 2_000;

/// What an export writes: its headings and rows.
pub struct Sheet {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn money(cents: i64) -> Cell {
    Cell::Number(cents as f64 / 100.0)
}

/// The export of `kind` for the customers `query` selects among those the caller sees.
pub async fn export(state: &AppState, caller: &Caller, kind: ExportKind, query: &ListQuery, lang: Lang) -> AppResult<Sheet> {
    let members = super::service::segment_of(state, query);
    let ids = state.directory.all_matching(query, &caller.scope, members.as_ref());
    let order: HashMap<String, usize> = ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
    let mut names = HashMap::with_capacity(ids.len());
    let mut sheet = Sheet { headings: headings(kind, lang), rows: Vec::new() };
    for chunk in ids.chunks(CHUNK) {
        let rids: Vec<RecordId> = chunk.iter().filter_map(|id| record_id(CUSTOMER, id)).collect();
        match kind {
            ExportKind::Customers => {
                let mut customers: Vec<_> = crate::store::customer_import::current(&state.db, rids).await?.into_iter().map(|r| r.into_customer()).collect();
                customers.sort_by_key(|c| order.get(&c.id).copied().unwrap_or(usize::MAX));
                for c in customers {
                    let kind = match c.kind {
                        CustomerKind::Company => Msg::KindCompany,
                        CustomerKind::Person => Msg::KindPerson,
                    };
                    sheet.rows.push(vec![
                        text(c.name),
                        text(kind.text(lang)),
                        text(c.industry),
                        text(c.region),
                        text(c.source),
                        text(stage_label(c.stage).text(lang)),
                        text(state.users.display_name(&c.owner)),
                        text(c.phone),
                        text(c.email),
                        text(c.credit_code),
                        text(c.address),
                        text(c.tags.iter().map(Tag::key).collect::<Vec<_>>().join("，")),
                        text(c.notes),
                        Cell::Date(c.created_at.date_naive()),
                        c.last_contact_at.map(|d| Cell::Date(d.date_naive())).unwrap_or_else(|| text("")),
                        text(c.id),
                    ]);
                }
            }
            _ => {
                for id in chunk {
                    if let Some(row) = state.directory.row(id) {
                        names.insert(id.clone(), row.name);
                    }
                }
                let name = |customer: &RecordId| names.get(&key_of(customer)).cloned().unwrap_or_default();
                match kind {
                    ExportKind::Contacts => {
                        // The customer's address goes with each contact: a card on a phone
                        // then opens the company's place in the map app.
                        let addresses: HashMap<String, String> = store::addresses(&state.db, rids.clone()).await?.into_iter().map(|a| (key_of(&a.id), a.address)).collect();
                        for c in store::contacts(&state.db, rids).await? {
                            let birthday = c.birthday.map(|b| Cell::Date(b.date_naive())).unwrap_or_else(|| text(""));
                            let customer = key_of(&c.customer);
                            let address = addresses.get(&customer).cloned().unwrap_or_default();
                            sheet.rows.push(vec![text(name(&c.customer)), text(c.name), text(c.title), text(c.phone), text(c.email), birthday, text(address), text(customer)]);
                        }
                    }
                    ExportKind::Deals => {
                        for d in store::deals(&state.db, rids).await? {
                            let customer = name(&d.customer);
                            let id = key_of(&d.customer);
                            let deal = d.into_deal();
                            let stage = state.policy.pipeline.stages.iter().find(|s| s.key == deal.stage).map(|s| if lang == Lang::Zh { s.name_zh.clone() } else { s.name_en.clone() }).unwrap_or(deal.stage.clone());
                            sheet.rows.push(vec![
                                text(customer),
                                text(deal.title),
                                money(deal.amount_cents),
                                text(deal.currency),
                                text(stage),
                                text(deal_status_label(deal.status).text(lang)),
                                Cell::Date(deal.expected_close),
                                deal.probability.map(|p| Cell::Number(p as f64)).unwrap_or_else(|| text("")),
                                Cell::Date(deal.created_at.date_naive()),
                                text(id),
                            ]);
                        }
                    }
                    _ => {
                        for o in store::orders(&state.db, rids).await? {
                            sheet.rows.push(vec![text(name(&o.customer)), Cell::Date(o.on.date_naive()), text(o.order_no), text(o.carrier.unwrap_or_default()), money(o.total_cents), text(o.source), text(key_of(&o.customer))]);
                        }
                    }
                }
            }
        }
    }
    // The filter as the list's URL writes it (every page of it was exported).
    let filter = kehu_domain::format::url_with_query("", &ListQuery { page: 1, ..query.clone() }.params());
    let event = Event::by(caller, EventKind::Exported, state.clock.now())
        .subject(kind.as_str())
        .change("filter", "", filter.trim_start_matches('?'))
        .change("rows", "", sheet.rows.len().to_string());
    store::record(&state.db, kind.as_str(), sheet.rows.len(), &[event]).await?;
    Ok(sheet)
}

/// A contacts export as vCard 4.0 cards: each contact with its customer as organisation and
/// the customer's address as the card's work address.
pub fn as_vcards(sheet: &Sheet) -> String {
    let text = |cell: Option<&Cell>| cell.map(Cell::as_text).unwrap_or_default();
    let cards: Vec<Card> = sheet
        .rows
        .iter()
        .map(|r| Card { organization: text(r.first()), name: text(r.get(1)), title: text(r.get(2)), phone: text(r.get(3)), email: text(r.get(4)), birthday: text(r.get(5)), address: text(r.get(6)), ..Card::default() })
        .collect();
    vcard::write(&cards)
}

/// Headings that the import recognises again, so an export can be edited and brought back.
fn headings(kind: ExportKind, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let pick = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
    let m = |msg: Msg| msg.text(lang).to_string();
    match kind {
        ExportKind::Customers => vec![
            pick("客户名称", "Customer name"),
            pick("类型", "Type"),
            m(Msg::FieldIndustry),
            m(Msg::FieldRegion),
            pick("来源", "Source"),
            m(Msg::ColStage),
            m(Msg::FieldOwner),
            m(Msg::FieldPhone),
            m(Msg::FieldEmail),
            m(Msg::FieldCreditCode),
            m(Msg::FieldAddress),
            m(Msg::Tags),
            m(Msg::FieldNotes),
            m(Msg::CreatedAt),
            m(Msg::ColLastContact),
            pick("客户编号", "Customer id"),
        ],
        ExportKind::Contacts => vec![
            pick("客户名称", "Customer name"),
            pick("联系人", "Contact"),
            m(Msg::FieldTitle),
            pick("联系人手机", "Contact phone"),
            pick("联系人邮箱", "Contact email"),
            m(Msg::FieldBirthday),
            pick("客户地址", "Customer address"),
            pick("客户编号", "Customer id"),
        ],
        ExportKind::Deals => vec![
            pick("客户名称", "Customer name"),
            m(Msg::FieldDealTitle),
            m(Msg::FieldAmount),
            m(Msg::FieldCurrency),
            m(Msg::ColStage),
            pick("状态", "Status"),
            m(Msg::FieldExpectedClose),
            pick("赢率估计（%）", "Win estimate (%)"),
            m(Msg::CreatedAt),
            pick("客户编号", "Customer id"),
        ],
        ExportKind::Orders => vec![
            pick("客户", "Customer"),
            pick("日期", "Date"),
            pick("订单号", "Order number"),
            pick("承运商", "Carrier"),
            m(Msg::FieldAmount),
            m(Msg::FieldSource),
            pick("客户编号", "Customer id"),
        ],
    }
}
