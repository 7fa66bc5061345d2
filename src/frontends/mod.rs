//! Front ends: each turns platform input into a mentor call and the `Reply` into its own output.

pub mod discord;
pub mod slack;
pub mod terminal;
pub mod web;

use crate::error::{Error, new_error_id};
use crate::mentor::messages;

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
