//! Admins manage users and teams: add, edit, and deactivate a leaving rep with their
//! customers handed over in the same action.

use leptos::prelude::*;

use super::api::{create_team, create_user, deactivate_user, list_teams, list_users, update_user};
use kehu_domain::accounts::types::{Handover, Role, Team, User, UserInput};
use crate::components::fields::TextField;
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{role_label, use_i18n, Msg};

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    let teams = Resource::new(|| (), |_| list_teams());
    let editing = RwSignal::new(None::<User>);
    let adding = RwSignal::new(false);
    let reload = move || {
        users.refetch();
        teams.refetch();
    };
    view! {
        <section class="page users-page">
            <div class="card-head">
                <h1><T m=Msg::NavUsers/></h1>
                // The header's menu is full: the other admin settings of the open platform live here.
                <div class="head-actions">
                    <a class="button quiet" href="/admin/webhooks" data-testid="nav-webhooks"><T m=Msg::WebhooksTitle/></a>
                    <button type="button" class="button primary" data-testid="add-user"
                        on:click=move |_| { editing.set(None); adding.set(true); }><T m=Msg::AddUser/></button>
                </div>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let team_list = teams.await.unwrap_or_default();
                    match users.await {
                        Ok(list) => view! {
                            <UserTable users=list.clone() teams=team_list.clone() editing=editing adding=adding/>
                            {
                                let (team_list, list) = (team_list.clone(), list.clone());
                                move || (adding.get() || editing.get().is_some()).then(|| view! {
                                    <UserForm existing=editing.get() teams=team_list.clone() users=list.clone()
                                        done=Callback::new(move |()| { adding.set(false); editing.set(None); reload(); })/>
                                })
                            }
                            <TeamsCard teams=team_list.clone() on_added=Callback::new(move |()| reload())/>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UserTable(users: Vec<User>, teams: Vec<Team>, editing: RwSignal<Option<User>>, adding: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let team_name = move |id: &Option<String>| id.as_ref().and_then(|id| teams.iter().find(|t| &t.id == id)).map(|t| t.name.clone()).unwrap_or_default();
    let rows = users
        .into_iter()
        .map(|u| {
            let role = u.role;
            let active = u.active;
            let team = team_name(&u.team);
            let edit = u.clone();
            view! {
                <tr data-username=u.username.clone()>
                    <td><strong>{u.display_name.clone()}</strong><span class="muted small">" " {u.username.clone()}</span></td>
                    <td>{move || i18n.t(role_label(role))}</td>
                    <td>{team}</td>
                    <td>{u.region.clone()}</td>
                    <td>{u.max_customers}</td>
                    <td>{move || if active { i18n.t(Msg::Active) } else { i18n.t(Msg::Inactive) }}</td>
                    <td>
                        <button type="button" class="button quiet" on:click=move |_| { adding.set(false); editing.set(Some(edit.clone())); }>
                            <T m=Msg::Edit/>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="customers users">
                <thead><tr>
                    <th><T m=Msg::DisplayName/></th><th><T m=Msg::Role/></th><th><T m=Msg::Team/></th>
                    <th><T m=Msg::Region/></th><th><T m=Msg::MaxCustomers/></th><th></th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn UserForm(existing: Option<User>, teams: Vec<Team>, users: Vec<User>, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let is_new = existing.is_none();
    let initial = existing.clone().unwrap_or(User {
        username: String::new(),
        display_name: String::new(),
        role: Role::Rep,
        team: None,
        region: String::new(),
        active: true,
        max_customers: 0,
        must_change_password: false,
    });
    let username = RwSignal::new(initial.username.clone());
    let display_name = RwSignal::new(initial.display_name.clone());
    let region = RwSignal::new(initial.region.clone());
    let max_customers = RwSignal::new(if is_new { String::new() } else { initial.max_customers.to_string() });
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(initial.role);
    let team = RwSignal::new(initial.team.clone());
    let handover = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);

    let save = Action::new(move |input: &UserInput| {
        let input = input.clone();
        async move {
            let result = if is_new { create_user(input).await } else { update_user(input).await };
            match result {
                Ok(_) => done.run(()),
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let deactivate = Action::new(move |(user, to): &(String, String)| {
        let (user, to) = (user.clone(), to.clone());
        async move {
            let handover = if to.is_empty() { Handover::ToPool } else { Handover::ToUser(to) };
            match deactivate_user(user, handover).await {
                Ok(_) => done.run(()),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let e: Signal<Vec<FieldError>> = errors.into();
    let colleagues: Vec<User> = users.into_iter().filter(|u| u.active && u.username != initial.username).collect();
    let team_options = teams.clone();
    let leaving = initial.username.clone();
    view! {
        <form class="card user-form" novalidate data-testid="user-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(UserInput {
                username: username.get_untracked(),
                display_name: display_name.get_untracked(),
                role: role.get_untracked(),
                team: team.get_untracked(),
                region: region.get_untracked(),
                max_customers: max_customers.get_untracked().trim().parse().unwrap_or(0),
                password: password.get_untracked(),
            });
        }>
            <div class="row">
                {if is_new {
                    view! { <TextField label=Msg::Username name="username" value=username errors=e required=true/> }.into_any()
                } else {
                    view! { <p class="field"><span class="field-label"><T m=Msg::Username/></span>{initial.username.clone()}</p> }.into_any()
                }}
                <TextField label=Msg::DisplayName name="display_name" value=display_name errors=e required=true/>
            </div>
            <div class="row">
                <label class="field">
                    <span class="field-label"><T m=Msg::Role/></span>
                    <select name="role" on:change=move |ev| { if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) } }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r>{move || i18n.t(role_label(r))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label"><T m=Msg::Team/></span>
                    <select name="team" on:change=move |ev| { let v = event_target_value(&ev); team.set(Some(v).filter(|v| !v.is_empty())) }>
                        <option value="">{move || i18n.t(Msg::NoTeam)}</option>
                        {team_options.into_iter().map(|t| {
                            let id = t.id.clone();
                            view! { <option value=t.id.clone() selected=move || team.get().as_deref() == Some(id.as_str())>{t.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <TextField label=Msg::Region name="region" value=region errors=e/>
                <TextField label=Msg::MaxCustomers name="max_customers" value=max_customers errors=e input_type="number"/>
            </div>
            <TextField label=Msg::Password name="password" value=password errors=e input_type="password" autocomplete="new-password" required=is_new
                placeholder=Msg::NewPasswordHint/>
            <ErrorBanner error=failure/>
            <div class="actions">
                <button type="submit" class="button primary"><T m=Msg::Save/></button>
                <button type="button" class="button quiet" on:click=move |_| done.run(())><T m=Msg::Cancel/></button>
            </div>
            {(!is_new && initial.active).then(|| view! {
                <div class="deactivate" data-testid="deactivate">
                    <label class="field">
                        <span class="field-label"><T m=Msg::HandOverTo/></span>
                        <select name="handover" on:change=move |ev| handover.set(event_target_value(&ev))>
                            <option value="">{move || i18n.t(Msg::HandOverPool)}</option>
                            {colleagues.iter().map(|u| view! { <option value=u.username.clone()>{u.display_name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="button danger" on:click=move |_| { deactivate.dispatch((leaving.clone(), handover.get_untracked())); }>
                        <T m=Msg::Deactivate/>
                    </button>
                </div>
            })}
        </form>
    }
    .into_any()
}

#[component]
fn TeamsCard(teams: Vec<Team>, on_added: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let add = Action::new(move |n: &String| {
        let n = n.clone();
        async move {
            match create_team(n).await {
                Ok(_) => {
                    name.set(String::new());
                    on_added.run(());
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card teams">
            <h2><T m=Msg::Teams/></h2>
            <ul>{teams.into_iter().map(|t| view! { <li>{t.name}</li> }).collect_view()}</ul>
            <form class="row" novalidate on:submit=move |ev| { ev.prevent_default(); add.dispatch(name.get_untracked()); }>
                <TextField label=Msg::TeamName name="team" value=name errors=errors.into()/>
                <button type="submit" class="button"><T m=Msg::AddTeam/></button>
            </form>
            <ErrorBanner error=failure/>
        </section>
    }
}
