//! Errors split in two: a person's mistake, shown to them as written, and everything else,
//! which is logged with context while the person sees only an apology and an error id.

use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the person can fix; the text is written for them.
    #[error("{0}")]
    User(String),
    /// Anything else; never shown to the person.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn user(message: impl Into<String>) -> Error {
        Error::User(message.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A short id that ties the apology a person sees to the log line with the details.
pub fn new_error_id() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("E{:05X}{:03X}", seconds & 0xF_FFFF, count & 0xFFF)
}
