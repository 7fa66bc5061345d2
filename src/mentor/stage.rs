//! Career stages: show the member's stage with its focus, target mix and next actions, or set it.

use crate::content::Stage;
use crate::error::{Error, Result};

use super::{MemberRef, Mentor, Reply, messages};

impl Mentor {
    pub(super) async fn stage(&self, who: &MemberRef) -> Result<Reply> {
        let member = self.find_member(who).await?;
        let stage = self.stage_of(member.as_ref());
        let chosen = member.as_ref().is_some_and(|member| member.stage.is_some());
        let intro = if chosen {
            "Your stage, and where to put your effort.".to_string()
        } else {
            format!(
                "You have not chosen a stage yet, so here is the first one. Choose yours with /stage set <stage>: {}.",
                self.stage_ids()
            )
        };
        Ok(stage_reply(
            format!("Your stage: {}", stage.name),
            intro,
            stage,
        ))
    }

    pub(super) async fn set_stage(&self, who: &MemberRef, query: &str) -> Result<Reply> {
        let query = super::words::clean_typed_text(query);
        let Some(stage) = self.library.stage(&query) else {
            return Err(Error::user(messages::unknown_stage(&query, &self.library)));
        };
        let member = self.ensure_member(who).await?;
        self.store.set_stage(member.id, &stage.id).await?;
        Ok(stage_reply(
            format!("Stage set: {}", stage.name),
            "Tips, prompts and your balance now follow this stage.".to_string(),
            stage,
        ))
    }

    fn stage_ids(&self) -> String {
        self.library
            .stages
            .iter()
            .map(|stage| stage.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn stage_reply(title: String, intro: String, stage: &Stage) -> Reply {
    let actions: Vec<String> = stage
        .next_actions
        .iter()
        .enumerate()
        .map(|(i, action)| format!("{}. {action}", i + 1))
        .collect();
    Reply::new(title, intro)
        .private()
        .field("Management focus", &stage.management_focus)
        .field("Leadership focus", &stage.leadership_focus)
        .field(
            "Target mix",
            format!(
                "{}% management · {}% leadership",
                stage.target_management,
                stage.target_leadership()
            ),
        )
        .field("Next actions", actions.join("\n"))
}
