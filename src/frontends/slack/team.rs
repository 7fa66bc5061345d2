//! `/mentor team …`, `/mentor challenge …` and who leads a team on Slack: workspace admins,
//! and the members of the user group they choose.

use slack_morphism::prelude::*;

use crate::error::{Error as MentorError, Result as MentorResult};
use crate::mentor::{
    ChallengeAction, ChallengeCommand, Command, MemberRef, Place, Reply, TeamCommand, messages,
};

use super::handler::Handler;
use super::text::{as_typed, channel_id, is_channel_id};
use super::wording;

impl Handler {
    /// `/mentor team …`: the weekly question posted in a channel; workspace admins only.
    pub(super) async fn team(
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
    pub(super) async fn challenge(
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
    pub(super) async fn is_leader(&self, who: &MemberRef) -> MentorResult<bool> {
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
