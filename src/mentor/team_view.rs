//! The leader's view of a team: how many reflect, week by week, the team's mix of management
//! and leadership against its stages' targets, and its challenges. Aggregates only, and only
//! for at least three members, so no one's entries or numbers can be read from it.

use chrono::Duration;

use crate::error::Result;
use crate::platform::Platform;
use crate::store::Durability;

use super::words::count_of;
use super::{MemberRef, Mentor, Reply, messages};

/// The smallest group an aggregate is shown for.
pub const SMALLEST_GROUP: usize = 3;

impl Mentor {
    /// Notes that the member uses mentorbot in this team (a Discord server, a Slack
    /// workspace), so the team's view counts them. Front ends note it with a member's first
    /// command in the team after every start, so it is not waited on the disk for.
    pub async fn seen_in_team(&self, who: &MemberRef, workspace: &str) -> Result<()> {
        let member = self.ensure_member(who).await?;
        self.store
            .seen_in_team(
                member.id,
                who.platform,
                workspace,
                self.now().timestamp(),
                Durability::Committed,
            )
            .await?;
        Ok(())
    }

    /// The role (Discord) or user group (Slack) whose members lead this team, if set.
    pub async fn leader_group(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> Result<Option<String>> {
        Ok(self.store.leader_group(platform, workspace).await?)
    }

    /// Sets the team's leader role or user group: for the team's managers, which front ends
    /// check by the platform's own permissions.
    pub async fn set_leader_group(
        &self,
        platform: Platform,
        workspace: &str,
        group: &str,
    ) -> Result<Reply> {
        self.store
            .set_leader_group(platform, workspace, Some(group))
            .await?;
        Ok(Reply::new(messages::LEADERS_TITLE, messages::LEADERS_SET).private())
    }

    /// The share of leadership the team's members aim for, on average, by their stages (a
    /// member without one counts as the first stage); 0 for nobody.
    pub(super) fn team_target_leadership(&self, stages: &[Option<String>]) -> f64 {
        if stages.is_empty() {
            return 0.0;
        }
        let sum: f64 = stages
            .iter()
            .map(|stage| {
                let stage = stage
                    .as_deref()
                    .and_then(|id| self.library.stage(id))
                    .unwrap_or_else(|| self.library.first_stage());
                f64::from(stage.target_leadership())
            })
            .sum();
        sum / stages.len() as f64
    }

    pub(super) async fn team_view(&self, platform: Platform, workspace: &str) -> Result<Reply> {
        let stages = self.store.team_stages(platform, workspace).await?;
        let members = stages.len();
        if members < SMALLEST_GROUP {
            return Ok(Reply::new(
                messages::TEAM_VIEW_TITLE,
                messages::team_view_too_small(members, SMALLEST_GROUP),
            )
            .private());
        }
        let target = self.team_target_leadership(&stages);
        let now = self.now();
        let mut reply = Reply::new(
            messages::TEAM_VIEW_TITLE,
            messages::team_view_intro(members, SMALLEST_GROUP),
        )
        .private();
        let (recent, longer) = self
            .store
            .team_activity(platform, workspace, now.timestamp(), 4, 12)
            .await?;
        for (weeks, activity) in [(4, &recent), (12, &longer)] {
            let mix = match usize::try_from(activity.reflected).unwrap_or(0) >= SMALLEST_GROUP
                && activity.entries > 0
            {
                true => messages::team_mix(
                    activity.leadership_entries as f64 * 100.0 / activity.entries as f64,
                    target,
                ),
                false => messages::team_mix_hidden(SMALLEST_GROUP),
            };
            reply = reply.field(
                messages::last_weeks(weeks),
                format!(
                    "{} · {} · {mix}",
                    messages::reflected_of(activity.reflected, members),
                    count_of(activity.entries, "entry", "entries"),
                ),
            );
        }
        let weekly = longer.per_week;
        let weeks: Vec<String> = weekly.iter().map(i64::to_string).collect();
        reply = reply.field(messages::TEAM_VIEW_WEEKS, weeks.join(" · "));
        let since = (now - Duration::weeks(12)).timestamp();
        let challenges = self
            .store
            .team_challenges(platform, workspace, since)
            .await?;
        reply = reply.field(
            messages::TEAM_VIEW_CHALLENGES,
            messages::team_challenges(challenges.run, challenges.joined, challenges.completed),
        );
        Ok(reply)
    }
}
