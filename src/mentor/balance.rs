//! Balance: the mix of a member's management and leadership reflections against their
//! stage's target, and what would rebalance it.

use chrono::Duration;

use crate::content::{Mode, Stage};
use crate::error::Result;
use crate::store::ModeCounts;

use crate::calendar::week_start;

use super::words::mix;
use super::{Attachment, MemberRef, Mentor, Reply, chart};

/// How far (in percentage points) a mix may stray from the target and still be on target.
const TOLERANCE: i64 = 10;

/// Leadership share in percent, rounded; `None` without reflections.
pub fn leadership_share(counts: ModeCounts) -> Option<i64> {
    let total = counts.total();
    (total > 0).then(|| (counts.leadership * 100 + total / 2) / total)
}

/// The side of the work that lags the stage's target by more than the tolerance.
pub fn weaker_mode(counts: ModeCounts, stage: &Stage) -> Option<Mode> {
    let share = leadership_share(counts)?;
    let target = i64::from(stage.target_leadership());
    if share + TOLERANCE < target {
        Some(Mode::Leadership)
    } else if share > target + TOLERANCE {
        Some(Mode::Management)
    } else {
        None
    }
}

/// "3 management · 1 leadership (25% leadership)".
pub fn describe(counts: ModeCounts) -> String {
    match leadership_share(counts) {
        Some(share) => format!(
            "{} management · {} leadership ({share}% leadership)",
            counts.management, counts.leadership
        ),
        None => "no reflections".to_string(),
    }
}

