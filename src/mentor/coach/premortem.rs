//! `/premortem <project>`: imagine the project failed, name the likeliest reasons, choose one
//! to act on this week. With the coach, the model proposes the reasons from what the member
//! wrote; without it, the questions in `prompts/coach.toml` guide them. Either way the
//! exercise is saved to the log as a leadership entry.

use crate::coach::clean;
use crate::content::Mode;
use crate::error::{Error, Result};
use crate::store::{ModeSource, NewReflection};

use super::super::words::{clean_typed_text, defuse_mentions, shorten};
use super::super::{Action, ButtonStyle, MemberRef, Mentor, Reply, messages};
use super::stage_context;

/// The most reasons kept from the model, and the fewest that make an answer.
const REASONS: usize = 3;
const REASON_MAX: usize = 200;

impl Mentor {
    pub(in crate::mentor) async fn premortem(
        &self,
        who: &MemberRef,
        project: &str,
    ) -> Result<Reply> {
        let project = clean_typed_text(project);
        if project.is_empty() {
            return Err(Error::user(messages::PREMORTEM_USAGE));
        }
        let length = project.chars().count();
        if length > messages::PREMORTEM_MAX_CHARS {
            return Err(Error::user(messages::too_long(
                "project description",
                length,
                messages::PREMORTEM_MAX_CHARS,
            )));
        }
        let member = self.ensure_member(who).await?;
        let reasons = match self.coach_on_for(member.id).await? {
            true => self.likely_failures(&member, &project).await,
            false => None,
        };
        let premortem = &self.library.coach.premortem;
        let mut text = format!("Pre-mortem: {project}\n");
        let (heading, lines) = match &reasons {
            Some(reasons) => (messages::PREMORTEM_FROM_COACH, reasons.clone()),
            None => (messages::PREMORTEM_QUESTIONS, premortem.questions.clone()),
        };
        text.push_str(&format!("{heading}:\n"));
        let numbered: Vec<String> = lines
            .iter()
            .enumerate()
            .map(|(index, line)| format!("{}. {line}", index + 1))
            .collect();
        text.push_str(&numbered.join("\n"));
        text.push_str(&format!("\n{}", premortem.ask));
        let saved = self
            .store
            .add_reflection(
                member.id,
                &NewReflection {
                    prompt_id: None,
                    text: &text,
                    mode: Mode::Leadership,
                    mode_source: ModeSource::Stated,
                    created_at: self.now().timestamp(),
                },
            )
            .await?;
        self.store
            .add_coach_note(
                member.id,
                Some(saved.number),
                "follow_up",
                &premortem.ask,
                self.now().timestamp(),
            )
            .await?;
        Ok(Reply::new(
            format!(
                "Pre-mortem saved as entry #{} in your development log",
                saved.number
            ),
            format!(
                "{}\n\"{}\"",
                messages::PREMORTEM_INTRO,
                defuse_mentions(&shorten(&project, 300))
            ),
        )
        .private()
        .field(heading, numbered.join("\n"))
        .field(messages::PREMORTEM_ACT, premortem.ask.clone())
        .button(
            Action::AnswerFollowUp(saved.number),
            messages::ANSWER_LABEL,
            ButtonStyle::Primary,
        ))
    }

    /// The model's likeliest reasons the project fails, or `None` if it gave fewer than two.
    async fn likely_failures(
        &self,
        member: &crate::store::Member,
        project: &str,
    ) -> Option<Vec<String>> {
        let stage = self.stage_of(Some(member));
        let instruction = &self.library.coach.coach.premortem;
        let entries = vec![project.to_string()];
        let answer = self
            .consult(
                member,
                "premortem",
                instruction,
                stage_context(stage),
                entries,
                700,
                0.4,
            )
            .await?;
        let reasons: Vec<String> = clean::list_items(&answer)
            .into_iter()
            .take(REASONS)
            .map(|reason| shorten(&defuse_mentions(&reason), REASON_MAX))
            .collect();
        if reasons.len() < 2 {
            tracing::info!(
                task = "premortem",
                items = reasons.len(),
                "the coach's answer had too few reasons"
            );
            return None;
        }
        Some(reasons)
    }
}
