//! Slash commands and interactions, however they arrive (Socket Mode or HTTP): each is
//! acknowledged at once by the caller, then turned into a mentor call here and answered
//! through `response_url`, a modal, or the member's DM.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use slack_morphism::prelude::*;

use crate::content::Mode;
use crate::error::{Error as MentorError, Result as MentorResult};
use crate::frontends::error_text;
use crate::mentor::mentoring::MentoringAction;
use crate::mentor::words::shorten;
use crate::mentor::{Action, Command, MemberRef, Mentor, Place, Reply, messages};

use super::api::Api;
use super::blocks::{self, FORM_ID, MODE_BLOCK, MODE_INPUT, TEXT_BLOCK, TEXT_INPUT};
use super::text::{Request, as_typed, parse};
use super::wording;

/// Everything a command or an interaction needs, shared by both ways of connecting.
pub struct Handler {
    pub mentor: Mentor,
    pub api: Api,
    /// People seen since start-up, with their display names: `users.info` is asked once each.
    pub(super) known: Mutex<HashMap<String, String>>,
}

/// How long a lookup may hold up an answer Slack is waiting for.
pub(super) const QUICK_LOOKUP: std::time::Duration = std::time::Duration::from_secs(1);

impl Handler {
    pub fn new(mentor: Mentor, api: Api) -> Handler {
        Handler {
            mentor,
            api,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// Runs a slash command in the background; the caller acknowledges it at once.
    pub fn command(self: &Arc<Self>, event: SlackCommandEvent) {
        let handler = self.clone();
        tokio::spawn(async move { handler.run_command(event).await });
    }

    async fn run_command(&self, event: SlackCommandEvent) {
        let text = event.text.clone().unwrap_or_default();
        let (team, user) = (event.team_id.as_ref(), event.user_id.as_ref());
        let request = parse(event.command.as_ref(), &text);
        if let Ok(Request::Form) = request {
            // The trigger_id expires three seconds after the command: open the form first.
            let who = self.member_quickly(team, user).await;
            return self
                .open_form(&who, event.trigger_id.as_ref(), &event.response_url)
                .await;
        }
        let who = self.member(team, user).await;
        let typed = match request {
            Ok(Request::Form) => return,
            Ok(Request::Mentor(command)) => match *command {
                Command::Mentoring(mut mentoring) => {
                    let leads = matches!(mentoring.action, MentoringAction::Rounds { .. });
                    let leader = leads && self.is_leader(&who).await.unwrap_or(false);
                    mentoring.place = Place {
                        workspace: who.workspace.clone(),
                        channel: event.channel_id.to_string(),
                        leader,
                    };
                    Command::Mentoring(mentoring)
                }
                // A workspace's leaders get its leader's view on the web too.
                Command::Web { .. } => {
                    let leads = self.is_leader(&who).await.unwrap_or(false);
                    Command::Web {
                        teams: leads.then(|| who.workspace.clone()).into_iter().collect(),
                    }
                }
                command => command,
            },
            Ok(Request::Team(words)) => {
                let answer = self.team(&who, &event, &words).await;
                return self.answer(&who, &event.response_url, answer, None).await;
            }
            Ok(Request::Challenge(text)) => {
                let answer = self.challenge(&who, &event, &text).await;
                let typed = Some(as_typed(&text)).filter(|_| answer.is_err());
                return self.answer(&who, &event.response_url, answer, typed).await;
            }
            Ok(Request::Unknown) => {
                let mut help = self.mentor.handle(&who, Command::Help).await;
                if let Ok(reply) = &mut help {
                    reply.text = format!("{}\n{}", wording::UNKNOWN_SUBCOMMAND, reply.text);
                }
                return self.answer(&who, &event.response_url, help, None).await;
            }
            Err(error) => {
                return self
                    .answer(&who, &event.response_url, Err(error), None)
                    .await;
            }
        };
        let kept = match &typed {
            Command::Reflect {
                text: Some(text), ..
            } => Some(text.clone()),
            Command::Hat { situation } => Some(situation.clone()),
            _ => None,
        };
        let mut answer = self.mentor.handle(&who, typed).await;
        let later = answer.as_mut().ok().and_then(|reply| reply.later.take());
        self.answer(&who, &event.response_url, answer, kept).await;
        // The saved answer is shown first; the coach's question follows through the same URL.
        if let Some(later) = later
            && let Some(content) = self.answer_later(&who, later).await
            && let Err(error) = self.api.respond(&event.response_url, content, false).await
        {
            tracing::warn!("sending the coach's follow-up failed: {error}");
        }
    }

    /// Sends the answer to a command through its `response_url`, privately. A file goes to
    /// the member's DM. When typed text could not be saved, it is handed back.
    pub(super) async fn answer(
        &self,
        who: &MemberRef,
        response_url: &SlackResponseUrl,
        answer: MentorResult<Reply>,
        typed: Option<String>,
    ) {
        let content = match answer {
            Ok(mut reply) => {
                self.send_attachment(who, &mut reply).await;
                blocks::message(&reply, Some(&who.user))
            }
            Err(error) => {
                let text = error_text(&error, "slack command");
                match typed.filter(|t| !t.trim().is_empty()) {
                    Some(typed) => blocks::note_with_typed_text(&text, &typed),
                    None => blocks::note(&text),
                }
            }
        };
        if let Err(error) = self.api.respond(response_url, content, false).await {
            tracing::warn!("answering a Slack command failed: {error}");
        }
    }

    /// Uploads the reply's file (an export, a chart) to the member's DM and says so.
    async fn send_attachment(&self, who: &MemberRef, reply: &mut Reply) {
        let Some(file) = reply.attachment.take() else {
            return;
        };
        let title = match file.content_type {
            "image/png" => wording::CHART_TITLE.to_string(),
            _ => file.filename.clone(),
        };
        let sent = self
            .api
            .upload_to_dm(
                &who.user,
                &file.filename,
                file.content_type,
                file.data,
                &title,
            )
            .await;
        let note = match sent {
            Ok(()) => wording::FILE_IN_DM,
            Err(error) => {
                tracing::warn!("uploading a file to Slack failed: {error}");
                wording::FILE_FAILED
            }
        };
        reply.text = format!("{}\n\n{note}", reply.text);
    }

    /// Opens the reflection form showing this week's question.
    async fn open_form(&self, who: &MemberRef, trigger_id: &str, response_url: &SlackResponseUrl) {
        let opened = match self.mentor.current_prompt(who).await {
            Ok(prompt) => self
                .api
                .open_view(trigger_id, blocks::reflection_form(prompt.as_ref()))
                .await
                .map_err(|e| MentorError::Internal(anyhow::anyhow!("opening the form: {e}"))),
            Err(error) => Err(error),
        };
        if let Err(error) = opened {
            self.answer(who, response_url, Err(error), None).await;
        }
    }

    /// An interaction: a button runs in the background; a submitted form is saved at once,
    /// because its answer (close the form, or show an error in it) is the acknowledgement.
    pub async fn interaction(
        self: &Arc<Self>,
        event: SlackInteractionEvent,
    ) -> SlackInteractionResponse {
        match event {
            SlackInteractionEvent::BlockActions(press) => {
                let handler = self.clone();
                tokio::spawn(async move { handler.button(press).await });
                SlackInteractionResponse::Empty
            }
            SlackInteractionEvent::ViewSubmission(submit) => {
                let (answer, confirmation) = self.form(submit).await;
                if let Some((who, content, later)) = confirmation {
                    let handler = self.clone();
                    tokio::spawn(async move {
                        handler.confirm_by_dm(&who.user, content).await;
                        if let Some(later) = later
                            && let Some(content) = handler.answer_later(&who, later).await
                        {
                            handler.confirm_by_dm(&who.user, content).await;
                        }
                    });
                }
                answer
            }
            other => {
                tracing::debug!("ignoring a Slack interaction: {:?}", kind_of(&other));
                SlackInteractionResponse::Empty
            }
        }
    }

    /// A button: only its owner may press it; the answer replaces the message in place.
    async fn button(&self, press: SlackInteractionBlockActionsEvent) {
        if press.response_url.is_none() && matches!(press.view, Some(SlackView::Home(_))) {
            return self.home_button(press).await;
        }
        let (Some(user), Some(response_url)) = (&press.user, &press.response_url) else {
            return;
        };
        let who = self
            .member_quickly(press.team.id.as_ref(), user.id.as_ref())
            .await;
        let pressed = press.actions.as_deref().unwrap_or_default().first();
        let action = pressed.and_then(|a| Action::from_id(a.action_id.as_ref()));
        let owner = pressed.and_then(|a| a.value.as_deref());
        let refusal = match (action, owner) {
            (None, _) | (_, None) => Some(messages::STALE_BUTTON),
            (Some(_), Some(owner)) if owner != who.user => Some(messages::NOT_YOUR_BUTTON),
            _ => None,
        };
        if let Some(refusal) = refusal {
            let _ = self
                .api
                .respond(response_url, blocks::note(refusal), false)
                .await;
            return;
        }
        let Some(action) = action else { return };
        if action == Action::AnswerPrompt {
            return self
                .open_form(&who, press.trigger_id.as_ref(), response_url)
                .await;
        }
        if let Action::AnswerFollowUp(entry) = action {
            let trigger = press.trigger_id.as_ref();
            return self
                .open_answer_form(&who, entry, trigger, response_url)
                .await;
        }
        if let Action::ShareTip(_) = action {
            let channel = press.channel.as_ref().map(|c| c.id.to_string());
            return self.share(&who, action, channel, response_url).await;
        }
        let content = match self.mentor.press(&who, action).await {
            Ok(reply) => blocks::message(&reply, Some(&who.user)),
            Err(error) => blocks::note(&error_text(&error, "slack button")),
        };
        if let Err(error) = self.api.respond(response_url, content, true).await {
            tracing::warn!("answering a Slack button failed: {error}");
        }
    }

    /// A submitted reflection form. Saved: the form closes and the answer comes by DM. Not
    /// saved: the form stays open with the reason under the text, so nothing typed is lost.
    async fn form(
        &self,
        submit: SlackInteractionViewSubmissionEvent,
    ) -> (
        SlackInteractionResponse,
        Option<(MemberRef, SlackMessageContent, Option<crate::mentor::Later>)>,
    ) {
        let callback = match &submit.view.view {
            SlackView::Modal(modal) => modal.callback_id.as_ref().map(|id| id.to_string()),
            _ => None,
        };
        let answering: Option<i64> = callback
            .as_deref()
            .and_then(|id| id.strip_prefix(blocks::ANSWER_FORM_PREFIX))
            .and_then(|entry| entry.parse().ok());
        if callback.as_deref() != Some(FORM_ID) && answering.is_none() {
            return (SlackInteractionResponse::Empty, None);
        }
        let values = submit
            .view
            .state_params
            .state
            .as_ref()
            .map(|state| &state.values);
        let input = |block: &str, action: &str| {
            values
                .and_then(|v| v.get(&block.into()))
                .and_then(|b| b.get(&action.into()))
                .and_then(|value| value.value.clone())
                .unwrap_or_default()
        };
        let text = input(TEXT_BLOCK, TEXT_INPUT);
        let typed_mode = input(MODE_BLOCK, MODE_INPUT);
        let mode = Mode::parse(&typed_mode);
        if mode.is_none() && !typed_mode.trim().is_empty() {
            return (
                form_error(MODE_BLOCK, &messages::unknown_mode(&typed_mode)),
                None,
            );
        }
        let who = self
            .member_quickly(submit.team.id.as_ref(), submit.user.id.as_ref())
            .await;
        let command = match answering {
            Some(entry) => Command::Answer { entry, text },
            None => Command::Reflect {
                text: Some(text),
                mode,
            },
        };
        match self.mentor.handle(&who, command).await {
            Ok(mut reply) => {
                let later = reply.later.take();
                reply.text = format!("{}\n{}", wording::SAVED_FROM_FORM, reply.text);
                let content = blocks::message(&reply, Some(&who.user));
                let close =
                    SlackViewSubmissionResponse::Clear(SlackViewSubmissionClearResponse::new());
                (
                    SlackInteractionResponse::ViewSubmission(close),
                    Some((who, content, later)),
                )
            }
            Err(error) => (
                form_error(TEXT_BLOCK, &error_text(&error, "slack reflection form")),
                None,
            ),
        }
    }

    pub(super) async fn confirm_by_dm(&self, user: &str, content: SlackMessageContent) {
        let sent = async {
            let channel = self.api.dm_channel(user).await?;
            self.api.post(&channel, content).await
        };
        if let Err(error) = sent.await {
            tracing::warn!("confirming a saved reflection by DM failed: {error}");
        }
    }
}

fn form_error(block: &str, text: &str) -> SlackInteractionResponse {
    let errors = HashMap::from([(block.to_string(), shorten(text, 150))]);
    SlackInteractionResponse::ViewSubmission(SlackViewSubmissionResponse::Errors(
        SlackViewSubmissionErrorsResponse::new(errors),
    ))
}

fn kind_of(event: &SlackInteractionEvent) -> &'static str {
    match event {
        SlackInteractionEvent::BlockActions(_) => "block_actions",
        SlackInteractionEvent::BlockSuggestion(_) => "block_suggestion",
        SlackInteractionEvent::DialogSubmission(_) => "dialog_submission",
        SlackInteractionEvent::MessageAction(_) => "message_action",
        SlackInteractionEvent::Shortcut(_) => "shortcut",
        SlackInteractionEvent::ViewSubmission(_) => "view_submission",
        SlackInteractionEvent::ViewClosed(_) => "view_closed",
    }
}
