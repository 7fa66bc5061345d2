//! The coach in the mentor: off unless the operator configured a model and the member opted
//! in. What it is asked holds the member's own entries and the content library, nothing else;
//! what it answers is cleaned, checked and saved in the member's log, or replaced by the
//! ordinary answer when the model is slow, down or makes no sense.

mod premortem;
mod review;

use std::sync::Arc;

use chrono_tz::Tz;

use crate::coach::{Ask, Coach, clean};
use crate::content::{Mode, Stage};
use crate::error::{Error, Result};
use crate::store::{CoachCall, Member, Reflection};

use super::words::{defuse_mentions, shorten};
use super::{Action, ButtonStyle, Later, MemberRef, Mentor, Reply, messages};

/// The configured model and the daily number of calls each member may make.
#[derive(Debug)]
pub struct CoachPort {
    coach: Coach,
    daily_calls: i64,
}

/// `/coach`, `/coach on`, `/coach off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoachCommand {
    Status,
    On,
    Off,
}

pub fn parse(rest: &str) -> Result<CoachCommand> {
    match rest.trim().to_lowercase().as_str() {
        "" | "status" | "show" => Ok(CoachCommand::Status),
        "on" => Ok(CoachCommand::On),
        "off" => Ok(CoachCommand::Off),
        _ => Err(Error::user(messages::COACH_USAGE)),
    }
}

/// The longest follow-up question shown.
const QUESTION_MAX: usize = 300;

impl Mentor {
    /// The same mentor with a model to coach with; each member may ask it `daily_calls` times
    /// a day (UTC).
    pub fn with_coach(mut self, coach: Coach, daily_calls: i64) -> Mentor {
        self.coach = Some(Arc::new(CoachPort {
            coach,
            daily_calls: daily_calls.max(1),
        }));
        self
    }

    /// The configured model, if any.
    pub fn coach(&self) -> Option<&Coach> {
        self.coach.as_ref().map(|port| &port.coach)
    }

    /// Whether the model is asked for this member: configured, and they opted in.
    pub(super) async fn coach_on_for(&self, member_id: i64) -> Result<bool> {
        if self.coach.is_none() {
            return Ok(false);
        }
        Ok(self.store.coach_enabled(member_id).await?)
    }

    pub(super) async fn coach_command(
        &self,
        who: &MemberRef,
        command: CoachCommand,
    ) -> Result<Reply> {
        let Some(port) = &self.coach else {
            return Ok(Reply::new("Your coach", messages::COACH_NOT_SET_UP).private());
        };
        let member = self.ensure_member(who).await?;
        let now = self.now().timestamp();
        let on = match command {
            CoachCommand::Status => self.store.coach_enabled(member.id).await?,
            CoachCommand::On => {
                self.store.set_coach(member.id, true, now).await?;
                true
            }
            CoachCommand::Off => {
                self.store.set_coach(member.id, false, now).await?;
                false
            }
        };
        let (title, text) = match (command, on) {
            (CoachCommand::On, _) => ("Your coach is on", messages::COACH_TURNED_ON),
            (CoachCommand::Off, _) => ("Your coach is off", messages::COACH_TURNED_OFF),
            (CoachCommand::Status, true) => ("Your coach is on", messages::COACH_WHAT_IS_SENT),
            (CoachCommand::Status, false) => ("Your coach is off", messages::COACH_WHAT_IS_SENT),
        };
        let switch = match on {
            true => "Turn it off with /coach off.",
            false => "Turn it on with /coach on.",
        };
        let whose = match port.coach.remote_allowed() {
            true => messages::COACH_REMOTE,
            false => messages::COACH_OWN_NETWORK,
        };
        let mut reply = Reply::new(title, text).private().field(
            "Where your words go",
            format!(
                "The model {} on {}. {whose}",
                port.coach.model(),
                port.coach.place()
            ),
        );
        if command != CoachCommand::Status {
            reply = reply.field("What is sent", messages::COACH_WHAT_IS_SENT);
        }
        Ok(reply.field("Switch", switch))
    }

