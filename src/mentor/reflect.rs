//! Reflections: this week's prompt, and recording an answer (or a free-standing note) in the
//! member's development log. The entry is committed before the member is told it was saved.

use crate::calendar::{possible_week_starts, start_of_day, week_start};
use crate::content::{Mode, ReflectionPrompt};
use crate::error::{Error, Result};
use crate::store::{Member, ModeSource, NewReflection};

use super::balance::weaker_mode;
use super::words::{clean_typed_text, defuse_mentions, mix, shorten};
use super::{Action, ButtonStyle, Later, MemberRef, Mentor, Reply, messages, note_notices};

impl Mentor {
    /// This week's prompt for the member (weeks start on Monday in their time zone), chosen
    /// once per week: one they have not had yet (until the library is exhausted), leaning
    /// toward the weaker side of their balance. A follow-up prompt waits until its earlier
    /// prompt has an answer.
    pub async fn weekly_prompt(&self, member: &Member) -> Result<&ReflectionPrompt> {
        let zone = self.member_zone(member.id).await?;
        let week = week_start(self.now(), zone).to_string();
        if let Some(id) = self.store.chosen_prompt(member.id, &week).await?
            && let Some(prompt) = self.library.prompt(&id)
        {
            return Ok(prompt);
        }
        let history = self.store.prompt_history(member.id).await?;
        let answered = self.store.answered_prompts(member.id).await?;
        let stage = self.stage_of(Some(member));
        let lean = weaker_mode(self.recent_counts(member.id, 12).await?, stage);
        let askable: Vec<&ReflectionPrompt> = self
            .library
            .prompts
            .iter()
            .filter(|prompt| prompt.stages.contains(&stage.id))
            .filter(|prompt| {
                prompt
                    .follows_up
                    .as_ref()
                    .is_none_or(|earlier| answered.contains(earlier))
            })
            .collect();
        let unused: Vec<&ReflectionPrompt> = askable
            .iter()
            .copied()
            .filter(|prompt| !history.contains(&prompt.id))
            .collect();
        let pool = if unused.is_empty() {
            // Every prompt has been used: start again, avoiding the last one.
            askable
                .into_iter()
                .filter(|prompt| history.last() != Some(&prompt.id))
                .collect()
        } else {
            unused
        };
        let proposed = pool
            .into_iter()
            .min_by_key(|prompt| (Some(prompt.mode) != lean, mix(member.id, &prompt.id)))
            .or_else(|| self.library.prompts.first())
            .ok_or_else(|| anyhow::anyhow!("the library has no reflection prompts"))?;
        let chosen = self
            .store
            .weekly_prompt(member.id, &week, &proposed.id)
            .await?;
        Ok(self.library.prompt(&chosen).unwrap_or(proposed))
    }

    /// This week's prompt if the member has been shown it and has not answered it yet.
    /// A reflection written before seeing the prompt is a free-standing note.
    async fn open_prompt(&self, member: &Member) -> Result<Option<&ReflectionPrompt>> {
        let zone = self.zone_of(member).await?;
        let week = week_start(self.now(), zone);
        let since = start_of_day(week, zone).timestamp();
        let Some((id, answered)) = self
            .store
            .chosen_prompt_answered(member.id, &week.to_string(), since)
            .await?
        else {
            return Ok(None);
        };
        Ok(self.library.prompt(&id).filter(|_| !answered))
    }

    /// The member (created on first sight) and [`Self::open_prompt`], read together: the week
    /// depends on their zone, so the read asks about both weeks it may be anywhere.
    async fn member_and_open_prompt(
        &self,
        who: &MemberRef,
    ) -> Result<(Member, Option<&ReflectionPrompt>)> {
        let now = self.now();
        let (weeks, earliest) = possible_week_starts(now);
        let found = self
            .store
            .find_member_with_prompts(
                who.platform,
                &who.workspace,
                &who.user,
                [&weeks[0].to_string(), &weeks[1].to_string()],
                earliest.timestamp(),
            )
            .await?;
        let Some((member, chosen)) = found else {
            // Someone new has not been shown a prompt.
            return Ok((self.ensure_member(who).await?, None));
        };
        note_notices(who, &member);
        let zone = self.zone_of(&member).await?;
        let week = week_start(now, zone);
        if !weeks.contains(&week) {
            // Only a zone beyond UTC-12 or UTC+14 could get here.
            let prompt = self.open_prompt(&member).await?;
            return Ok((member, prompt));
        }
        let since = start_of_day(week, zone).timestamp();
        let week = week.to_string();
        let prompt = chosen
            .iter()
            .find(|chosen| chosen.week_start == week)
            .filter(|chosen| chosen.answered_at.is_none_or(|at| at < since))
            .and_then(|chosen| self.library.prompt(&chosen.prompt_id));
        Ok((member, prompt))
    }

