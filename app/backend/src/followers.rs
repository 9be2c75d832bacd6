//! What happens after a change is committed, in one place: the in-process read models and
//! followers learn what the change did (the directory, the deal and order books, the user
//! registry, reminders, live badges, the insight rerun). A follower's failure is logged,
//! never returned: the change is committed, and the next full run (reminders, insight) or
//! restart (read models) repairs it.
//!
//! Webhooks are sent from the event table's change feed (the sender is only woken here).
//! Other server processes on the same remote store follow this one through the same feed
//! (`crate::replica`): they cannot receive `Effect`s, which live in memory, so they read again
//! the customer (and its deals, orders, tickets, follow-ups) an event names — which is why
//! every event names its customer.

use kehu_domain::customers::types::Customer;
use kehu_domain::insight::types::Product;
use kehu_domain::pipeline::types::{Deal, DealStatus};

use crate::accounts::registry::StoredUser;
use crate::readmodel::directory::SearchContact;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::record_id;
use crate::store::orders::OrderRecord;
use crate::{insight, reminders, store};

/// What a committed change means for the read models and followers in this process.
#[derive(Clone, Debug)]
pub enum Effect {
    /// A customer as saved (its row, its contacts or its timeline changed): the directory
    /// takes it (with its contacts, read again), its reminders are worked out again, and a
    /// former owner's pages hear that their reminders moved away.
    Customer(Customer),
    /// Many customers saved at once (a hand-over): as `Customer`, for each.
    Customers(Vec<Customer>),
    /// Many customers written in bulk (an import, or its undo): the directory takes them as
    /// they are, with their contacts' search text — no read per customer, no reminders per
    /// customer (a bulk write asks for `RemindersOfMany` once).
    Bulk { saved: Vec<(Customer, Vec<SearchContact>)>, removed: Vec<String> },
    /// These customers' reminders are worked out again, together (after a bulk write).
    RemindersOfMany(Vec<String>),
    /// `from` was merged into `into`: its deals and orders now belong to `into`, and it
    /// leaves the directory.
    Merged { from: String, into: String },
    /// A deal as saved, named: the board's book takes it.
    Deal(Deal),
    /// Orders written: the order book takes them, and the insight batch scores again (the
    /// customer concerned, or everyone after an import).
    Orders { written: Vec<OrderRecord>, rescore: Rescore },
    OrderRemoved { customer: String, order: String },
    Product(Product),
    /// Something a customer's reminders depend on changed (a contract, a do-not-disturb
    /// window, a care date): they are worked out again.
    RemindersOf(String),
    /// Reminders of these owners were handled: their badges recount.
    RemindersHandled { owners: Vec<String> },
    /// The reminder rules changed: every customer's reminders are worked out again.
    ReminderRules,
    /// A user as saved: the registry takes it.
    User(StoredUser),
    /// A user's sessions ended (deactivated, new password).
    SignedOut { username: String },
    /// A follow-up logged: it counts for whoever logged it.
    FollowUp(crate::store::performance::FollowUp),
    /// A deal closed, or the money of one changed (its contract, a payment): the performance
    /// book reads it again.
    DealResults(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rescore {
    /// The batch runs soon, not now: imports and demo data score once themselves.
    Not,
    Customer(String),
    Everyone,
}

/// Brings this process up to date with committed changes. Runs before the service answers,
/// so what the person does next (the list, the board, the badge) already shows the change.
pub async fn follow(state: &AppState, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::Customer(customer) => customer_saved(state, &customer).await,
            Effect::Customers(customers) => {
                for customer in &customers {
                    customer_saved(state, customer).await;
                }
            }
            Effect::Bulk { saved, removed } => {
                for id in &removed {
                    state.directory.remove(id);
                }
                for (customer, contacts) in &saved {
                    state.directory.upsert(customer, contacts);
                }
            }
            Effect::RemindersOfMany(customers) => {
                if let Err(e) = reminders::engine::run_for(state, &customers).await {
                    tracing::warn!("working out the reminders of {} customers failed (the next run repairs it): {e}", customers.len());
                }
            }
            Effect::ReminderRules => {
                if let Err(e) = reminders::engine::run(state).await {
                    tracing::warn!("working out everyone's reminders failed (the next run repairs it): {e}");
                }
            }
            Effect::Merged { from, into } => {
                state.deals.recustomer(&from, &into);
                state.orders.recustomer(&from, &into);
                if let Some(into) = crate::store::ids::record_id(crate::store::customer_rows::CUSTOMER, &into) {
                    state.tickets.recustomer(&from, &into);
                }
                state.directory.remove(&from);
                insight::competitor_mentions::merged(state, &from, &into).await;
            }
            Effect::Deal(deal) => {
                insight::competitor_mentions::deal_saved(state, &deal).await;
                if deal.status != DealStatus::Open {
                    // Closing it wrote a note on the customer's timeline (why it was lost).
                    insight::competitor_mentions::notes_changed(state, &deal.customer_id).await;
                }
                state.deals.put(deal);
            }
            Effect::Orders { written, rescore } => {
                orders_for_performance(state, &written);
                state.orders.put_orders(&written);
                match rescore {
                    Rescore::Not => {}
                    Rescore::Customer(customer) => insight::batch::request_run(state, Some(customer)),
                    Rescore::Everyone => insight::batch::request_run(state, None),
                }
            }
            Effect::OrderRemoved { customer, order } => {
                if let (Some((day, total)), Some(row)) = (state.orders.order_of(&customer, &order), state.directory.row(&customer)) {
                    state.performance.add_order(&row.owner, day, -total);
                    crate::targets::watch::after_results(state, &[row.owner]).await;
                }
                state.orders.remove_order(&customer, &order);
                insight::batch::request_run(state, Some(customer));
            }
            Effect::Product(product) => state.orders.put_product(product),
            Effect::RemindersOf(customer) => reminders::engine::refresh_customer(state, &customer).await,
            Effect::RemindersHandled { owners } => state.live.changed_for(owners),
            Effect::User(user) => state.users.put(user),
            Effect::SignedOut { username } => state.sessions.remove_user(&username),
            Effect::FollowUp(follow_up) => {
                state.performance.add_follow_up(&follow_up);
                crate::targets::watch::after_results(state, &[follow_up.person]).await;
            }
            Effect::DealResults(deal) => deal_results(state, &deal).await,
        }
    }
    // The change's events are committed: the webhook sender reads them from the feed, now
    // that the directory names their customers as saved.
    state.webhooks.wake();
}

