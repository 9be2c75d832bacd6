//! The signed-in user as the pages know it: loaded once per page load (rendered on the
//! server, so the first paint already knows who is there), shared through context, and
//! reloaded after signing in or out.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::accounts::api::current_user;
use kehu_domain::accounts::types::Me;
use kehu_domain::error::AppError;

#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Result<Option<Me>, AppError>>,
}

impl Session {
    /// The user, if the session resource has loaded and someone is signed in.
    pub fn user(&self) -> Option<Me> {
        self.me.get().and_then(|r| r.ok()).flatten()
    }

    /// The user once the session resource has loaded, if someone is signed in: what a
    /// `Suspense` awaits rather than reads (see the header).
    pub async fn signed_in(self) -> Option<Me> {
        self.me.await.ok().flatten()
    }

    pub fn reload(&self) {
        self.me.refetch();
    }
}

pub fn provide_session() -> Session {
    let session = Session { me: Resource::new(|| (), |_| current_user()) };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where a user chooses a new password.
pub const PASSWORD_PAGE: &str = "/account/password";

/// Shows its children to a signed-in user; sends anyone else to the sign-in page, with the
/// way back in `next`.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.me.await {
                    // An admin set this user's password: they choose their own first.
                    Ok(Some(me)) if me.user.must_change_password && location.pathname.get_untracked() != PASSWORD_PAGE => {
                        view! { <Redirect path=PASSWORD_PAGE/> }.into_any()
                    }
                    Ok(Some(_)) => children.with_value(|c| c()).into_any(),
                    _ => {
                        let search = location.search.get_untracked();
                        let search = if search.is_empty() || search.starts_with('?') { search } else { format!("?{search}") };
                        let here = format!("{}{search}", location.pathname.get_untracked());
                        let next = crate::format::encode_query_value(&here);
                        view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