    /// Carries out what a reply left for later, once the reply has been shown. `None` when
    /// there is nothing to add.
    pub async fn later(&self, who: &MemberRef, later: Later) -> Result<Option<Reply>> {
        let result = match later {
            Later::FollowUp { entry } => self.follow_up(who, entry).await,
            Later::SecondOpinion { situation } => self.second_opinion(who, &situation).await,
        };
        match result {
            // They asked to be forgotten while the model was answering: nothing to add.
            Err(Error::Internal(error)) if crate::store::is_about_a_forgotten_member(&error) => {
                Ok(None)
            }
            other => other,
        }
    }

    /// One follow-up question about entry `entry`, written by the model for what the member
    /// wrote, or the ordinary follow-up when the model gives none in time.
    async fn follow_up(&self, who: &MemberRef, entry: i64) -> Result<Option<Reply>> {
        let Some(member) = self.find_member(who).await? else {
            return Ok(None);
        };
        let Some(reflection) = self.store.reflection_by_number(member.id, entry).await? else {
            return Ok(None);
        };
        let asked = match self.coach_on_for(member.id).await? {
            true => self.ask_follow_up(&member, &reflection).await,
            false => None,
        };
        let reply = match asked {
            Some(question) => {
                self.store
                    .add_coach_note(
                        member.id,
                        Some(entry),
                        "follow_up",
                        &question,
                        self.now().timestamp(),
                    )
                    .await?;
                let title = format!("{} (entry #{entry})", messages::COACH_QUESTION_TITLE);
                Reply::new(title, question).field("From", messages::COACH_MARK)
            }
            None => Reply::new(
                format!("{} (entry #{entry})", messages::FOLLOW_UP_TITLE),
                self.ordinary_follow_up(&reflection),
            ),
        };
        Ok(Some(reply.private().button(
            Action::AnswerFollowUp(entry),
            messages::ANSWER_LABEL,
            ButtonStyle::Primary,
        )))
    }

    async fn ask_follow_up(&self, member: &Member, reflection: &Reflection) -> Option<String> {
        let stage = self.stage_of(Some(member));
        let mut context = stage_context(stage);
        context.push_str(&format!("\nThis entry's hat: {}.", reflection.mode));
        if let Some(prompt) = reflection
            .prompt_id
            .as_deref()
            .and_then(|id| self.library.prompt(id))
        {
            context.push_str(&format!("\nThey were answering: {}", prompt.question));
        }
        let instruction = &self.library.coach.coach.follow_up;
        let entries = vec![reflection.text.clone()];
        let answer = self
            .consult(member, "follow_up", instruction, context, entries, 500, 0.5)
            .await?;
        let question = clean::first_question(&answer)?;
        Some(shorten(&defuse_mentions(&question), QUESTION_MAX))
    }

    /// The question asked about entry `entry`, for the answer form: the coach's, or the
    /// ordinary follow-up.
    pub async fn question_about(&self, who: &MemberRef, entry: i64) -> Result<String> {
        let Some(member) = self.find_member(who).await? else {
            return Ok(messages::FREE_FOLLOW_UP.to_string());
        };
        if let Some(note) = self.store.coach_note(member.id, entry, "follow_up").await? {
            return Ok(note.text);
        }
        Ok(
            match self.store.reflection_by_number(member.id, entry).await? {
                Some(reflection) => self.ordinary_follow_up(&reflection),
                None => messages::FREE_FOLLOW_UP.to_string(),
            },
        )
    }

    fn ordinary_follow_up(&self, reflection: &Reflection) -> String {
        reflection
            .prompt_id
            .as_deref()
            .and_then(|id| self.library.prompt(id))
            .map(|prompt| prompt.follow_up.clone())
            .unwrap_or_else(|| messages::FREE_FOLLOW_UP.to_string())
    }

