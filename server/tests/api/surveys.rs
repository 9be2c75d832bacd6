//! Satisfaction surveys against a real store: a solved ticket sends its CSAT survey, the link
//! is answered once (a low score with its reason opens a complaint ticket for the owner),
//! wrong and expired links, the sending rules, rights, and mail through a real SMTP server
//! (aiosmtpd) started by the test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrono::{Duration, TimeZone, Utc};
use kehu_backend::aftersales::{surveys, tickets};
use kehu_backend::clock::Clock;
use kehu_backend::customers::service;
use kehu_backend::mail::MailPolicy;
use kehu_backend::reminders::dnd;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::CustomerInput;
use kehu_domain::error::{AppError, Problem};
use kehu_domain::reminders::dnd::DndInput;
use kehu_domain::service::survey_rules::{AnswerInput, MailOutcome, SurveyState};
use kehu_domain::service::surveys::SurveyKind;
use kehu_domain::service::tickets::{TicketKind, TicketStatus};
use kehu_domain::service::types::{TicketAction, TicketInput};

use crate::support::*;

const ORIGIN: &str = "http://crm.test";

fn question() -> TicketInput {
    TicketInput { title: "发票抬头写错".into(), kind: "question".into(), priority: "normal".into(), assignee: SVC.into(), ..Default::default() }
}

fn token_of(path: &str) -> String {
    path.trim_start_matches("/s/").to_string()
}

