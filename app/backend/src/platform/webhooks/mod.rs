//! Webhooks: admins subscribe an HTTP receiver or a 企业微信/钉钉/飞书 group robot to kinds of
//! events; the sender reads the event table's change feed (so what is announced was
//! committed, and nothing committed is skipped), queues a delivery per subscription and
//! event, and posts it — signed, retried with backoff over a day, logged, unsubscribed by a
//! 410, and kept in order per customer.

pub mod queue;
pub mod send;
pub mod sender;
pub mod service;
pub mod sign;
pub mod worker;
