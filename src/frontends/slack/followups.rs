//! What the coach and sharing add to Slack's handler: the coach's question after a reply, the
//! form that answers it, and a tip shared with the channel.

use slack_morphism::prelude::*;

use crate::error::Error as MentorError;
use crate::frontends::error_text;
use crate::mentor::{Action, MemberRef};

use super::blocks;
use super::handler::Handler;
use super::wording;

impl Handler {
    /// What a reply left for later (the coach's follow-up question) as a message; `None`
    /// when there is nothing to add.
    pub(super) async fn answer_later(
        &self,
        who: &MemberRef,
        later: crate::mentor::Later,
    ) -> Option<SlackMessageContent> {
        match self.mentor.later(who, later).await {
            Ok(Some(reply)) => Some(blocks::message(&reply, Some(&who.user))),
            Ok(None) => None,
            Err(error) => Some(blocks::note(&error_text(&error, "slack follow-up"))),
        }
    }

    /// Opens the form answering the question asked about entry `entry`.
    pub(super) async fn open_answer_form(
        &self,
        who: &MemberRef,
        entry: i64,
        trigger_id: &str,
        response_url: &SlackResponseUrl,
    ) {
        let opened = match self.mentor.question_about(who, entry).await {
            Ok(question) => self
                .api
                .open_view(trigger_id, blocks::answer_form(entry, &question))
                .await
                .map_err(|e| MentorError::Internal(anyhow::anyhow!("opening the form: {e}"))),
            Err(error) => Err(error),
        };
        if let Err(error) = opened {
            self.answer(who, response_url, Err(error), None).await;
        }
    }

    /// Posts what the member chose to share (a tip) in the channel the button was pressed in,
    /// and tells them privately whether it went.
    pub(super) async fn share(
        &self,
        who: &MemberRef,
        action: Action,
        channel: Option<String>,
        response_url: &SlackResponseUrl,
    ) {
        let posted = match (self.mentor.press(who, action).await, channel) {
            (Ok(reply), Some(channel)) => self
                .api
                .post(&channel, blocks::message(&reply, None))
                .await
                .map_err(|error| tracing::warn!("sharing a tip failed: {error}")),
            (Ok(_), None) => Err(()),
            (Err(error), _) => {
                let note = blocks::note(&error_text(&error, "slack share"));
                let _ = self.api.respond(response_url, note, false).await;
                return;
            }
        };
        let said = match posted {
            Ok(_) => wording::SHARED,
            Err(()) => wording::NOT_SHARED,
        };
        if let Err(error) = self
            .api
            .respond(response_url, blocks::note(said), false)
            .await
        {
            tracing::warn!("answering a Slack share failed: {error}");
        }
    }
}
