//! A member's dashboard in one reply, for Slack's App Home tab: stage, streak, this week's
//! question, the 12-week balance as text bars, the latest entries, and the way to the web.

use chrono::Duration;

use crate::error::Result;

use super::balance::{bar, with_bar};
use super::log::day;
use super::words::{defuse_mentions, shorten};
use super::{Action, ButtonStyle, MemberRef, Mentor, Reply, messages};

/// Entries shown on the home tab.
const LATEST: i64 = 3;

impl Mentor {
    pub async fn home(&self, who: &MemberRef) -> Result<Reply> {
        let member = self.ensure_member(who).await?;
        let stage = self.stage_of(Some(&member));
        let since = (self.now() - Duration::weeks(12)).timestamp();
        let twelve = self.store.mode_counts_since(member.id, since).await?;
        let streak = super::streak::describe(self.streak(member.id).await?);
        let question = match self.prompt_for(&member).await? {
            Some(prompt) => prompt.question,
            None => messages::HOME_ANSWERED.to_string(),
        };
        let target = i64::from(stage.target_leadership());
        let mut reply = Reply::new(
            messages::HOME_TITLE,
            messages::home_intro(&stage.name, &streak),
        )
        .private()
        .field(messages::HOME_QUESTION, question)
        .field("Last 12 weeks", with_bar(twelve))
        .field(
            "Target for your stage",
            format!(
                "{} {}% management · {target}% leadership",
                bar(target),
                stage.target_management
            ),
        );
        let latest = self.store.reflections_page(member.id, LATEST, 0).await?;
        let lines: Vec<String> = latest
            .iter()
            .map(|entry| {
                format!(
                    "#{} · {} · {}: {}",
                    entry.number,
                    day(entry.created_at),
                    entry.mode,
                    defuse_mentions(&shorten(&entry.text, 90))
                )
            })
            .collect();
        reply = reply.field(
            messages::HOME_LATEST,
            match lines.is_empty() {
                true => messages::LOG_EMPTY.to_string(),
                false => lines.join("\n"),
            },
        );
        reply = reply.button(
            Action::AnswerPrompt,
            messages::HOME_ANSWER_BUTTON,
            ButtonStyle::Primary,
        );
        if self.web_url.is_some() {
            reply = reply.button(
                Action::WebLink,
                messages::HOME_WEB_BUTTON,
                ButtonStyle::Secondary,
            );
        }
        Ok(reply)
    }
}