    /// This week's prompt for the member, marked as shown; `None` once they have answered it.
    pub async fn current_prompt(&self, who: &MemberRef) -> Result<Option<ReflectionPrompt>> {
        let member = self.ensure_member(who).await?;
        self.prompt_for(&member).await
    }

    /// [`Self::current_prompt`] for a member already looked up.
    pub(super) async fn prompt_for(&self, member: &Member) -> Result<Option<ReflectionPrompt>> {
        self.weekly_prompt(member).await?;
        Ok(self.open_prompt(member).await?.cloned())
    }

    pub(super) async fn show_prompt(&self, who: &MemberRef) -> Result<Reply> {
        let member = self.ensure_member(who).await?;
        let Some(prompt) = self.prompt_for(&member).await? else {
            return Ok(Reply::new(
                "You have answered this week's prompt",
                "Nice work. You can still note anything else with /reflect followed by your text.",
            )
            .private());
        };
        let text = match self.earlier_answer(member.id, &prompt).await? {
            Some(earlier) => format!("{earlier}\n\n{}", prompt.question),
            None => prompt.question.clone(),
        };
        Ok(Reply::new("This week's reflection", text)
            .private()
            .field(
                "Answer",
                "Reply with /reflect followed by your answer. A few honest lines are plenty.",
            )
            .button(Action::AnswerPrompt, "Answer", ButtonStyle::Primary))
    }

    pub(super) async fn reflect(
        &self,
        who: &MemberRef,
        text: &str,
        stated: Option<Mode>,
        answering: Option<i64>,
    ) -> Result<Reply> {
        let text = clean_typed_text(text);
        if text.is_empty() {
            return Err(Error::user(messages::REFLECTION_EMPTY));
        }
        let length = text.chars().count();
        if length > messages::REFLECTION_MAX_CHARS {
            return Err(Error::user(messages::reflection_too_long(length)));
        }
        // An answer to a question about an earlier entry is not this week's answer.
        let (member, prompt) = match answering {
            Some(_) => (self.ensure_member(who).await?, None),
            None => self.member_and_open_prompt(who).await?,
        };
        let diagnosis = self.diagnose(&text);
        let (mode, source, mode_note) = match (stated, diagnosis.hat) {
            (Some(mode), _) => (mode, ModeSource::Stated, format!("{mode} (as you said)")),
            (None, Some(mode)) => {
                let cues: Vec<String> = diagnosis
                    .cues_for(mode)
                    .iter()
                    .take(4)
                    .map(|cue| format!("'{cue}'"))
                    .collect();
                (
                    mode,
                    ModeSource::Suggested,
                    format!(
                        "{mode}, suggested from {}. {}",
                        cues.join(", "),
                        messages::MODE_HINT
                    ),
                )
            }
            (None, None) => {
                let mode = prompt.map(|p| p.mode).unwrap_or(Mode::Leadership);
                (
                    mode,
                    ModeSource::Suggested,
                    format!(
                        "{mode}, a guess, since your words point both ways. {}",
                        messages::MODE_HINT
                    ),
                )
            }
        };
        let saved = self
            .store
            .add_reflection(
                member.id,
                &NewReflection {
                    prompt_id: prompt.map(|p| p.id.as_str()),
                    text: &text,
                    mode,
                    mode_source: source,
                    created_at: self.now().timestamp(),
                },
            )
            .await?;
        let (answered, follow_up) = match (answering, prompt) {
            (Some(entry), _) => (
                format!("{} #{entry}.", messages::ANSWERING_ENTRY),
                messages::FREE_FOLLOW_UP,
            ),
            (None, Some(prompt)) => (
                format!("Your answer to: {}", prompt.question),
                prompt.follow_up.as_str(),
            ),
            (None, None) => (
                "A free-standing note.".to_string(),
                messages::FREE_FOLLOW_UP,
            ),
        };
        let reply = Reply::new(
            format!("Saved as entry #{} in your development log", saved.number),
            answered,
        )
        .private()
        .field("You wrote", defuse_mentions(&shorten(&text, 300)))
        .field("Mode", mode_note);
        // An answer closes the exchange: no further question.
        if answering.is_some() {
            return Ok(reply);
        }
        if !self.coach_on_for(member.id).await? {
            return Ok(reply.field(messages::FOLLOW_UP_TITLE, follow_up));
        }
        // The coach's question comes in a second message, so the saved entry is never held up.
        let mut reply = reply.field("Your coach", messages::COACH_IS_READING);
        reply.later = Some(Later::FollowUp {
            entry: saved.number,
        });
        Ok(reply)
    }
}
