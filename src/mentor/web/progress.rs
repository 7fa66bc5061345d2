//! What the progress page and the team page show: the 12-week balance against the stage's
//! target, a year of weekly activity with pauses and holidays, the streak, the stage's focus
//! and the latest review; and a team's aggregates, under the same rule as the chat.

use chrono::{DateTime, Duration, NaiveDate};

use crate::content::Stage;
use crate::error::Result;

use super::super::team_view::SMALLEST_GROUP;
use super::super::{Mentor, chart, streak};
use super::Visitor;

/// Weeks in the activity map.
pub const YEAR_WEEKS: i64 = 52;
const WEEK: i64 = 7 * 24 * 3600;

/// One week of the activity map (Monday to Sunday, UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekCell {
    pub monday: NaiveDate,
    pub entries: i64,
    /// The member paused their nudges, or their team was on holiday, for part of the week.
    pub paused: bool,
}

#[derive(Clone, Debug)]
pub struct Progress {
    pub stage: Stage,
    /// The stage was not chosen: the first stage stands in.
    pub stage_chosen: bool,
    pub weeks: Vec<chart::Week>,
    pub year: Vec<WeekCell>,
    pub streak: u32,
    pub streak_text: String,
    /// The latest review (`/review`): when, and its Markdown.
    pub review: Option<(String, String)>,
}

/// A team's aggregates for its leader; `None` parts are hidden because too few took part.
#[derive(Clone, Debug)]
pub struct TeamDashboard {
    pub workspace: String,
    pub members: usize,
    /// Members who wrote, per week, oldest first (12 weeks); empty when the team is too small.
    pub per_week: Vec<i64>,
    pub week_labels: Vec<String>,
    /// Leadership share of the team's entries over 12 weeks, against its stages' target.
    pub leadership_share: Option<f64>,
    pub target_leadership: f64,
    pub challenges: (i64, i64, i64),
    /// (round date, members paired) over 12 weeks.
    pub rounds: Vec<(String, i64)>,
}

impl TeamDashboard {
    pub fn too_small(&self) -> bool {
        self.members < SMALLEST_GROUP
    }
}

fn monday_of_week(week: i64) -> NaiveDate {
    // Week numbers count Monday-to-Sunday UTC weeks from the Monday before 1 January 1970.
    DateTime::from_timestamp(week * WEEK - 3 * 24 * 3600, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

fn week_number(at: i64) -> i64 {
    (at + 3 * 24 * 3600) / WEEK
}

impl Mentor {
    pub async fn web_progress(&self, visitor: &Visitor) -> Result<Progress> {
        let member = &visitor.member;
        let stage = self.stage_of(Some(member)).clone();
        let now = self.now().timestamp();
        let this_week = week_number(now);
        let first = this_week - YEAR_WEEKS + 1;
        let zone = self.member_zone(member.id).await?;
        // Independent reads, so they run side by side on the pool's connections.
        let store = &self.store;
        let since = self.streak_since();
        let (sums, streak_inputs, notes) = tokio::try_join!(
            async { Ok::<_, crate::error::Error>(store.weekly_mix_since(member.id, first).await?) },
            async { Ok(store.streak_inputs(member.id, since).await?) },
            async { Ok(store.coach_notes(member.id).await?) },
        )?;
        let (streak, pauses) = self.streak_of(&streak_inputs, zone);
        let year: Vec<WeekCell> = (first..=this_week)
            .map(|week| {
                let (management, leadership) = sums
                    .iter()
                    .find(|(w, _, _)| *w == week)
                    .map_or((0, 0), |(_, m, l)| (*m, *l));
                let start = week * WEEK - 3 * 24 * 3600;
                WeekCell {
                    monday: monday_of_week(week),
                    entries: management + leadership,
                    paused: pauses
                        .iter()
                        .any(|(from, until)| *from < start + WEEK && *until > start),
                }
            })
            .collect();
        let weeks = sums
            .iter()
            .filter(|(week, _, _)| *week > this_week - chart::WEEKS as i64)
            .fold(self.empty_weeks(this_week), |mut weeks, (week, m, l)| {
                let index = (week - (this_week - chart::WEEKS as i64 + 1)) as usize;
                if let Some(slot) = weeks.get_mut(index) {
                    slot.management = u32::try_from(*m).unwrap_or(0);
                    slot.leadership = u32::try_from(*l).unwrap_or(0);
                }
                weeks
            });
        let review = notes
            .into_iter()
            .filter(|note| note.kind == "review")
            .max_by_key(|note| note.created_at)
            .map(|note| (super::super::log::day(note.created_at), note.text));
        Ok(Progress {
            stage_chosen: member.stage.is_some(),
            stage,
            weeks,
            year,
            streak,
            streak_text: streak::describe(streak),
            review,
        })
    }

    fn empty_weeks(&self, this_week: i64) -> Vec<chart::Week> {
        (0..chart::WEEKS as i64)
            .map(|back| this_week - (chart::WEEKS as i64 - 1) + back)
            .map(|week| chart::Week {
                label: monday_of_week(week).format("%-d %b").to_string(),
                management: 0,
                leadership: 0,
            })
            .collect()
    }

    /// The leader's view of `workspace` as data for charts; `None` when the visitor does not
    /// lead it (the page then says "not found").
    pub async fn web_team(
        &self,
        visitor: &Visitor,
        workspace: &str,
    ) -> Result<Option<TeamDashboard>> {
        if !visitor.leads(workspace) {
            return Ok(None);
        }
        let platform = visitor.member.platform;
        let stages = self.store.team_stages(platform, workspace).await?;
        let members = stages.len();
        let target_leadership = self.team_target_leadership(&stages);
        let now = self.now();
        let mut dashboard = TeamDashboard {
            workspace: workspace.to_string(),
            members,
            per_week: Vec::new(),
            week_labels: Vec::new(),
            leadership_share: None,
            target_leadership,
            challenges: (0, 0, 0),
            rounds: Vec::new(),
        };
        if members < SMALLEST_GROUP {
            return Ok(Some(dashboard));
        }
        let weeks = chart::WEEKS as i64;
        let (_, activity) = self
            .store
            .team_activity(platform, workspace, now.timestamp(), 4, weeks)
            .await?;
        if usize::try_from(activity.reflected).unwrap_or(0) >= SMALLEST_GROUP
            && activity.entries > 0
        {
            dashboard.leadership_share =
                Some(activity.leadership_entries as f64 * 100.0 / activity.entries as f64);
        }
        let this_week = week_number(now.timestamp());
        dashboard.week_labels = (0..activity.per_week.len() as i64)
            .map(|i| this_week - activity.per_week.len() as i64 + 1 + i)
            .map(|week| monday_of_week(week).format("%-d %b").to_string())
            .collect();
        dashboard.per_week = activity.per_week;
        let since = (now - Duration::weeks(weeks)).timestamp();
        let challenges = self
            .store
            .team_challenges(platform, workspace, since)
            .await?;
        dashboard.challenges = (challenges.run, challenges.joined, challenges.completed);
        dashboard.rounds = self
            .store
            .team_mentoring_rounds(platform, workspace, since)
            .await?
            .into_iter()
            // A round of one or two is as good as naming them.
            .filter(|(_, paired)| usize::try_from(*paired).unwrap_or(0) >= SMALLEST_GROUP)
            .map(|(at, paired)| (super::super::log::day(at), paired))
            .collect();
        Ok(Some(dashboard))
    }
}
