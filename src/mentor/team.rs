//! The team question posted in a channel each week, and the team commands that route to the
//! leader's view, holidays and leaders.

use crate::calendar::WeeklyRule;
use crate::error::Result;
use crate::store::{NewTeamPrompt, TeamPrompt};

use super::nudge::parse_rule;
use super::words::mix;
use super::{MemberRef, Mentor, Notice, Reply, messages};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamCommand {
    Show {
        workspace: String,
    },
    Set {
        workspace: String,
        channel: String,
        day: String,
        time: String,
        zone: String,
    },
    Off {
        workspace: String,
    },
    /// The leader's view: aggregates over the team (front ends check leadership).
    View {
        workspace: String,
    },
    /// Sets the role or user group whose members lead the team (front ends check that the
    /// member manages the team).
    Leaders {
        workspace: String,
        group: String,
    },
    /// The team's holidays (front ends check leadership).
    Holiday {
        workspace: String,
        action: super::holidays::HolidayAction,
    },
}

impl Mentor {
    /// The weekly team question for a channel: a question to ask in the next meeting.
    pub fn team_message(&self, team: &TeamPrompt, due_at: i64) -> Result<Reply> {
        let week = due_at / (7 * 24 * 3600);
        let prompt = self
            .library
            .prompts
            .iter()
            .filter(|p| p.follows_up.is_none())
            .min_by_key(|p| mix(team.id.wrapping_mul(7919).wrapping_add(week), &p.id))
            .ok_or_else(|| anyhow::anyhow!("the library has no reflection prompts"))?;
        Ok(Reply::new(
            "This week's team question",
            format!("In your next meeting, ask: \"{}\"", prompt.question),
        )
        .field("Why", messages::TEAM_WHY))
    }

    pub(super) async fn team(&self, who: &MemberRef, command: TeamCommand) -> Result<Reply> {
        let now = self.now().timestamp();
        let platform = who.platform;
        match command {
            TeamCommand::Show { workspace } => {
                match self.store.team_prompt_in(platform, &workspace).await? {
                    Some(team) => Ok(team_reply("The team question", &team)),
                    None => Ok(Reply::new("The team question", messages::TEAM_NONE).private()),
                }
            }
            TeamCommand::Set {
                workspace,
                channel,
                day,
                time,
                zone,
            } => {
                let rule = parse_rule(&day, &time, Some(&zone), chrono_tz::UTC)?;
                let iso_day = i64::from(rule.weekday.number_from_monday());
                let team = self
                    .store
                    .set_team_prompt(
                        &NewTeamPrompt {
                            platform,
                            workspace: &workspace,
                            channel: &channel,
                            weekday: iso_day,
                            minute_of_day: rule.minute_of_day(),
                            timezone: rule.zone.name(),
                        },
                        now,
                    )
                    .await?;
                self.store.cancel_pending_team_posts(team.id).await?;
                Ok(team_reply("Team question set", &team))
            }
            TeamCommand::View { workspace } => self.team_view(platform, &workspace).await,
            TeamCommand::Leaders { workspace, group } => {
                self.set_leader_group(platform, &workspace, &group).await
            }
            TeamCommand::Holiday { workspace, action } => {
                self.holiday(platform, &workspace, action).await
            }
            TeamCommand::Off { workspace } => {
                let removed = self.store.remove_team_prompt(platform, &workspace).await?;
                let text = if removed {
                    "The weekly team question is off."
                } else {
                    messages::TEAM_NONE
                };
                Ok(Reply::new("The team question", text).private())
            }
        }
    }
}

fn team_reply(title: &str, team: &TeamPrompt) -> Reply {
    let when = WeeklyRule::from_stored(team.weekday, team.minute_of_day, &team.timezone)
        .map(|rule| rule.describe())
        .unwrap_or_default();
    Reply::new(title, messages::TEAM_POSTS)
        .private()
        .notice(Notice::TeamChannel(team.channel.clone()))
        .field("When", when)
}
