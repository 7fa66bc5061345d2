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
use crate::mentor::{
    Action, ChallengeAction, ChallengeCommand, Command, MemberRef, Mentor, Place, Reply,
    TeamCommand, messages,
};
use crate::platform::Platform;

use super::api::Api;
use super::blocks::{self, FORM_ID, MODE_BLOCK, MODE_INPUT, TEXT_BLOCK, TEXT_INPUT};
use super::wording;

/// Everything a command or an interaction needs, shared by both ways of connecting.
pub struct Handler {
    pub mentor: Mentor,
    pub api: Api,
    /// People seen since start-up, with their display names: `users.info` is asked once each.
    known: Mutex<HashMap<String, String>>,
}

/// How long a lookup may hold up an answer Slack is waiting for.
const QUICK_LOOKUP: std::time::Duration = std::time::Duration::from_secs(1);

/// What a Slack command asks for.
#[derive(Debug, PartialEq)]
enum Request {
    Mentor(Box<Command>),
    /// `/reflect` or `/mentor reflect` with no text: the reflection form.
    Form,
    Team(Vec<String>),
    /// `/mentor challenge …`, as Slack sent it (a channel mention still encoded).
    Challenge(String),
    /// `/mentor` with a subcommand it does not know: the help, with a word about why.
    Unknown,
}

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
        let answer = self.mentor.handle(&who, typed).await;
        self.answer(&who, &event.response_url, answer, kept).await;
    }

    /// Sends the answer to a command through its `response_url`, privately. A file goes to
    /// the member's DM. When typed text could not be saved, it is handed back.
    async fn answer(
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
                if let Some((user, content)) = confirmation {
                    let handler = self.clone();
                    tokio::spawn(async move { handler.confirm_by_dm(&user, content).await });
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
        Option<(String, SlackMessageContent)>,
    ) {
        let callback = match &submit.view.view {
            SlackView::Modal(modal) => modal.callback_id.as_ref().map(|id| id.to_string()),
            _ => None,
        };
        if callback.as_deref() != Some(FORM_ID) {
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
        let command = Command::Reflect {
            text: Some(text),
            mode,
        };
        match self.mentor.handle(&who, command).await {
            Ok(mut reply) => {
                reply.text = format!("{}\n{}", wording::SAVED_FROM_FORM, reply.text);
                let content = blocks::message(&reply, Some(&who.user));
                let close =
                    SlackViewSubmissionResponse::Clear(SlackViewSubmissionClearResponse::new());
                (
                    SlackInteractionResponse::ViewSubmission(close),
                    Some((who.user, content)),
                )
            }
            Err(error) => (
                form_error(TEXT_BLOCK, &error_text(&error, "slack reflection form")),
                None,
            ),
        }
    }

    async fn confirm_by_dm(&self, user: &str, content: SlackMessageContent) {
        let sent = async {
            let channel = self.api.dm_channel(user).await?;
            self.api.post(&channel, content).await
        };
        if let Err(error) = sent.await {
            tracing::warn!("confirming a saved reflection by DM failed: {error}");
        }
    }

    /// The member behind a Slack user id. The first time a person is seen, their name and time
    /// zone come from `users.info`, and a new member's nudges start in that zone. A failed
    /// lookup is not remembered, so it is tried again next time.
    async fn member(&self, team: &str, user: &str) -> MemberRef {
        let key = format!("{team}/{user}");
        let known = self
            .known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        if let Some(name) = known {
            return MemberRef::new(Platform::Slack, team, user, &name);
        }
        let person = match self.api.person(user).await {
            Ok(person) => person,
            Err(error) => {
                tracing::warn!("looking up a Slack user failed: {error}");
                return MemberRef::new(Platform::Slack, team, user, user);
            }
        };
        let name = person.name.clone().unwrap_or_else(|| user.to_string());
        let who = MemberRef::new(Platform::Slack, team, user, &name);
        if let Some(zone) = &person.zone
            && let Err(error) = self.mentor.adopt_zone(&who, zone).await
        {
            tracing::warn!("adopting a Slack time zone failed: {error:#}");
        }
        if let Err(error) = self.mentor.seen_in_team(&who, team).await {
            tracing::warn!("noting a member's workspace failed: {error:#}");
        }
        self.known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, name);
        who
    }

    /// [`Self::member`] within a second, for answers Slack waits for (a form's submission, a
    /// `trigger_id` that expires after three seconds); slower lookups are left for next time.
    async fn member_quickly(&self, team: &str, user: &str) -> MemberRef {
        match tokio::time::timeout(QUICK_LOOKUP, self.member(team, user)).await {
            Ok(who) => who,
            Err(_) => MemberRef::new(Platform::Slack, team, user, user),
        }
    }

    /// `/mentor team …`: the weekly question posted in a channel; workspace admins only.
    async fn team(
        &self,
        who: &MemberRef,
        event: &SlackCommandEvent,
        words: &[String],
    ) -> MentorResult<Reply> {
        let workspace = who.workspace.clone();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let command = match words.as_slice() {
            [] | ["show"] => TeamCommand::Show { workspace },
            ["view"] => TeamCommand::View { workspace },
            ["holiday" | "holidays", rest @ ..] => TeamCommand::Holiday {
                workspace,
                action: crate::mentor::holidays::parse(rest)?,
            },
            ["off"] => TeamCommand::Off { workspace },
            ["set", rest @ ..] => {
                let (channel, rest) = match rest.split_first() {
                    Some((first, after)) if first.starts_with("<#") => {
                        (channel_id(first).ok_or_else(team_usage)?, after)
                    }
                    _ => (event.channel_id.to_string(), rest),
                };
                if !is_channel_id(&channel) {
                    return Err(MentorError::user(wording::TEAM_IN_DM));
                }
                let [day, time, zone] = rest else {
                    return Err(team_usage());
                };
                TeamCommand::Set {
                    workspace,
                    channel,
                    day: day.to_string(),
                    time: time.to_string(),
                    zone: zone.to_string(),
                }
            }
            _ => return Err(team_usage()),
        };
        let anyone_may = matches!(
            command,
            TeamCommand::Show { .. }
                | TeamCommand::Holiday {
                    action: crate::mentor::holidays::HolidayAction::List,
                    ..
                }
        );
        let leaders_may = matches!(
            command,
            TeamCommand::View { .. } | TeamCommand::Holiday { .. }
        );
        if leaders_may && !anyone_may {
            if !self.is_leader(who).await? {
                return Err(MentorError::user(messages::TEAM_VIEW_LEADERS_ONLY));
            }
        } else if !anyone_may {
            let person = self.api.person(&who.user).await.map_err(|e| {
                MentorError::Internal(anyhow::anyhow!("checking a Slack admin: {e}"))
            })?;
            if !person.admin {
                let refusal = match command {
                    TeamCommand::View { .. } => messages::TEAM_VIEW_LEADERS_ONLY,
                    _ => wording::TEAM_ADMIN_ONLY,
                };
                return Err(MentorError::user(refusal));
            }
        }
        let is_set = matches!(command, TeamCommand::Set { .. });
        let mut reply = self.mentor.handle(who, Command::Team(command)).await?;
        if is_set {
            reply.text = format!("{}\n{}", reply.text, wording::TEAM_PRIVATE_CHANNEL);
        }
        Ok(reply)
    }
}

