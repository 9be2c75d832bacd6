//! The funnel board: one column per stage with count and totals, cards dragged between
//! columns with a mouse or a finger (pointer events, so phones work too), or moved with the
//! "Move to…" menu from the keyboard. A move shows at once, is saved, and is rolled back
//! with the server's reason if refused. Columns a card may not enter say why while it is
//! dragged over them, from the same rules the server enforces.

use leptos::prelude::*;

use super::api::{get_board, move_deal};
use kehu_domain::pipeline::types::*;
use kehu_domain::money::money_text;
use crate::components::{ErrorBanner, T};
use kehu_domain::error::AppError;
use crate::format::day;
use crate::i18n::{blocked_text, error_text, stage_name, use_i18n, Msg};

/// Pixels a pointer must travel before a press becomes a drag (a shorter one is a click).
const DRAG_THRESHOLD: f64 = 6.0;

#[derive(Clone, Debug, PartialEq)]
struct Drag {
    id: String,
    from: String,
    facts: DealFacts,
    start: (f64, f64),
    offset: (f64, f64),
    active: bool,
    over: Option<String>,
}

/// A message pinned to one card: why its move was refused.
#[derive(Clone, Debug, PartialEq)]
struct Notice {
    deal: String,
    text: String,
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(BoardQuery::default());
    let board = Resource::new(move || query.get(), get_board);
    // Kept here, above the board, so a refusal's reason outlives the reload it triggers.
    let notice = RwSignal::new(None::<Notice>);
    view! {
        <section class="page board-page">
            <header class="page-head">
                <h1><T m=Msg::NavPipeline/></h1>
                <a class="button" href="/funnel"><T m=Msg::NavFunnel/></a>
            </header>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(b) => view! { <BoardView board=b query=query notice=notice reload=Callback::new(move |()| board.refetch())/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Filters(board: Board, query: RwSignal<BoardQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let Board { owners, teams, .. } = board;
    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <select name="owner" aria-label=move || i18n.t(Msg::AllOwners)
                on:change=move |ev| query.update(|q| q.owner = event_target_value(&ev))>
                <option value="">{move || i18n.t(Msg::AllOwners)}</option>
                {owners.into_iter().map(|(username, name)| {
                    let selected = query.get_untracked().owner == username;
                    view! { <option value=username selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <select name="team" aria-label=move || i18n.t(Msg::AllTeams)
                on:change=move |ev| query.update(|q| q.team = event_target_value(&ev))>
                <option value="">{move || i18n.t(Msg::AllTeams)}</option>
                {teams.into_iter().map(|(id, name)| {
                    let selected = query.get_untracked().team == id;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <label class="inline">
                <span class="muted">{move || i18n.t(Msg::AllCloseMonths)}</span>
                <input type="month" name="close_month" prop:value=move || query.get().close_month
                    on:change=move |ev| query.update(|q| q.close_month = event_target_value(&ev))/>
            </label>
        </form>
    }
    .into_any()
}

#[component]
fn BoardView(board: Board, query: RwSignal<BoardQuery>, notice: RwSignal<Option<Notice>>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let pipeline = StoredValue::new(board.pipeline.clone());
    let columns = RwSignal::new(board.columns.clone());
    let drag = RwSignal::new(None::<Drag>);
    // Deals whose move is on its way to the server: their cards say so (aria-busy).
    let saving = RwSignal::new(Vec::<String>::new());

    // Moves a card: shown at once, then saved; on refusal the board goes back as it was.
    let move_card = move |id: String, to: String| {
        let Some(card) = columns.with_untracked(|cols| cols.iter().flat_map(|c| c.cards.iter()).find(|c| c.id == id).cloned()) else {
            return;
        };
        if card.stage == to {
            return;
        }
        let missing = pipeline.with_value(|p| p.missing_for(&card.facts, &card.stage, &to));
        match missing {
            Ok(m) if !m.is_empty() => {
                notice.set(Some(Notice { deal: id, text: blocked_text(&m, i18n.lang()) }));
                return;
            }
            Err(_) => return,
            Ok(_) => {}
        }
        let before = columns.get_untracked();
        columns.update(|cols| place(cols, &card, &to));
        notice.set(None);
        saving.update(|s| s.push(card.id.clone()));
        leptos::task::spawn_local(async move {
            let result = move_deal(card.id.clone(), to.clone(), card.version).await;
            saving.update(|s| s.retain(|id| *id != card.id));
            match result {
                Ok(moved) => columns.update(|cols| {
                    if let Some(c) = cols.iter_mut().flat_map(|c| c.cards.iter_mut()).find(|c| c.id == moved.id) {
                        *c = moved;
                    }
                }),
                Err(e) => {
                    columns.set(before);
                    notice.set(Some(Notice { deal: card.id.clone(), text: error_text(&e, i18n.lang()) }));
                    if e == AppError::DealChanged {
                        reload.run(());
                    }
                }
            }
        });
    };

    // While a card is pressed, the whole window follows the pointer: it may leave the card.
    let on_move = window_event_listener(leptos::ev::pointermove, move |ev| {
        if drag.with_untracked(Option::is_none) {
            return;
        }
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        let over = stage_under(x, y);
        drag.update(|d| {
            if let Some(d) = d {
                d.offset = (x - d.start.0, y - d.start.1);
                if !d.active && d.offset.0.hypot(d.offset.1) > DRAG_THRESHOLD {
                    d.active = true;
                }
                d.over = if d.active { over } else { None };
            }
        });
    });
    let on_up = window_event_listener(leptos::ev::pointerup, move |_| {
        if let Some(d) = drag.get_untracked() {
            drag.set(None);
            if let (true, Some(to)) = (d.active, d.over) {
                move_card(d.id, to);
            }
        }
    });
    let on_cancel = window_event_listener(leptos::ev::pointercancel, move |_| drag.set(None));
    on_cleanup(move || {
        on_move.remove();
        on_up.remove();
        on_cancel.remove();
    });

    let press = move |ev: leptos::ev::PointerEvent, card: &DealCard| {
        if ev.button() != 0 || pressed_control(&ev) {
            return;
        }
        // With a finger or pen, only the grip starts a drag, so the board still scrolls.
        if ev.pointer_type() != "mouse" && !on_grip(&ev) {
            return;
        }
        ev.prevent_default();
        drag.set(Some(Drag {
            id: card.id.clone(),
            from: card.stage.clone(),
            facts: card.facts,
            start: (ev.client_x() as f64, ev.client_y() as f64),
            offset: (0.0, 0.0),
            active: false,
            over: None,
        }));
    };

    let stages = board.pipeline.stages.clone();
    view! {
        <Filters board=board query=query/>
        <p class="muted drag-hint" class:shown=move || drag.with(|d| d.as_ref().is_some_and(|d| d.active))>
            <T m=Msg::Dragging/>
        </p>
        <div class="board" data-testid="board">
            {stages.into_iter().enumerate().map(|(index, stage)| {
                let key = stage.key.clone();
                let key_for_col = key.clone();
                let column = move || columns.with(|cols| cols.get(index).cloned());
                let verdict = {
                    let key = key.clone();
                    move || drag.with(|d| {
                        let d = d.as_ref().filter(|d| d.active)?;
                        let missing = pipeline.with_value(|p| p.missing_for(&d.facts, &d.from, &key)).ok()?;
                        Some((d.over.as_deref() == Some(key.as_str()), missing))
                    })
                };
                let verdict_class = verdict.clone();
                let stage_for_name = stage.clone();
                view! {
                    <section class="column" data-drop-stage=key.clone() data-testid=format!("column-{key}")
                        class:drop-over=move || verdict_class().is_some_and(|(over, _)| over)
                        class:drop-blocked=move || verdict().is_some_and(|(_, m)| !m.is_empty())>
                        <header class="column-head">
                            <h2>{move || stage_name(&stage_for_name, i18n.lang())}</h2>
                            <p class="column-sum">
                                <span class="count" data-testid=format!("count-{key_for_col}")>{move || column().map(|c| c.count).unwrap_or(0)}</span>
                                {move || column().map(|c| c.totals.iter().map(|(cur, cents)| money_text(*cents, cur)).collect::<Vec<_>>().join(" + ")).unwrap_or_default()}
                            </p>
                            {
                                let key = key.clone();
                                move || drag.with(|d| {
                                    let d = d.as_ref().filter(|d| d.active && d.over.as_deref() == Some(key.as_str()))?;
                                    let missing = pipeline.with_value(|p| p.missing_for(&d.facts, &d.from, &key)).ok()?;
                                    (!missing.is_empty()).then(|| view! { <p class="column-blocked" role="status">{blocked_text(&missing, i18n.lang())}</p> })
                                })
                            }
                        </header>
                        <ol class="cards">
                            <For each=move || column().map(|c| c.cards).unwrap_or_default() key=|c| (c.id.clone(), c.stage.clone(), c.version) let:card>
                                <Card card=card pipeline=pipeline drag=drag notice=notice saving=saving press=press move_card=move_card/>
                            </For>
                        </ol>
                        {move || column().filter(|c| c.count as usize > c.cards.len()).map(|c| view! {
                            <p class="muted more">{format!("+{}", c.count as usize - c.cards.len())}</p>
                        })}
                    </section>
                }
                .into_any()
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn Card(
    card: DealCard,
    pipeline: StoredValue<Pipeline>,
    drag: RwSignal<Option<Drag>>,
    notice: RwSignal<Option<Notice>>,
    saving: RwSignal<Vec<String>>,
    press: impl Fn(leptos::ev::PointerEvent, &DealCard) + Copy + Send + Sync + 'static,
    move_card: impl Fn(String, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = card.id.clone();
    let dragging = {
        let id = id.clone();
        move || drag.with(|d| d.as_ref().filter(|d| d.active && d.id == id).map(|d| d.offset))
    };
    let dragging_class = dragging.clone();
    let next_needs = pipeline.with_value(|p| {
        let here = p.index_of(&card.stage)?;
        let next = p.stages.get(here + 1)?;
        let missing = p.missing_for(&card.facts, &card.stage, &next.key).ok()?;
        (!missing.is_empty()).then_some(missing)
    });
    let stages = pipeline.with_value(|p| p.stages.clone());
    let card_for_press = card.clone();
    let notice_id = id.clone();
    let busy_id = id.clone();
    let menu_id = id.clone();
    let current = card.stage.clone();
    view! {
        <li class="deal-card" data-testid="deal-card" data-deal=id.clone()
            class:dragging=move || dragging_class().is_some()
            aria-busy=move || if saving.with(|s| s.contains(&busy_id)) { "true" } else { "false" }
            style:transform=move || dragging().map(|(x, y)| format!("translate({x}px, {y}px)"))
            on:pointerdown=move |ev| press(ev, &card_for_press)>
            <div class="card-top">
                <span class="grip" aria-hidden="true">"⠿"</span>
                <a class="deal-title" href=format!("/deals/{id}")>{card.title.clone()}</a>
            </div>
            <p class="card-customer"><a href=format!("/customers/{}", card.customer_id)>{card.customer_name.clone()}</a></p>
            <p class="card-amount">{money_text(card.amount_cents, &card.currency)}</p>
            <p class="card-meta">
                <span title=move || i18n.t(Msg::FieldExpectedClose)>{day(card.expected_close)}</span>
                <span class="win" title=move || i18n.t(Msg::WinChance)>{format!("{}%", card.win_percent)}</span>
                <span class="muted">{card.owner_name.clone()}</span>
            </p>
            {(!card.competitor.is_empty()).then(|| view! { <p class="card-competitor muted">"⚔ "{card.competitor.clone()}</p> })}
            {next_needs.map(|missing| view! {
                <p class="card-needs" data-testid="card-needs">
                    <span class="muted">{move || i18n.t(Msg::NextStageNeeds)}": "</span>
                    {move || blocked_text(&missing, i18n.lang())}
                </p>
            })}
            {move || notice.with(|n| n.as_ref().filter(|n| n.deal == notice_id).map(|n| view! {
                <p class="card-refused" role="alert" data-testid="card-refused">{n.text.clone()}</p>
            }))}
            <label class="move-menu">
                <span class="visually-hidden">{move || i18n.t(Msg::MoveTo)}</span>
                <select data-testid="move-to" aria-label=move || i18n.t(Msg::MoveTo)
                    on:change=move |ev| {
                        let to = event_target_value(&ev);
                        if !to.is_empty() {
                            move_card(menu_id.clone(), to);
                        }
                    }>
                    <option value="" selected=true>{move || i18n.t(Msg::MoveTo)}</option>
                    {stages.into_iter().filter(|s| s.key != current).map(|s| {
                        let name = s.clone();
                        view! { <option value=s.key.clone()>{move || stage_name(&name, i18n.lang())}</option> }
                    }).collect_view()}
                </select>
            </label>
        </li>
    }
    .into_any()
}

/// Takes the card out of its column and puts it at the top of `to`'s, keeping counts and
/// totals right.
fn place(columns: &mut [BoardColumn], card: &DealCard, to: &str) {
    for column in columns.iter_mut() {
        if let Some(pos) = column.cards.iter().position(|c| c.id == card.id) {
            column.cards.remove(pos);
            column.count = column.count.saturating_sub(1);
            adjust(&mut column.totals, &card.currency, -card.amount_cents);
        }
    }
    if let Some(column) = columns.iter_mut().find(|c| c.stage == to) {
        column.cards.insert(0, DealCard { stage: to.to_string(), ..card.clone() });
        column.count += 1;
        adjust(&mut column.totals, &card.currency, card.amount_cents);
    }
}

fn adjust(totals: &mut Vec<(String, i64)>, currency: &str, delta: i64) {
    match totals.iter_mut().find(|(c, _)| c == currency) {
        Some((_, sum)) => *sum += delta,
        None => totals.push((currency.to_string(), delta)),
    }
    totals.retain(|(_, sum)| *sum != 0);
}

/// The stage key of the column under a point of the window, if any.
fn stage_under(x: f64, y: f64) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let element = document.element_from_point(x as f32, y as f32)?;
    element.closest("[data-drop-stage]").ok()??.get_attribute("data-drop-stage")
}

fn target_element(ev: &leptos::ev::PointerEvent) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    ev.target()?.dyn_into::<web_sys::Element>().ok()
}

/// A press on a link, button or menu inside the card is theirs, not a drag.
fn pressed_control(ev: &leptos::ev::PointerEvent) -> bool {
    target_element(ev).and_then(|e| e.closest("a, button, select, input, label").ok().flatten()).is_some()
}

fn on_grip(ev: &leptos::ev::PointerEvent) -> bool {
    target_element(ev).and_then(|e| e.closest(".grip").ok().flatten()).is_some()
}
