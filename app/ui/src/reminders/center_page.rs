//! The reminder center (提醒中心): the caller's due reminders and those coming within 30 days,
//! grouped by day and kind, each linked to its customer and handled in place (done, snooze to
//! a chosen time, dismiss); the counts by kind, which narrow the lists to one kind; and the
//! calendar feed's secret address.

use leptos::prelude::*;

use super::api::{handle_reminder, list_reminders};
use super::calendar_view::CalendarPanel;
use kehu_domain::reminders::center::{group_by_day_and_kind, parse_snooze};
use kehu_domain::reminders::types::{KindCount, MyReminders, Reminder, ReminderAction, ReminderKind};
use crate::components::fields::FieldMessages;
use crate::components::reminder_badge::LiveDueCount;
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::format::{datetime, day, today, use_display_offset, DisplayOffset};
use crate::i18n::{listed_of_text, reminder_kind_label, use_i18n, Msg};

#[component]
pub fn RemindersPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_reminders(None));
    view! {
        <section class="page reminders">
            <h1><T m=Msg::RemindersTitle/></h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(mine) => view! { <ReminderLists initial=mine/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
            <CalendarPanel/>
        </section>
    }
}

#[component]
fn ReminderLists(initial: MyReminders) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let mine = RwSignal::new(initial);
    let failure = RwSignal::new(None::<AppError>);
    // Field problems of the snooze being set, with the reminder they belong to.
    let snooze_errors = RwSignal::new((String::new(), Vec::<FieldError>::new()));
    let act = Action::new(move |(id, action): &(String, ReminderAction)| {
        let (id, action) = (id.clone(), action.clone());
        let only = mine.with_untracked(|m| m.only);
        async move {
            match handle_reminder(id.clone(), action, only).await {
                Ok(fresh) => {
                    mine.set(fresh);
                    failure.set(None);
                    snooze_errors.set((String::new(), Vec::new()));
                }
                Err(AppError::Invalid(list)) => snooze_errors.set((id, list)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    // Narrowed to one kind (or back to all): the lists are read again, so the first hundred
    // are the first hundred of that kind.
    let narrow = Action::new(move |only: &Option<ReminderKind>| {
        let only = *only;
        async move {
            match list_reminders(only).await {
                Ok(fresh) => {
                    mine.set(fresh);
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let ctx = ItemContext { act, snooze_errors, offset };
    // The header's live count changed (a reminder fell due, or was handled in another tab):
    // the list follows. Effects run in the browser only.
    if let Some(LiveDueCount(live)) = use_context::<LiveDueCount>() {
        Effect::new(move |seen: Option<u32>| {
            let now = live.get();
            if seen.is_some_and(|before| before != now) {
                narrow.dispatch(mine.with_untracked(|m| m.only));
            }
            now
        });
    }
    // "The first 100 of 3,412" under a list that does not hold them all.
    let more = move |listed: usize, total: u32, testid: &'static str| {
        (listed < total as usize).then(|| {
            view! { <p class="muted small" data-testid=testid>{move || listed_of_text(listed, total, i18n.lang())}</p> }
        })
    };
    view! {
        <ErrorBanner error=failure/>
        <KindFilter mine=mine narrow=narrow/>
        <h2>
            {move || i18n.t(Msg::RemindersDue)}" "
            <span class="count" data-testid="due-count">{move || mine.with(|m| m.due_total())}</span>
        </h2>
        <div data-testid="due-list">
            {move || {
                let (due, total) = mine.with(|m| (m.due.clone(), m.due_total()));
                if due.is_empty() {
                    view! { <p class="muted"><T m=Msg::RemindersNoneDue/></p> }.into_any()
                } else {
                    let listed = due.len();
                    view! { {groups(due, ctx)}{more(listed, total, "due-more")} }.into_any()
                }
            }}
        </div>
        <h2>
            {move || i18n.t(Msg::RemindersUpcoming)}" "
            <span class="count" data-testid="upcoming-count">{move || mine.with(|m| m.upcoming_total())}</span>
        </h2>
        <div data-testid="upcoming-list">
            {move || {
                let (upcoming, total) = mine.with(|m| (m.upcoming.clone(), m.upcoming_total()));
                if upcoming.is_empty() {
                    view! { <p class="muted"><T m=Msg::RemindersNoneUpcoming/></p> }.into_any()
                } else {
                    let listed = upcoming.len();
                    view! { {groups(upcoming, ctx)}{more(listed, total, "upcoming-more")} }.into_any()
                }
            }}
        </div>
    }
}

/// One button per kind that has open reminders, with how many, and "all": pressing one
/// narrows both lists to that kind. Hidden while there is nothing to choose between.
#[component]
fn KindFilter(mine: RwSignal<MyReminders>, narrow: Action<Option<ReminderKind>, ()>) -> impl IntoView {
    let i18n = use_i18n();
    let button = move |kind: Option<ReminderKind>, count: u32| {
        let pressed = move || mine.with(|m| m.only == kind);
        let label = move || match kind {
            Some(k) => i18n.t(reminder_kind_label(k)),
            None => i18n.t(Msg::RemFilterAll),
        };
        view! {
            <button
                type="button"
                class="button small"
                class:active=pressed
                aria-pressed=move || if pressed() { "true" } else { "false" }
                data-kind=kind.map(|k| k.as_str()).unwrap_or("all")
                on:click=move |_| {
                    narrow.dispatch(kind);
                }
            >
                {label}" "<span class="muted">{count}</span>
            </button>
        }
    };
    move || {
        let (mut counts, only) = mine.with(|m| (m.counts.clone(), m.only));
        // The kind narrowed to stays on show after its last reminder is handled, so the
        // lists are never narrowed by a filter the page does not show.
        if let Some(kind) = only.filter(|k| counts.iter().all(|c| c.kind != *k)) {
            counts.push(KindCount { kind, due: 0, upcoming: 0 });
            counts.sort_by_key(|c| c.kind);
        }
        (counts.len() > 1 || only.is_some()).then(|| {
            let all: u32 = counts.iter().map(|c| c.due + c.upcoming).sum();
            view! {
                <div class="filters kind-filter" role="group" aria-label=move || i18n.t(Msg::RemFilterLabel) data-testid="kind-filter">
                    {button(None, all)}
                    {counts.into_iter().map(|c| button(Some(c.kind), c.due + c.upcoming)).collect_view()}
                </div>
            }
        })
    }
}

/// What every item needs to act.
#[derive(Clone, Copy)]
struct ItemContext {
    act: Action<(String, ReminderAction), ()>,
    snooze_errors: RwSignal<(String, Vec<FieldError>)>,
    offset: DisplayOffset,
}

fn groups(list: Vec<Reminder>, ctx: ItemContext) -> impl IntoView {
    let i18n = use_i18n();
    let this_day = today(ctx.offset);
    group_by_day_and_kind(&list, ctx.offset.0)
        .into_iter()
        .map(|g| {
            let label = day(g.day);
            let heading = label.clone();
            view! {
                <section class="reminder-day" data-day=label>
                    <h3>{heading}{(g.day == this_day).then(|| view! { " · "<T m=Msg::Today/> })}</h3>
                    {g.kinds.into_iter().map(|k| view! {
                        <div class="reminder-kind" data-kind=k.kind.as_str()>
                            <h4>{move || i18n.t(reminder_kind_label(k.kind))}" "<span class="muted">{k.items.len()}</span></h4>
                            <ul class="plain">{k.items.into_iter().map(|r| item(r, ctx)).collect_view()}</ul>
                        </div>
                    }).collect_view()}
                </section>
            }
        })
        .collect_view()
}

fn item(r: Reminder, ctx: ItemContext) -> impl IntoView {
    let i18n = use_i18n();
    let until = RwSignal::new(String::new());
    let id = StoredValue::new(r.id.clone());
    let errors: Signal<Vec<FieldError>> = Signal::derive(move || {
        ctx.snooze_errors.with(|(which, list)| if *which == id.get_value() { list.clone() } else { Vec::new() })
    });
    let send = move |action: ReminderAction| {
        ctx.act.dispatch((id.get_value(), action));
    };
    let snooze = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = until.get_untracked();
        // Checked here first for an instant message; the server checks again.
        match parse_snooze(&value, chrono::Utc::now(), ctx.offset.0) {
            Ok(_) => send(ReminderAction::Snooze { until: value }),
            Err(list) => ctx.snooze_errors.set((id.get_value(), list)),
        }
    };
    let moved = r.moved_by.clone().map(|why| {
        let planned = datetime(r.rule_due, ctx.offset);
        view! {
            <p class="muted small" data-testid="reminder-moved">
                {move || i18n.t(Msg::RemMovedByDnd)}": "{why.clone()}" · "{move || i18n.t(Msg::RemRuleDue)}" "{planned.clone()}
            </p>
        }
    });
    view! {
        <li class="reminder" data-testid="reminder" data-id=r.id.clone()>
            <div class="reminder-main">
                <time>{datetime(r.due, ctx.offset)}</time>" "
                <a href=format!("/customers/{}", r.customer_id)>{r.customer_name.clone()}</a>
                {(!r.subject.is_empty()).then(|| view! { " · "<span>{r.subject.clone()}</span> })}
                {r.snoozed.then(|| view! { " "<span class="chip">{move || i18n.t(Msg::RemSnoozed)}</span> })}
                {moved}
            </div>
            <div class="reminder-actions">
                <button type="button" class="button small" data-testid="reminder-done" on:click=move |_| send(ReminderAction::Done)>
                    <T m=Msg::RemDone/>
                </button>
                <button type="button" class="button small quiet" data-testid="reminder-dismiss" on:click=move |_| send(ReminderAction::Dismiss)>
                    <T m=Msg::RemDismiss/>
                </button>
                <form class="snooze" novalidate on:submit=snooze>
                    <label>
                        <span class="field-label">{move || i18n.t(Msg::RemSnoozeUntil)}</span>
                        <input type="datetime-local" name="until" data-testid="snooze-until"
                            prop:value=move || until.get() on:input=move |ev| until.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="button small quiet" data-testid="reminder-snooze"><T m=Msg::RemSnooze/></button>
                    <FieldMessages errors=errors name="until"/>
                </form>
            </div>
        </li>
    }
}