impl Handler {
    /// `/mentor challenge …`: a channel mention names where a new challenge posts; only
    /// workspace admins start or end one.
    async fn challenge(
        &self,
        who: &MemberRef,
        event: &SlackCommandEvent,
        text: &str,
    ) -> MentorResult<Reply> {
        let mut channel = None;
        let words: Vec<&str> = text
            .split_whitespace()
            .filter(|word| match channel_id(word) {
                Some(id) if channel.is_none() => {
                    channel = Some(id);
                    false
                }
                _ => true,
            })
            .collect();
        if words
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("leaders"))
        {
            return self.set_leaders(who, &words[1..]).await;
        }
        let mut action = crate::mentor::challenge::parse(&as_typed(&words.join(" ")))?;
        if let ChallengeAction::Start(start) = &mut action {
            start.channel = channel;
        }
        let leads = matches!(action, ChallengeAction::Start(_) | ChallengeAction::End(_));
        let leader = leads && self.is_leader(who).await?;
        let place = Place {
            workspace: who.workspace.clone(),
            channel: event.channel_id.to_string(),
            leader,
        };
        let command = ChallengeCommand { place, action };
        self.mentor.handle(who, Command::Challenge(command)).await
    }
}

impl Handler {
    /// A workspace admin or owner, or a member of the user group set with
    /// `/mentor challenge leaders`.
    async fn is_leader(&self, who: &MemberRef) -> MentorResult<bool> {
        let person =
            self.api.person(&who.user).await.map_err(|e| {
                MentorError::Internal(anyhow::anyhow!("checking a Slack admin: {e}"))
            })?;
        if person.admin {
            return Ok(true);
        }
        let Some(group) = self
            .mentor
            .leader_group(who.platform, &who.workspace)
            .await?
        else {
            return Ok(false);
        };
        let members = self.api.group_members(&group).await.map_err(|e| {
            MentorError::Internal(anyhow::anyhow!("reading the leaders' user group: {e}"))
        })?;
        Ok(members.contains(&who.user))
    }

