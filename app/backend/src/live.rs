//! The live hub: tells open pages (the header badge's stream, see the server's
//! `http::live`) whose reminders changed, and wakes the due watcher.
//!
//! Why this shape: changes come from two places — a person handling a reminder (or the
//! engine adding some), which `events::follow` announces for the owners concerned; and time
//! passing a reminder's due moment, which nobody writes, which `reminders::due_watch`
//! announces. Each stream recounts only when its user is named, so a change costs one small
//! query per open page of that user.

use std::sync::Arc;

use tokio::sync::{broadcast, Notify};

use kehu_domain::reminders::open_list::OpenList;

use crate::readmodel::due_cache::DueCache;
use crate::readmodel::kept_per_user::KeptPerUser;

#[derive(Clone, Debug)]
pub enum Signal {
    /// These users' reminders changed.
    Users(Arc<Vec<String>>),
    /// Possibly everyone's (the engine ran, or settings changed).
    Everyone,
    /// The server is stopping: streams end so it can.
    Shutdown,
}

pub struct LiveHub {
    signals: broadcast::Sender<Signal>,
    /// Wakes the due watcher early: a change may bring the next due moment nearer.
    pub(crate) wake: Notify,
    /// Each user's badge count between changes; forgotten with every signal sent here.
    pub due: DueCache,
    /// Each user's open reminders between changes (read when they open the reminder
    /// center); the badge counts from them too while they are kept. Forgotten likewise.
    pub open: KeptPerUser<Arc<OpenList>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub { signals: broadcast::channel(256).0, wake: Notify::new(), due: DueCache::default(), open: KeptPerUser::default() }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.signals.subscribe()
    }

    /// Tells these users' pages to recount, and the due watcher to look again.
    pub fn changed_for(&self, users: Vec<String>) {
        let users: Vec<String> = users.into_iter().filter(|u| !u.is_empty()).collect();
        self.due.forget(&users);
        self.open.forget(&users);
        if !users.is_empty() {
            // No receiver (no page open) is not an error.
            let _ = self.signals.send(Signal::Users(Arc::new(users)));
        }
        self.wake.notify_one();
    }

    pub fn changed_for_everyone(&self) {
        self.due.forget_everyone();
        self.open.forget_everyone();
        let _ = self.signals.send(Signal::Everyone);
        self.wake.notify_one();
    }

    pub fn shutdown(&self) {
        let _ = self.signals.send(Signal::Shutdown);
    }
}

