//! Kehu's pages in a few pieces of the browser's wasm, each fetched the first time one of its
//! pages is opened: a phone downloads the app's frame (header, navigation, session, texts) and
//! the area it opens — the customers, the funnel, insight… — instead of all of Kehu at once.
//! Leptos's lazy functions mark the cuts (`#[lazy]`), `cargo leptos build --split` cuts the
//! wasm there, and the server renders every page as before.
//!
//! Why areas and not a piece per page: the cutter gives code shared by several cuts a piece of
//! its own for each combination of cuts sharing it. With a cut per page (36) a profile needed
//! some 600 small files, a request each; with a handful of areas a page needs a few dozen.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::accounts::login_page::{LoginPage, SetupPage};
use crate::accounts::me_page::MePage;
use crate::accounts::password_page::PasswordPage;
use crate::accounts::users_page::UsersPage;
use crate::aftersales::queue_page::TicketQueuePage;
use crate::aftersales::reports_page::ServiceReportPage;
use crate::aftersales::settings_page::ServiceSettingsPage;
use crate::aftersales::survey_page::SurveyAnswerPage;
use crate::audit::page::AuditPage;
use crate::customers::form_page::{EditCustomerPage, NewCustomerPage};
use crate::customers::import_page::CustomerImportPage;
use crate::customers::list_page::CustomerListPage;
use crate::customers::profile_page::ProfilePage;
use crate::customers::visits_page::VisitsPage;
use crate::insight::competitors_page::CompetitorsPage;
use crate::insight::import_page::ImportPage;
use crate::insight::overview_page::InsightPage;
use crate::insight::products_page::ProductsPage;
use crate::insight::reports_page::ReportsPage;
use crate::notifications::page::NotificationsPage;
use crate::offline::outbox_page::OutboxPage;
use crate::pipeline::board_page::BoardPage;
use crate::pipeline::deal_form::NewDealPage;
use crate::pipeline::deal_page::DealPage;
use crate::pipeline::funnel_page::FunnelPage;
use crate::pipeline::quote_page::QuotePage;
use crate::platform::tokens_page::TokensPage;
use crate::platform::webhooks_page::WebhooksPage;
use crate::reminders::center_page::RemindersPage;
use crate::reminders::settings_page::ReminderRulesPage;
use crate::session::RequireLogin;
use crate::targets::activity_page::ActivityPage;
use crate::targets::performance_page::PerformancePage;
use crate::targets::targets_page::TargetsPage;
use crate::today::today_page::TodayPage;

/// One area: an enum naming its pages, a lazily loaded function showing one of them (the cut;
/// its preloader named after it is given too, macro_rules cannot make the name), and for each
/// page a route that calls it. `Page [signed_in]` is behind the sign-in.
macro_rules! area {
    ($area:ident, $preload:ident, $pages:ident { $($route:ident => $page:ident $([$gate:ident])?;)* }) => {
        #[derive(Clone, Copy)]
        enum $pages {
            $($route,)*
        }

        #[lazy]
        fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$route => area!(@view $($gate)? $page),)*
            }
        }

        $(
            #[doc = concat!("The route of [`", stringify!($page), "`], loaded with its area.")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $area($pages::$route).await
                }

                // Taking over a server-rendered page waits for this: the area's wasm has to be
                // there before its part of the page can be hydrated. (`#[lazy]` makes
                // `__preload_<area>` in the browser build only.)
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
    (@view signed_in $page:ident) => {
        view! { <RequireLogin><$page/></RequireLogin> }.into_any()
    };
    (@view $page:ident) => {
        view! { <$page/> }.into_any()
    };
}

area!(public_pages, __preload_public_pages, PublicPage {
    Login => LoginPage;
    Setup => SetupPage;
    SurveyAnswer => SurveyAnswerPage;
});

area!(customer_pages, __preload_customer_pages, CustomerPage {
    Customers => CustomerListPage [signed_in];
    NewCustomer => NewCustomerPage [signed_in];
    CustomerImport => CustomerImportPage [signed_in];
    EditCustomer => EditCustomerPage [signed_in];
    Visits => VisitsPage [signed_in];
});

// The profile on its own: the page a rep opens most, on the road, and the heaviest (a dozen
// panels from insight, deals, service, reminders and the audit); the list, the forms and the
// import are not downloaded with it, nor it with them.
area!(profile_pages, __preload_profile_pages, ProfileArea {
    Profile => ProfilePage [signed_in];
});

area!(daily_pages, __preload_daily_pages, DailyPage {
    Today => TodayPage [signed_in];
    Reminders => RemindersPage [signed_in];
    Notifications => NotificationsPage [signed_in];
    Outbox => OutboxPage [signed_in];
    Me => MePage [signed_in];
    Password => PasswordPage [signed_in];
    Tokens => TokensPage [signed_in];
});

area!(pipeline_pages, __preload_pipeline_pages, PipelinePage {
    Board => BoardPage [signed_in];
    Funnel => FunnelPage [signed_in];
    NewDeal => NewDealPage [signed_in];
    Deal => DealPage [signed_in];
    Quote => QuotePage [signed_in];
});

area!(insight_pages, __preload_insight_pages, InsightArea {
    Insight => InsightPage [signed_in];
    Reports => ReportsPage [signed_in];
    Products => ProductsPage [signed_in];
    Competitors => CompetitorsPage [signed_in];
    OrderImport => ImportPage [signed_in];
    Targets => TargetsPage [signed_in];
    Performance => PerformancePage [signed_in];
    Activity => ActivityPage [signed_in];
});

area!(service_pages, __preload_service_pages, ServicePage {
    Tickets => TicketQueuePage [signed_in];
    ServiceReports => ServiceReportPage [signed_in];
    ServiceSettings => ServiceSettingsPage [signed_in];
});

area!(admin_pages, __preload_admin_pages, AdminPage {
    Users => UsersPage [signed_in];
    Audit => AuditPage [signed_in];
    ReminderRules => ReminderRulesPage [signed_in];
    Webhooks => WebhooksPage [signed_in];
});
