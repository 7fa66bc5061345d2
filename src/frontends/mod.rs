//! Front ends: each turns platform input into a mentor call and the `Reply` into its own output.

pub mod discord;
pub mod terminal;

use std::future::Future;
use std::pin::Pin;

use crate::error::{Error, new_error_id};
use crate::mentor::{Reply, messages};

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<String, SendError>> + Send + 'a>>;

/// The outbound port the scheduler sends through; each front end implements it.
pub trait Messenger: Send + Sync {
    /// A direct message to a member (their id on the platform). `key` is unique to the
    /// delivery, so a platform that supports it can recognise a resend after a crash.
    /// Returns the platform's message id.
    fn send_direct<'a>(&'a self, user: &'a str, message: &'a Reply, key: &'a str)
    -> SendFuture<'a>;

    /// A post in a channel.
    fn post<'a>(&'a self, channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a>;
}

/// Why a message could not be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// The platform will not deliver to this member (Discord 50007): stop trying.
    Unreachable(String),
    /// Worth trying again later: a rate limit that outlasted our patience, a 5xx, the network.
    Transient(String),
    /// Will not work however often it is tried.
    Rejected(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Unreachable(why) => write!(f, "unreachable: {why}"),
            SendError::Transient(why) => write!(f, "temporary failure: {why}"),
            SendError::Rejected(why) => write!(f, "rejected: {why}"),
        }
    }
}

/// What the person sees for an error: their own mistake as written, or an apology with an id
/// that matches the log line holding the details.
pub fn error_text(error: &Error, doing: &str) -> String {
    match error {
        Error::User(message) => message.clone(),
        Error::Internal(internal) => {
            let error_id = new_error_id();
            tracing::error!(error_id = %error_id, "{doing}: {internal:#}");
            messages::internal_error(&error_id)
        }
    }
}