fn problem_of(result: Result<impl std::fmt::Debug, AppError>) -> Problem {
    match result {
        Err(AppError::Invalid(errors)) => errors[0].problem.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn answer(score: u8, reason: &str, comment: &str) -> AnswerInput {
    AnswerInput { score: Some(score), reason: reason.into(), comment: comment.into() }
}

/// A ticket of `ca` opened by rep A for the service agent and solved by them.
async fn solved_ticket(c: &Company) -> String {
    let opened = tickets::open(&c.state, &c.caller(REP_A), &c.ca.id, &question()).await.unwrap();
    let solve = TicketAction::Move { status: TicketStatus::Solved, resolution: "已重开发票".into() };
    tickets::act(&c.state, &c.caller(SVC), &opened.id, &solve).await.unwrap();
    opened.id
}

#[tokio::test]
async fn a_solved_ticket_sends_its_survey_and_a_low_score_opens_a_complaint_for_the_owner() {
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    solved_ticket(&c).await;

    let rep = c.caller(REP_A);
    let list = surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap();
    assert_eq!(list.len(), 1, "solving sent one CSAT survey");
    let sent = &list[0];
    assert_eq!((sent.kind, sent.state, sent.about.as_str()), (SurveyKind::Csat, SurveyState::Open, "发票抬头写错"));
    assert!(sent.url.starts_with("http://crm.test/s/") && sent.qr_svg.starts_with("<?xml"), "{} {}", sent.url, &sent.qr_svg[..20]);
    let token = token_of(&sent.path);
    assert_eq!(token.len(), 64);

    let page = surveys::page(&c.state, &token).await.unwrap();
    assert_eq!((page.kind, page.state), (SurveyKind::Csat, SurveyState::Open));
    assert!(page.categories.contains(&"物流".to_string()));

    // A low score without a reason, or with one not in the list, is refused and writes nothing.
    assert_eq!(problem_of(surveys::answer(&c.state, &token, &answer(2, "", "")).await), Problem::Required);
    assert_eq!(problem_of(surveys::answer(&c.state, &token, &answer(2, "天气", "")).await), Problem::UnknownChoice);
    assert_eq!(problem_of(surveys::answer(&c.state, &token, &AnswerInput::default()).await), Problem::Required);
    assert_eq!(surveys::page(&c.state, &token).await.unwrap().state, SurveyState::Open);

    *now.lock().unwrap() += Duration::hours(3);
    let answered = surveys::answer(&c.state, &token, &answer(2, "物流", "发票寄丢了两次")).await.unwrap();
    assert_eq!(answered.state, SurveyState::Answered);
    // Once only.
    assert_eq!(problem_of(surveys::answer(&c.state, &token, &answer(5, "", "")).await), Problem::SurveyClosed);

    // The complaint ticket is the owner's (rep A), categorised by the reason, with the comment.
    let all = tickets::of_customer(&c.state, &rep, &c.ca.id).await.unwrap();
    let complaint = all.iter().find(|t| t.kind == TicketKind::Complaint).expect("a complaint ticket");
    assert_eq!((complaint.assignee.as_str(), complaint.category.as_str(), complaint.status), (REP_A, "物流", TicketStatus::New));
    assert!(complaint.description.contains("发票寄丢了两次"), "{}", complaint.description);
    assert!(complaint.resolution_clock.is_some(), "the complaint runs under an SLA");

    // The profile shows the answer; the link is no longer offered.
    let list = surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap();
    assert_eq!((list[0].state, list[0].score, list[0].reason.as_str()), (SurveyState::Answered, Some(2), "物流"));
    assert!(list[0].url.is_empty() && list[0].qr_svg.is_empty());

    let log = kehu_backend::store::events::of_customer(&c.state.db, &c.ca.id, &|u: &str| u.to_string()).await.unwrap();
    let answered = log.iter().find(|e| e.kind == EventKind::SurveyAnswered).expect("the answer is on the timeline");
    assert!(answered.changes.iter().any(|ch| ch.field == "score" && ch.after == "2"));
    assert!(log.iter().any(|e| e.kind == EventKind::SurveySent));
    assert_eq!(log.iter().filter(|e| e.kind == EventKind::TicketOpened).count(), 2, "the rep's ticket and the complaint");

    // The insight panel names the churn signals: the open complaint and the low score.
    let signals = kehu_backend::insight::overview::customer(&c.state, &rep, &c.ca.id).await.unwrap().service_signals;
    use kehu_domain::service::signals::ServiceSignal;
    assert!(matches!(&signals[0], ServiceSignal::OpenComplaint { category, .. } if category == "物流"), "{signals:?}");
    assert!(matches!(&signals[1], ServiceSignal::LowScore { kind: SurveyKind::Csat, score: 2, reason, .. } if reason == "物流"), "{signals:?}");

    // The after-sales report: the complaint's reason leads the Pareto, from 华北, with its
    // ticket; the CSAT answer counts; the service agent's ticket met its SLA. Managers only.
    let report = kehu_backend::aftersales::reports::report(&c.state, &c.caller(BOSS)).await.unwrap();
    assert_eq!((report.pareto[0].reason.as_str(), report.pareto[0].count, report.pareto[0].share), ("物流", 1, 100.0));
    assert_eq!(report.pareto[0].regions, vec![("华北".to_string(), 1)]);
    assert_eq!(report.pareto[0].tickets[0].0, complaint.id);
    assert_eq!((report.csat_percent, report.surveys_sent, report.surveys_answered), (Some(0.0), 1, 1));
    let svc = report.agents.iter().find(|a| a.agent == SVC).unwrap();
    assert_eq!((svc.tickets, svc.open, svc.sla_met_percent), (1, 0, Some(100.0)));
    assert_eq!(report.backlog.under_1_day, 1, "the complaint, open for 3 hours");
    assert!(matches!(kehu_backend::aftersales::reports::report(&c.state, &rep).await, Err(AppError::Forbidden)));
    // Rep B's team manager sees none of rep A's customers' complaints.
    let other = kehu_backend::aftersales::reports::report(&c.state, &c.caller(MGR_B)).await.unwrap();
    assert!(other.pareto.is_empty());

    let cookie = format!("{}={}", kehu_backend::accounts::sessions::SESSION_COOKIE, c.session(BOSS).await);
    let (status, _, body) = get(&c.app, "/api/service-report/pareto.csv", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("原因") && body.contains("物流,1,100.0,100.0,华北 1"), "{body}");
    // Satisfaction per agent: the CSAT answer counts for the service agent who solved it.
    assert_eq!(report.by_agent.iter().map(|r| (r.key.as_str(), r.csat_percent)).collect::<Vec<_>>(), vec![("客服甲", Some(0.0))]);
    let (status, _, body) = get(&c.app, "/api/service-report/satisfaction.csv", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("客服甲,0.0,1"), "{body}");
    let (status, _, _) = get(&c.app, "/api/service-report/secrets.csv", Some(&cookie)).await;
    assert_eq!(status, 404);
    let rep_cookie = format!("{}={}", kehu_backend::accounts::sessions::SESSION_COOKIE, c.session(REP_A).await);
    let (status, _, _) = get(&c.app, "/api/service-report/agents.csv", Some(&rep_cookie)).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_good_score_opens_nothing_and_wrong_or_expired_links_answer_nothing() {
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    solved_ticket(&c).await;
    let rep = c.caller(REP_A);
    let token = token_of(&surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap()[0].path);

    for wrong in ["", "abc", &"0".repeat(64), &format!("{}x", &token[..63])] {
        assert!(matches!(surveys::page(&c.state, wrong).await, Err(AppError::NotFound)), "{wrong}");
        assert!(matches!(surveys::answer(&c.state, wrong, &answer(5, "", "")).await, Err(AppError::NotFound)), "{wrong}");
    }

    // Valid for 14 days by default: on the 15th it has expired and takes no answer.
    *now.lock().unwrap() += Duration::days(15);
    assert_eq!(surveys::page(&c.state, &token).await.unwrap().state, SurveyState::Expired);
    assert_eq!(problem_of(surveys::answer(&c.state, &token, &answer(5, "", "")).await), Problem::SurveyClosed);

    // An NPS survey once the 30 days since the CSAT one have passed, answered as a promoter:
    // no ticket.
    *now.lock().unwrap() += Duration::days(15);
    let nps = surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Nps, None, ORIGIN).await.unwrap();
    assert_eq!(nps.mail, MailOutcome::NoServer);
    let page = surveys::answer(&c.state, &token_of(&nps.entry.path), &answer(9, "物流", "")).await.unwrap();
    assert_eq!(page.state, SurveyState::Answered);
    let all = tickets::of_customer(&c.state, &rep, &c.ca.id).await.unwrap();
    assert!(all.iter().all(|t| t.kind != TicketKind::Complaint));
    let list = surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap();
    assert_eq!((list[0].score, list[0].reason.as_str()), (Some(9), ""), "a promoter's reason is dropped");
}

#[tokio::test]
async fn surveys_respect_do_not_disturb_open_tickets_the_period_and_rights() {
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    let rep = c.caller(REP_A);

    // No NPS while a ticket is open; a CSAT needs a solved ticket of this customer.
    let opened = tickets::open(&c.state, &rep, &c.ca.id, &question()).await.unwrap();
    assert_eq!(problem_of(surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Nps, None, ORIGIN).await), Problem::OpenTicket);
    assert_eq!(problem_of(surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Csat, Some(&opened.id), ORIGIN).await), Problem::OpenTicket);
    assert_eq!(problem_of(surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Csat, None, ORIGIN).await), Problem::Required);
    assert!(matches!(surveys::send(&c.state, &rep, &c.cb.id, SurveyKind::Nps, None, ORIGIN).await, Err(AppError::NotFound)), "not rep A's customer");
    let other = tickets::open(&c.state, &c.caller(REP_B), &c.cb.id, &question()).await.unwrap();
    let boss = c.caller(BOSS);
    assert!(matches!(surveys::send(&c.state, &boss, &c.ca.id, SurveyKind::Csat, Some(&other.id), ORIGIN).await, Err(AppError::NotFound)), "another customer's ticket");
    assert!(surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap().is_empty(), "nothing written");

    // Solved: the NPS may go, once per 30 days (the CSAT the solving sent counts).
    let solve = TicketAction::Move { status: TicketStatus::Solved, resolution: "已处理".into() };
    tickets::act(&c.state, &c.caller(SVC), &opened.id, &solve).await.unwrap();
    assert_eq!(problem_of(surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Nps, None, ORIGIN).await), Problem::SurveyTooSoon { days: 30 });
    *now.lock().unwrap() += Duration::days(30);
    // Inside a do-not-disturb window nothing goes.
    let week = DndInput { from: "2026-12-20".into(), to: "2026-12-31".into(), reason: "年底结算".into(), ..Default::default() };
    dnd::add(&c.state, &rep, &c.ca.id, &week).await.unwrap();
    *now.lock().unwrap() += Duration::days(5);
    assert_eq!(problem_of(surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Nps, None, ORIGIN).await), Problem::InDoNotDisturb);
    *now.lock().unwrap() += Duration::days(10);
    let sent = surveys::send(&c.state, &rep, &c.ca.id, SurveyKind::Nps, None, ORIGIN).await.unwrap();
    assert_eq!(sent.entry.state, SurveyState::Open);
    // The service agent who held the customer's ticket still sees its surveys; rep B does not.
    assert_eq!(surveys::of_customer(&c.state, &c.caller(SVC), &c.ca.id, ORIGIN).await.unwrap().len(), 2);
    assert!(matches!(surveys::of_customer(&c.state, &c.caller(REP_B), &c.ca.id, ORIGIN).await, Err(AppError::NotFound)));
}

