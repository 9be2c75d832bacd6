//! Where a bulk write's time goes (an import, its undo), logged for whoever tunes it:
//! `kehu bench-import` shows these lines.

use std::time::Instant;

pub struct Phases {
    last: Instant,
    done: Vec<(&'static str, u128)>,
}

impl Phases {
    pub fn start() -> Self {
        Phases { last: Instant::now(), done: Vec::new() }
    }

    /// Ends the phase under way, which was `name`; the next starts now.
    pub fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now.duration_since(self.last).as_millis()));
        self.last = now;
    }

    /// Logs `what`, then each phase's milliseconds.
    pub fn log(&self, what: &str) {
        let phases: Vec<String> = self.done.iter().map(|(name, ms)| format!("{name} {ms} ms")).collect();
        tracing::info!("{what}: {}", phases.join(", "));
    }
}