    /// `/mentor challenge leaders @group`: workspace admins choose the leaders' user group.
    async fn set_leaders(&self, who: &MemberRef, words: &[&str]) -> MentorResult<Reply> {
        let group = words.first().and_then(|word| {
            let inner = word.strip_prefix("<!subteam^")?.strip_suffix('>')?;
            let id = inner.split('|').next()?;
            let plain = id.starts_with('S') && id.chars().all(|c| c.is_ascii_alphanumeric());
            plain.then(|| id.to_string())
        });
        let Some(group) = group else {
            return Err(MentorError::user(messages::LEADERS_USAGE));
        };
        let person =
            self.api.person(&who.user).await.map_err(|e| {
                MentorError::Internal(anyhow::anyhow!("checking a Slack admin: {e}"))
            })?;
        if !person.admin {
            return Err(MentorError::user(messages::LEADERS_MANAGERS_ONLY));
        }
        let command = TeamCommand::Leaders {
            workspace: who.workspace.clone(),
            group,
        };
        self.mentor.handle(who, Command::Team(command)).await
    }
}

fn team_usage() -> MentorError {
    MentorError::user(wording::TEAM_USAGE)
}

/// `C0123ABC` from Slack's escaped channel mention `<#C0123ABC|product>`.
fn channel_id(mention: &str) -> Option<String> {
    let inner = mention.strip_prefix("<#")?.strip_suffix('>')?;
    let id = inner.split('|').next()?;
    is_channel_id(id).then(|| id.to_string())
}

