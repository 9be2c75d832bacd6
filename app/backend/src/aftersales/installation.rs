//! After a win: the installation / acceptance ticket (安装验收) when the deal sold a product of
//! a category that needs one. It goes to the service queue unassigned, as an event about the
//! customer. A consequence of the win, not part of it: a failure here is logged and the win
//! stands.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::pipeline::types::Deal;
use kehu_domain::service::installation::{installation_ticket, WonDeal};

use crate::events::Event;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::deals as deal_store;
use crate::store::ids::{key_of, record_id};
use crate::store::{service_settings, tickets as ticket_store};

pub async fn after_win(state: &AppState, caller: &Caller, deal: &Deal) {
    if let Err(e) = open_for(state, caller, deal).await {
        tracing::warn!("no installation ticket after winning deal {}: {e:?}", deal.id);
    }
}

async fn open_for(state: &AppState, caller: &Caller, deal: &Deal) -> kehu_domain::error::AppResult<()> {
    let settings = service_settings::current(&state.db).await?;
    if settings.installation_categories.is_empty() {
        return Ok(());
    }
    let Some(rid) = record_id(crate::store::deal_rows::DEAL, &deal.id) else { return Ok(()) };
    let quotes = deal_store::quotes_of(&state.db, &rid).await?;
    let Some(latest) = quotes.into_iter().map(|q| q.into_quote()).max_by_key(|q| q.created_at) else { return Ok(()) };
    let lines: Vec<_> = latest
        .lines
        .into_iter()
        .map(|line| {
            let category = state.orders.product_by_name(&line.product).map(|p| p.category).unwrap_or_default();
            (line, category)
        })
        .collect();
    // A deal's contract has the deal's key.
    let contract_id = surrealdb::types::RecordId::new(crate::store::deal_rows::CONTRACT, deal.id.clone());
    let contract = deal_store::contract_of(&state.db, &contract_id).await?.map(|c| c.into_contract());
    let won = WonDeal { title: &deal.title, lines: &lines, contract: contract.as_ref().map(|c| (c.number.as_str(), c.start, c.end)) };
    let Some(new) = installation_ticket(&won, &settings.installation_categories) else { return Ok(()) };
    let customer = record_id(CUSTOMER, &deal.customer_id).ok_or(kehu_domain::error::AppError::NotFound)?;
    let now = state.clock.now();
    let record = super::ticket_records::new_record(customer, &new, &caller.user.username, now);
    let event = Event::by(caller, EventKind::TicketOpened, now)
        .about(&deal.customer_id, &deal.customer_name)
        .change("ticket", "", format!("{} · {}", new.title, new.kind.key()))
        .change("deal", "", deal.title.clone());
    ticket_store::insert(&state.db, record.clone(), &[event]).await?;
    state.tickets.put(record.clone());
    super::sla_watch::after_change(state, &key_of(&record.id)).await;
    Ok(())
}
