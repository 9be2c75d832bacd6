//! Carrying out a plan (`plan.rs`): what it names is read from the store and put into this
//! process's read models, and the open pages of the people concerned hear that their badge
//! may have changed. Nothing is written: the process that made the change already wrote
//! everything that follows from it (reminders, milestones, webhook deliveries).

use std::collections::HashSet;

use kehu_domain::pipeline::types::DealStatus;

use super::plan::{Parts, Plan};
use crate::followers::{follow, Effect, Rescore};
use crate::readmodel::directory::SearchContact;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::deal_rows::DEAL;
use crate::store::error::{StoreError, StoreResult};
use crate::store::ids::{key_of, record_id};
use crate::store::{customers, deals, orders, performance, products, tickets};

pub async fn apply(state: &AppState, plan: Plan) -> StoreResult<()> {
    if !plan.users.is_empty() {
        state.reload_users().await.map_err(|e| StoreError::Broken(e.to_string()))?;
        for username in &plan.users {
            // Read again from the store at their next request: ended sessions are gone there.
            state.sessions.remove_user(username);
        }
    }
    if plan.everything {
        state.load_all().await.map_err(|e| StoreError::Broken(e.to_string()))?;
        state.live.changed_for_everyone();
        return Ok(());
    }
    if plan.products {
        for product in products::all(&state.db).await? {
            state.orders.put_product(product);
        }
    }
    for (customer, parts) in &plan.customers {
        one_customer(state, customer, *parts).await?;
    }
    if plan.everyones_reminders {
        state.live.changed_for_everyone();
    }
    Ok(())
}

async fn one_customer(state: &AppState, id: &str, parts: Parts) -> StoreResult<()> {
    let Some(rid) = record_id(CUSTOMER, id) else { return Ok(()) };
    let owner_before = state.directory.row(id).map(|row| row.owner);
    let owner_now = match customers::get_customer(&state.db, &rid).await? {
        Some(customer) => {
            let search: Vec<SearchContact> = customers::contacts_of(&state.db, &rid)
                .await?
                .into_iter()
                .map(|c| SearchContact { name: c.name, phone: c.phone, email: c.email })
                .collect();
            state.directory.upsert(&customer, &search);
            Some(customer.owner)
        }
        None => {
            state.directory.remove(id);
            None
        }
    };
    if parts.deals {
        for record in deals::of_customer(&state.db, &rid).await? {
            let deal = record.into_deal();
            let closed = deal.status != DealStatus::Open;
            let deal_rid = record_id(DEAL, &deal.id);
            crate::insight::competitor_mentions::deal_saved(state, &deal).await;
            state.deals.put(deal);
            if let (true, Some(deal_rid)) = (closed, deal_rid) {
                for result in performance::closed_deals(&state.db, Some(&deal_rid)).await? {
                    state.performance.put_deal(result);
                }
            }
        }
    }
    if parts.orders {
        let stored = orders::of_customer(&state.db, &rid).await?;
        let kept: HashSet<String> = stored.iter().map(|o| key_of(&o.id)).collect();
        let mut effects: Vec<Effect> = state
            .orders
            .order_ids(id)
            .into_iter()
            .filter(|order| !kept.contains(order))
            .map(|order| Effect::OrderRemoved { customer: id.to_string(), order })
            .collect();
        effects.push(Effect::Orders { written: stored, rescore: Rescore::Customer(id.to_string()) });
        follow(state, effects).await;
    }
    if parts.tickets {
        for ticket in tickets::of_customer(&state.db, &rid).await? {
            state.tickets.put(ticket);
        }
    }
    if parts.follow_ups {
        let users = state.users.all();
        let who = |author: &str| users.iter().find(|u| u.display_name == author).map(|u| u.username.clone());
        for follow_up in performance::follow_ups(&state.db, Some(&rid), who).await? {
            state.performance.add_follow_up(&follow_up);
        }
    }
    // As after a change here: any change to a customer reads its notes again.
    crate::insight::competitor_mentions::notes_changed(state, id).await;
    state.live.changed_for(owner_before.into_iter().chain(owner_now).collect());
    Ok(())
}