/// The directory takes the customer as saved, with its contacts read again; its reminders
/// follow its facts; a former owner's badge recounts.
async fn customer_saved(state: &AppState, customer: &Customer) {
    let Some(rid) = record_id(CUSTOMER, &customer.id) else { return };
    let contacts = match store::customers::contacts_of(&state.db, &rid).await {
        Ok(contacts) => contacts,
        Err(e) => {
            // Listed without its contacts' search text until the next start.
            tracing::warn!("reading the contacts of customer {} for the directory failed: {e}", customer.id);
            Vec::new()
        }
    };
    let owner_before = state.directory.row(&customer.id).map(|row| row.owner);
    let search: Vec<SearchContact> = contacts
        .iter()
        .map(|c| SearchContact { name: c.name.clone(), phone: c.phone.clone(), email: c.email.clone() })
        .collect();
    state.directory.upsert(customer, &search);
    reminders::engine::refresh_customer(state, &customer.id).await;
    // A follow-up logged, a note of a move or hand-over, an erasure: its notes are read again.
    insight::competitor_mentions::notes_changed(state, &customer.id).await;
    if let Some(before) = owner_before.filter(|o| *o != customer.owner) {
        state.live.changed_for(vec![before]);
    }
}

/// Written orders count for their customer's owner (an order written again replaces its
/// earlier total). Milestones are checked when the import is small enough to be a person's
/// own entry; an import's owners are many, and the reminder run catches up.
fn orders_for_performance(state: &AppState, written: &[OrderRecord]) {
    for order in written {
        let customer = crate::store::ids::key_of(&order.customer);
        let Some(row) = state.directory.row(&customer) else { continue };
        if row.owner.is_empty() {
            continue;
        }
        let id = crate::store::ids::key_of(&order.id);
        if let Some((day, total)) = state.orders.order_of(&customer, &id) {
            state.performance.add_order(&row.owner, day, -total);
        }
        state.performance.add_order(&row.owner, order.on.date_naive(), order.total_cents);
    }
}

/// The performance book takes a deal as stored now, if it is closed; its person's targets
/// are checked for milestones and warnings.
async fn deal_results(state: &AppState, deal: &str) {
    let Some(rid) = record_id(crate::store::deal_rows::DEAL, deal) else { return };
    match store::performance::closed_deals(&state.db, Some(&rid)).await {
        Ok(deals) => {
            for closed in deals {
                let person = closed.person.clone();
                state.performance.put_deal(closed);
                crate::targets::watch::after_results(state, &[person]).await;
            }
        }
        // Counted again at the next start.
        Err(e) => tracing::warn!("reading deal {deal} for the performance book failed: {e}"),
    }
}