/// A public or private channel id (`C…`/`G…`): upper-case letters and digits only, so it can
/// be put in a link without escaping. A DM (`D…`) is not a team channel.
fn is_channel_id(id: &str) -> bool {
    (id.starts_with('C') || id.starts_with('G'))
        && (9..=20).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
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

/// Reads a Slack command: `/mentor <subcommand …>`, or the `/tip` and `/reflect` shortcuts.
fn parse(command: &str, text: &str) -> MentorResult<Request> {
    let text = text.trim();
    let line = match command.trim_start_matches('/') {
        "tip" => format!("tip {text}"),
        "reflect" => format!("reflect {text}"),
        _ => text.to_string(),
    };
    let first = line.split_whitespace().next().unwrap_or("").to_lowercase();
    let rest: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect();
    match first.as_str() {
        "" | "help" => Ok(Request::Mentor(Box::new(Command::Help))),
        // The team command reads Slack's channel mention (`<#C…|name>`) as it comes.
        "team" => Ok(Request::Team(rest)),
        "challenge" | "challenges" => Ok(Request::Challenge(rest.join(" "))),
        "tip" | "hat" | "stage" | "reflect" | "log" | "export" | "balance" | "nudge" | "forget"
        | "mentoring" => match crate::mentor::command::parse(&as_typed(&line))? {
            Command::Reflect { text: None, .. } => Ok(Request::Form),
            command => Ok(Request::Mentor(Box::new(command))),
        },
        _ => Ok(Request::Unknown),
    }
}

/// Slack's encoding of command text turned back into what the member typed: `&amp;`, `&lt;`
/// and `&gt;` decoded, and mentions (`<@U…|ana>`, `<#C…|product>`, `<!here>`) and links
/// (`<https://…|label>`) written as plain words, so the log keeps readable text.
fn as_typed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        let (target, label) = match inner.split_once('|') {
            Some((target, label)) => (target, Some(label)),
            None => (inner, None),
        };
        let plain = match (target.chars().next(), label) {
            (Some('@'), Some(label)) => format!("@{label}"),
            (Some('#'), Some(label)) => format!("#{label}"),
            (Some('!'), Some(label)) => label.to_string(),
            (Some('!'), None) => format!("@{}", target.trim_start_matches('!')),
            (_, Some(label)) => format!("{label} ({target})"),
            (_, None) => target.to_string(),
        };
        out.push_str(&plain);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_encoded_text_is_stored_as_typed() {
        assert_eq!(
            as_typed("told <@U0BO000002|bo> &amp; <!here> in <#C0PRODUCT1|product>"),
            "told @bo & @here in #product"
        );
        assert_eq!(as_typed("x &lt; y &gt; z"), "x < y > z");
        assert_eq!(
            as_typed("see <https://example.com|the doc>"),
            "see the doc (https://example.com)"
        );
        assert_eq!(
            as_typed("<!subteam^S123|@pms> and <unclosed"),
            "@pms and <unclosed"
        );
        assert_eq!(as_typed("&amp;lt;"), "&lt;");
    }

    #[test]
    fn mentor_subcommands_and_shortcuts() {
        assert_eq!(
            parse("/mentor", "tip storytelling").ok(),
            Some(Request::Mentor(Box::new(Command::Tip {
                query: Some("storytelling".into())
            })))
        );
        assert_eq!(
            parse("/tip", "storytelling").ok(),
            parse("/mentor", "tip storytelling").ok()
        );
        assert_eq!(parse("/reflect", "").ok(), Some(Request::Form));
        assert_eq!(parse("/mentor", "reflect").ok(), Some(Request::Form));
        assert_eq!(
            parse("/mentor", "").ok(),
            Some(Request::Mentor(Box::new(Command::Help)))
        );
        assert_eq!(parse("/mentor", "dance now").ok(), Some(Request::Unknown));
        assert_eq!(
            parse("/mentor", "team set monday 09:00 UTC").ok(),
            Some(Request::Team(vec![
                "set".into(),
                "monday".into(),
                "09:00".into(),
                "UTC".into()
            ]))
        );
        assert!(parse("/mentor", "log zero").is_err());
    }

    #[test]
    fn channel_mentions_are_read_strictly() {
        assert_eq!(channel_id("<#C0123ABCD|product>"), Some("C0123ABCD".into()));
        assert_eq!(channel_id("<#C0123ABCD>"), Some("C0123ABCD".into()));
        assert_eq!(channel_id("<#D0123ABCD>"), None);
        assert_eq!(channel_id("<#C01<!here>>"), None);
        assert_eq!(channel_id("#product"), None);
    }
}
