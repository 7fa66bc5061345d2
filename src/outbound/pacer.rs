//! Paces requests to a platform at a fixed rate, and holds every request back after a 429.

use std::time::Duration;

use tokio::time::Instant;

/// Spaces requests evenly at a fixed rate, and holds everyone back after a 429.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl Pacer {
    /// At most `requests_per_second` (clamped to 0.1–1000).
    pub fn new(requests_per_second: f64) -> Pacer {
        let interval = Duration::from_secs_f64(1.0 / requests_per_second.clamp(0.1, 1_000.0));
        Pacer {
            interval,
            next: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    /// Waits for the next free slot.
    pub async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        // Slots follow an ideal timetable, so a timer waking a little late costs nothing over
        // time (it would otherwise add up on every request); after an idle spell, start afresh.
        *next = if now.saturating_duration_since(*next) > self.interval * 10 {
            now + self.interval
        } else {
            *next + self.interval
        };
    }

    /// Holds every request back until `wait` has passed.
    pub async fn pause(&self, wait: Duration) {
        let mut next = self.next.lock().await;
        *next = (*next).max(Instant::now() + wait);
    }
}
