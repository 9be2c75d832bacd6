//! The signed-in user as the pages know it: loaded once per page load (rendered on the
//! server, which looks the session up before the page renders, so the first paint already
//! knows who is there), shared through context, and set from the server's answer after
//! signing in or out.

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

    /// The user as they are now, without subscribing: for a component body, which runs once
    /// (reading with `user` there makes Leptos warn of a read outside a reactive scope). The
    /// pages behind the sign-in gate may: the user cannot change while they are shown, since
    /// signing out leaves them.
    pub fn user_now(&self) -> Option<Me> {
        self.me.get_untracked().and_then(|r| r.ok()).flatten()
    }

    /// The user once the session resource has loaded, if someone is signed in: what a
    /// `Suspense` awaits rather than reads (see the header).
    pub async fn signed_in(self) -> Option<Me> {
        self.me.await.ok().flatten()
    }

    /// Asks the server again (for the badges' counts). Until the answer comes, readers see the
    /// value before: after signing in or out, use [`Session::set_signed_in`] instead.
    pub fn reload(&self) {
        self.me.refetch();
    }

    /// Signed in (or out, `None`) as the server just answered: the next page's sign-in gate
    /// sees it at once, not the old value a reload would show until it completes.
    pub fn set_signed_in(&self, me: Option<Me>) {
        self.me.set(Some(Ok(me)));
    }

    /// The user chose their own password: the gate no longer sends them to choose one.
    pub fn password_chosen(&self) {
        self.me.update(|me| {
            if let Some(Ok(Some(me))) = me {
                me.user.must_change_password = false;
            }
        });
    }
}

/// Who the request a server render serves is signed in as, worked out by the server before
/// the page renders (it puts this in the request's extensions, see `server::http`).
///
/// Why before: the sign-in gate can then decide at once. Awaiting the lookup inside a
/// `Suspense` instead, the gate's second pass built the whole page again on the server, so
/// every page's data was fetched twice.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct SignedInAtRender(pub Result<Option<Me>, AppError>);

pub fn provide_session() -> Session {
    // Taken by the first (server-side) load only: a later reload asks the server again.
    #[cfg(feature = "ssr")]
    let known = std::sync::Arc::new(std::sync::Mutex::new(
        use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<SignedInAtRender>().map(|k| k.0.clone())),
    ));
    let me = Resource::new(
        || (),
        move |_| {
            #[cfg(feature = "ssr")]
            let known = known.lock().ok().and_then(|mut known| known.take());
            async move {
                // Ready at once: the resource holds its value before anything reads it.
                #[cfg(feature = "ssr")]
                if let Some(known) = known {
                    return known;
                }
                current_user().await
            }
        },
    );
    let session = Session { me };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where a user chooses a new password.
pub const PASSWORD_PAGE: &str = "/account/password";

/// Where a page behind the sign-in stands with the session.
#[derive(Clone, Copy, PartialEq)]
enum Gate {
    /// Not known yet (in the browser only: the server knows before rendering).
    Loading,
    Open,
    /// An admin set this user's password: they choose their own first.
    ChoosePassword,
    SignIn,
}

/// Shows its children to a signed-in user; sends anyone else to the sign-in page, with the
/// way back in `next`.
///
/// Read, not awaited in a `Suspense`: the session is known when the page renders (see
/// [`SignedInAtRender`]), and a `Suspense` may build its children more than once, a page
/// and all its data with them. The page is built again only when the gate changes, not when
/// the session reloads for its badges.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // `map`: a synchronous, tracked read, for a resource whose value is there when it renders.
    let gate = Memo::new(move |_| {
        session
            .me
            .map(|me| match me {
                Ok(Some(me)) if me.user.must_change_password && location.pathname.get_untracked() != PASSWORD_PAGE => Gate::ChoosePassword,
                Ok(Some(_)) => Gate::Open,
                _ => Gate::SignIn,
            })
            .unwrap_or(Gate::Loading)
    });
    move || match gate.get() {
        Gate::Loading => ().into_any(),
        Gate::Open => children().into_any(),
        Gate::ChoosePassword => view! { <Redirect path=PASSWORD_PAGE/> }.into_any(),
        Gate::SignIn => {
            let search = location.search.get_untracked();
            let search = if search.is_empty() || search.starts_with('?') { search } else { format!("?{search}") };
            let here = format!("{}{search}", location.pathname.get_untracked());
            let next = crate::format::encode_query_value(&here);
            view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
        }
    }
}