/// aiosmtpd on a free loopback port, delivering into a Maildir; stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let maildir = std::env::temp_dir().join(format!("kehu-smtp-{}-{port}", std::process::id()));
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs (./kehu.sh test installs aiosmtpd)");
        let server = SmtpServer { child, port, maildir };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("aiosmtpd did not start on port {port}: is it installed? (python3 -m pip install aiosmtpd==1.4.6, or ./kehu.sh test)");
    }

    fn messages(&self) -> Vec<String> {
        let new = self.maildir.join("new");
        let Ok(dir) = std::fs::read_dir(&new) else { return Vec::new() };
        dir.filter_map(|f| std::fs::read_to_string(f.ok()?.path()).ok()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// The body is quoted-printable: soft line breaks joined and `=` restored, which is all an
/// ASCII link needs.
fn decoded(message: &str) -> String {
    message.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
}

fn wait_for(dir: &Path, count: usize) {
    for _ in 0..50 {
        if std::fs::read_dir(dir.join("new")).map(|d| d.count()).unwrap_or(0) >= count {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[tokio::test]
async fn a_survey_is_mailed_through_a_real_smtp_server() {
    let smtp = SmtpServer::start();
    let mut c = company().await;
    c.state.policy.public_url = Some("https://crm.example.com".into());
    c.state.policy.mail = Some(MailPolicy { smtp_url: format!("smtp://127.0.0.1:{}", smtp.port), from: "Kehu <crm@example.com>".into() });
    let boss = c.caller(BOSS);
    let input = CustomerInput { name: "有邮箱的客户".into(), owner: REP_A.into(), email: "buyer@customer.example".into(), ..Default::default() };
    let customer = service::create(&c.state, &boss, &input, false).await.unwrap();

    let sent = surveys::send(&c.state, &boss, &customer.id, SurveyKind::Nps, None, ORIGIN).await.unwrap();
    assert_eq!((sent.mail, sent.entry.sent_to.as_str()), (MailOutcome::Mailed, "buyer@customer.example"));
    // The public address wins over the one the page was reached at.
    assert!(sent.entry.url.starts_with("https://crm.example.com/s/"), "{}", sent.entry.url);
    wait_for(&smtp.maildir, 1);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "one message delivered");
    let message = decoded(&messages[0]);
    assert!(message.contains("buyer@customer.example") && message.contains("crm@example.com"), "{message}");
    assert!(message.contains(&sent.entry.url), "the link is in the mail: {message}");

    // A customer without an address: the survey exists, the page is told why it was not mailed.
    let no_mail = surveys::send(&c.state, &boss, &c.cb.id, SurveyKind::Nps, None, ORIGIN).await.unwrap();
    assert_eq!((no_mail.mail, no_mail.entry.sent_to.as_str()), (MailOutcome::NoAddress, ""));

    // The mail server gone: the survey still exists, and the failure is said (and logged).
    drop(smtp);
    let input = CustomerInput { name: "另一个有邮箱的客户".into(), owner: REP_A.into(), email: "other@customer.example".into(), ..Default::default() };
    let other = service::create(&c.state, &boss, &input, false).await.unwrap();
    let failed = surveys::send(&c.state, &boss, &other.id, SurveyKind::Nps, None, ORIGIN).await.unwrap();
    assert_eq!((failed.mail, failed.entry.state), (MailOutcome::Failed, SurveyState::Open));
    assert_eq!(surveys::of_customer(&c.state, &boss, &other.id, ORIGIN).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_nps_survey_goes_by_itself_a_set_number_of_days_after_the_first_order_once() {
    use kehu_backend::insight::orders;
    use kehu_domain::insight::types::{OrderInput, OrderLineInput};
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    let (boss, rep) = (c.caller(BOSS), c.caller(REP_A));
    let line = OrderLineInput { product_id: c.product.id.clone(), quantity: "1".into(), amount: "120000".into() };
    let first = OrderInput { on: "2026-11-20".into(), order_no: "SO-1".into(), carrier: String::new(), lines: vec![line.clone()] };
    orders::add(&c.state, &rep, &c.ca.id, &first).await.unwrap();
    // Rep B's customer bought long ago: turning the rule on does not survey it.
    let old = OrderInput { on: "2025-01-05".into(), order_no: "SO-2".into(), carrier: String::new(), lines: vec![line] };
    orders::add(&c.state, &boss, &c.cb.id, &old).await.unwrap();

    let run = || kehu_backend::reminders::engine::run(&c.state);
    run().await.unwrap();
    assert!(surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap().is_empty(), "off by default");

    let mut settings = kehu_backend::aftersales::settings::settings(&c.state, &boss).await.unwrap();
    settings.nps_after_first_order_days = "10".into();
    kehu_backend::aftersales::settings::save(&c.state, &boss, &settings).await.unwrap();
    run().await.unwrap();
    assert!(surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap().is_empty(), "not yet: 3 days after");

    // Ten days after the first order it goes, once, however often the engine runs.
    *now.lock().unwrap() += Duration::days(7);
    run().await.unwrap();
    run().await.unwrap();
    let sent = surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].kind, sent[0].state), (SurveyKind::Nps, SurveyState::Open));
    assert!(surveys::of_customer(&c.state, &boss, &c.cb.id, ORIGIN).await.unwrap().is_empty());
    // After the survey's period has passed, still no second one from this rule.
    *now.lock().unwrap() += Duration::days(3);
    run().await.unwrap();
    assert_eq!(surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap().len(), 1);
}