/// A ten-block bar of the leadership share.
pub(super) fn bar(share: i64) -> String {
    let filled = ((share + 5) / 10).clamp(0, 10) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

impl Mentor {
    /// The member's counts over the last `weeks` weeks.
    pub(super) async fn recent_counts(&self, member_id: i64, weeks: i64) -> Result<ModeCounts> {
        let since = (self.now() - Duration::weeks(weeks)).timestamp();
        Ok(self.store.mode_counts_since(member_id, since).await?)
    }

    pub(super) async fn balance(&self, who: &MemberRef) -> Result<Reply> {
        let member = self.find_member(who).await?;
        let stage = self.stage_of(member.as_ref());
        // One read of the chart's twelve weeks serves the counts, the chart and the streak's
        // zone: each query is a round trip when the database is a server.
        let (written, zone) = match &member {
            Some(member) => {
                let since = (self.now() - Duration::weeks(chart::WEEKS as i64)).timestamp();
                (
                    self.store.modes_since(member.id, since).await?,
                    self.zone_of(member).await?,
                )
            }
            None => (Vec::new(), chrono_tz::UTC),
        };
        let four = self.counts_since(&written, 4);
        let twelve = self.counts_since(&written, 12);
        let target = i64::from(stage.target_leadership());
        let verdict = match (leadership_share(twelve), weaker_mode(twelve, stage)) {
            (None, _) => "No reflections in the last 12 weeks yet. Write one with /reflect and your balance starts here.".to_string(),
            (Some(share), None) => format!("You are on target: {share}% leadership against {target}% for your stage."),
            (Some(share), Some(Mode::Leadership)) => format!(
                "You are leaning on management: {share}% leadership against a target of {target}%. Time to lead a little more."
            ),
            (Some(share), Some(Mode::Management)) => format!(
                "You are leaning on leadership: {share}% leadership against a target of {target}%. Make sure delivery stays solid."
            ),
        };
        let mut reply = Reply::new(format!("Your balance as {}", stage.name), verdict)
            .private()
            .field("Last 4 weeks", with_bar(four))
            .field("Last 12 weeks", with_bar(twelve))
            .field(
                "Target for your stage",
                format!(
                    "{} {}% management · {}% leadership",
                    bar(target),
                    stage.target_management,
                    stage.target_leadership()
                ),
            );
        if member.as_ref().is_none_or(|member| member.stage.is_none()) {
            reply = reply.field(
                "Your stage",
                "Not set yet, so I used the first stage. Choose yours with /stage set.",
            );
        }
        if let Some(member) = &member {
            reply = reply.field(
                "Streak",
                super::streak::describe(self.streak_in(member.id, zone).await?),
            );
        }
        let suggestion = self.rebalancing_suggestion(
            member.as_ref().map(|m| m.id).unwrap_or(0),
            weaker_mode(twelve, stage),
            stage,
        );
        let weeks = self.weekly_mix_of(&written, zone);
        // A millisecond or two of drawing, kept off the threads that answer other commands.
        let (target, stage_name) = (stage.target_management, stage.name.clone());
        let png =
            tokio::task::spawn_blocking(move || chart::balance_png(&weeks, target, &stage_name))
                .await
                .map_err(|e| anyhow::anyhow!("drawing the balance chart stopped: {e}"))??;
        reply.attachment = Some(Attachment {
            filename: format!("mentorbot-balance-{}.png", self.now().format("%Y-%m-%d")),
            content_type: "image/png",
            data: png,
        });
        Ok(reply.field(suggestion.0, suggestion.1))
    }

    /// Counts by mode among `written` over the last `weeks` weeks.
    fn counts_since(&self, written: &[(i64, Mode)], weeks: i64) -> ModeCounts {
        let since = (self.now() - Duration::weeks(weeks)).timestamp();
        let mut counts = ModeCounts::default();
        for (_, mode) in written.iter().filter(|(at, _)| *at >= since) {
            match mode {
                Mode::Management => counts.management += 1,
                Mode::Leadership => counts.leadership += 1,
            }
        }
        counts
    }

    fn weekly_mix_of(&self, written: &[(i64, Mode)], zone: chrono_tz::Tz) -> Vec<chart::Week> {
        let this_week = week_start(self.now(), zone);
        let mut weeks: Vec<chart::Week> = (0..chart::WEEKS)
            .rev()
            .map(|back| {
                let start = this_week - Duration::weeks(back as i64);
                chart::Week {
                    label: start.format("%-d %b").to_string(),
                    management: 0,
                    leadership: 0,
                }
            })
            .collect();
        for (at, mode) in written {
            let Some(at) = chrono::DateTime::from_timestamp(*at, 0) else {
                continue;
            };
            let back = (this_week - week_start(at, zone)).num_weeks();
            let Some(index) = usize::try_from(back)
                .ok()
                .and_then(|back| (chart::WEEKS - 1).checked_sub(back))
            else {
                continue;
            };
            match mode {
                Mode::Management => weeks[index].management += 1,
                Mode::Leadership => weeks[index].leadership += 1,
            }
        }
        weeks
    }

    /// A challenge when leadership lags, a management tip when management lags,
    /// otherwise a tip for the stage. Varies by week and member, never at random.
    fn rebalancing_suggestion(
        &self,
        member_id: i64,
        weaker: Option<Mode>,
        stage: &Stage,
    ) -> (String, String) {
        let week = self.now().timestamp() / (7 * 24 * 3600);
        let seed = member_id.wrapping_mul(31).wrapping_add(week);
        if weaker == Some(Mode::Leadership)
            && let Some(challenge) = self
                .library
                .challenges
                .iter()
                .filter(|c| c.mode == Mode::Leadership)
                .min_by_key(|c| mix(seed, &c.id))
        {
            return (
                "Try this challenge".to_string(),
                format!(
                    "{} ({} days): {}",
                    challenge.title, challenge.days, challenge.goal
                ),
            );
        }
        let mode = weaker.unwrap_or(Mode::Leadership);
        let tip = self
            .library
            .tips
            .iter()
            .filter(|tip| tip.mode == mode && tip.stages.contains(&stage.id))
            .min_by_key(|tip| mix(seed, &tip.id))
            .or_else(|| {
                self.library
                    .tips
                    .iter()
                    .min_by_key(|tip| mix(seed, &tip.id))
            });
        match tip {
            Some(tip) => (
                "Try this".to_string(),
                format!("{}: {}", tip.title, tip.body),
            ),
            None => (
                "Try this".to_string(),
                "Write one reflection this week with /reflect.".to_string(),
            ),
        }
    }
}

pub(super) fn with_bar(counts: ModeCounts) -> String {
    match leadership_share(counts) {
        Some(share) => format!("{} {}", bar(share), describe(counts)),
        None => "no reflections yet".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(target_management: u8) -> Stage {
        Stage {
            id: "s".into(),
            name: "S".into(),
            aliases: vec![],
            management_focus: "m".into(),
            leadership_focus: "l".into(),
            target_management,
            next_actions: vec![],
        }
    }

    #[test]
    fn shares_round_and_empty_is_none() {
        assert_eq!(
            leadership_share(ModeCounts {
                management: 2,
                leadership: 1
            }),
            Some(33)
        );
        assert_eq!(
            leadership_share(ModeCounts {
                management: 1,
                leadership: 2
            }),
            Some(67)
        );
        assert_eq!(leadership_share(ModeCounts::default()), None);
    }

    #[test]
    fn the_weaker_side_is_the_one_below_target() {
        let senior = stage(30);
        assert_eq!(
            weaker_mode(
                ModeCounts {
                    management: 8,
                    leadership: 2
                },
                &senior
            ),
            Some(Mode::Leadership)
        );
        assert_eq!(
            weaker_mode(
                ModeCounts {
                    management: 3,
                    leadership: 7
                },
                &senior
            ),
            None
        );
        let early = stage(70);
        assert_eq!(
            weaker_mode(
                ModeCounts {
                    management: 1,
                    leadership: 9
                },
                &early
            ),
            Some(Mode::Management)
        );
        assert_eq!(weaker_mode(ModeCounts::default(), &early), None);
    }

    #[test]
    fn bars_have_ten_blocks() {
        assert_eq!(bar(0).chars().count(), 10);
        assert_eq!(bar(100), "██████████");
        assert_eq!(bar(30), "███░░░░░░░");
    }
}