    /// When the hat model cannot tell: the coach's reading, marked as a second opinion.
    async fn second_opinion(&self, who: &MemberRef, situation: &str) -> Result<Option<Reply>> {
        let Some(member) = self.find_member(who).await? else {
            return Ok(None);
        };
        if !self.coach_on_for(member.id).await? {
            return Ok(None);
        }
        let stage = self.stage_of(Some(&member));
        let instruction = &self.library.coach.coach.hat;
        let entries = vec![situation.to_string()];
        let Some(answer) = self
            .consult(
                &member,
                "hat",
                instruction,
                stage_context(stage),
                entries,
                400,
                0.2,
            )
            .await
        else {
            return Ok(None);
        };
        let first_line = answer.lines().next().unwrap_or("");
        let (word, why) = first_line.split_once(':').unwrap_or((first_line, ""));
        let word = word.trim().trim_matches(['*', '"', '\'']);
        let Some(mode) = Mode::parse(word) else {
            tracing::info!(task = "hat", "the coach's answer named no hat");
            return Ok(None);
        };
        let why = shorten(&defuse_mentions(why.trim()), 300);
        if why.split_whitespace().count() < 3 {
            tracing::info!(task = "hat", "the coach's answer gave no reason");
            return Ok(None);
        }
        let text = format!("{mode}: {why}");
        self.store
            .add_coach_note(member.id, None, "hat", &text, self.now().timestamp())
            .await?;
        Ok(Some(
            Reply::new(messages::SECOND_OPINION_TITLE, text)
                .private()
                .field("About this", messages::SECOND_OPINION_MARK),
        ))
    }

    /// Asks the model for `member`, within their daily quota; counts the call (numbers only)
    /// and logs its latency. `None` on any failure: the caller answers without the model.
    #[allow(clippy::too_many_arguments)]
    async fn consult(
        &self,
        member: &Member,
        task: &'static str,
        instruction: &str,
        context: String,
        entries: Vec<String>,
        max_tokens: u32,
        temperature: f32,
    ) -> Option<String> {
        let port = self.coach.as_ref()?;
        let day = self.now().format("%Y-%m-%d").to_string();
        match self.store.coach_calls_on(member.id, &day).await {
            Ok(calls) if calls >= port.daily_calls => {
                tracing::info!(task, calls, "the member's daily coach calls are used up");
                return None;
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!("reading coach calls: {error:#}");
                return None;
            }
        }
        let ask = Ask {
            member: member.id,
            system: self.library.coach.coach.system.clone(),
            instruction: instruction.to_string(),
            context,
            entries,
            max_tokens,
            temperature,
        };
        let started = std::time::Instant::now();
        let result = port.coach.ask(&ask).await;
        let call = match &result {
            Ok(answer) => CoachCall {
                failed: false,
                prompt_tokens: answer.prompt_tokens,
                completion_tokens: answer.completion_tokens,
                latency_ms: answer.latency.as_millis() as i64,
            },
            Err(failure) => {
                tracing::warn!(
                    task,
                    failure = failure.kind(),
                    latency_ms = started.elapsed().as_millis() as u64,
                    "the coach gave no answer: {failure}"
                );
                CoachCall {
                    failed: true,
                    latency_ms: started.elapsed().as_millis() as i64,
                    ..CoachCall::default()
                }
            }
        };
        let reached_the_model = !matches!(
            result,
            Err(crate::coach::Failure::MemberBusy | crate::coach::Failure::Full)
        );
        if reached_the_model
            && let Err(error) = self.store.count_coach_call(member.id, &day, call).await
        {
            tracing::warn!("counting a coach call: {error:#}");
        }
        let answer = result.ok()?;
        tracing::info!(
            task,
            latency_ms = call.latency_ms,
            prompt_tokens = call.prompt_tokens,
            completion_tokens = call.completion_tokens,
            "the coach answered"
        );
        Some(answer.text)
    }
}

/// The stage's facts the model may use: its name, target mix and focus.
fn stage_context(stage: &Stage) -> String {
    format!(
        "Stage: {}. Target mix: {}% management, {}% leadership.\nManagement focus at this stage: {}\nLeadership focus at this stage: {}",
        stage.name,
        stage.target_management,
        stage.target_leadership(),
        stage.management_focus,
        stage.leadership_focus
    )
}

/// An entry as the model and the review show it: `#N (YYYY-MM-DD, mode): text`.
fn entry_line(reflection: &Reflection, zone: Tz) -> String {
    format!(
        "#{} ({}, {}): {}",
        reflection.number,
        date_of(reflection.created_at, zone),
        reflection.mode,
        reflection.text.replace('\n', " ")
    )
}

fn date_of(timestamp: i64, zone: Tz) -> String {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .map(|at| at.with_timezone(&zone).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
