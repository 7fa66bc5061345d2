//! The outbound port: how the scheduler hands a message to a platform. Front ends implement
//! [`Messenger`]; the scheduler only knows this trait, so it never depends on a front end.

mod pacer;

use std::future::Future;
use std::pin::Pin;

use crate::mentor::Reply;

pub use pacer::Pacer;

/// The platform's id for a message it accepted. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageId(String);

impl MessageId {
    /// `None` for an empty id: a platform that accepted a message always names it.
    pub fn new(id: impl Into<String>) -> Option<MessageId> {
        let id = id.into();
        (!id.trim().is_empty()).then_some(MessageId(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<MessageId, SendError>> + Send + 'a>>;

/// The outbound port the scheduler sends through; each front end implements it.
pub trait Messenger: Send + Sync {
    /// A direct message to a member (their id on the platform). `key` is unique to the
    /// delivery, so a platform that supports it can recognise a resend after a crash.
    fn send_direct<'a>(&'a self, user: &'a str, message: &'a Reply, key: &'a str)
    -> SendFuture<'a>;

    /// A post in a channel, owned by nobody: it carries no buttons.
    fn post<'a>(&'a self, channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a>;

    /// The message an earlier attempt with this `key` left on the platform, if any: asked
    /// before sending a delivery again whose earlier outcome is unknown (a timeout, a lease
    /// taken over from a process that died). A platform that recognises a resend by itself
    /// (Discord's nonce) needs no look.
    fn find_sent<'a>(&'a self, _to: Destination<'a>, _key: &'a str) -> FindFuture<'a> {
        Box::pin(async { Ok(None) })
    }
}

/// Where a message went: a member's direct messages, or a channel.
#[derive(Clone, Copy, Debug)]
pub enum Destination<'a> {
    Member(&'a str),
    Channel(&'a str),
}

pub type FindFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<MessageId>, SendError>> + Send + 'a>>;

/// Why a message could not be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// The platform will not deliver to this member (Discord 50007): stop trying.
    Unreachable(String),
    /// Worth trying again later: a rate limit that outlasted our patience, a 5xx, the network.
    Transient(String),
    /// The platform asked for this one message to wait (a per-route rate limit); not a failure.
    RateLimited(std::time::Duration),
    /// Will not work however often it is tried.
    Rejected(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Unreachable(why) => write!(f, "unreachable: {why}"),
            SendError::Transient(why) => write!(f, "temporary failure: {why}"),
            SendError::RateLimited(wait) => {
                write!(f, "rate limited for {:.1} s", wait.as_secs_f64())
            }
            SendError::Rejected(why) => write!(f, "rejected: {why}"),
        }
    }
}
