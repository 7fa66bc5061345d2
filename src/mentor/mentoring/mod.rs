//! Mentoring pairs: members opt in; each round pairs a more senior member with a less senior
//! one by career stage, avoids pairs from the last rounds, and tells both, with a suggested
//! first conversation; a week later each is asked how it went.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::store::{
    DeliveryKind, Durability, MentoringSchedule, Pairing, PlannedDelivery, Recipient,
};

use super::challenge::Place;

mod pairing;

use super::words::{defuse_mentions, mix, shorten};
use super::{MemberRef, Mentor, Reply, messages};
pub use pairing::pair;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MentoringAction {
    OptIn,
    OptOut,
    /// A leader sets rounds every so many weeks (the first one at once).
    Rounds {
        every_weeks: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentoringCommand {
    pub place: Place,
    pub action: MentoringAction,
}

/// How many past rounds a pair is not repeated from.
const RECENT_ROUNDS: i64 = 2;
const WEEK: i64 = 7 * 24 * 3600;

/// A round's pairs as (more senior, less senior), and the member left out, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub pairs: Vec<(i64, i64)>,
    pub left_out: Option<i64>,
}

impl Mentor {
    pub(super) async fn mentoring(
        &self,
        who: &MemberRef,
        command: MentoringCommand,
    ) -> Result<Reply> {
        let place = command.place;
        if place.workspace.is_empty() {
            return Err(Error::user(messages::MENTORING_NEEDS_TEAM));
        }
        let member = self.ensure_member(who).await?;
        match command.action {
            MentoringAction::OptIn | MentoringAction::OptOut => {
                let opted_in = command.action == MentoringAction::OptIn;
                self.store
                    .set_mentoring_optin(member.id, who.platform, &place.workspace, opted_in)
                    .await?;
                self.store
                    .seen_in_team(
                        member.id,
                        who.platform,
                        &place.workspace,
                        self.now().timestamp(),
                        Durability::Synced,
                    )
                    .await?;
                let text = match opted_in {
                    true => messages::MENTORING_OPTED_IN,
                    false => messages::MENTORING_OPTED_OUT,
                };
                Ok(Reply::new(messages::MENTORING_TITLE, text).private())
            }
            MentoringAction::Rounds { every_weeks } => {
                if !place.leader {
                    return Err(Error::user(messages::MENTORING_LEADERS_ONLY));
                }
                if !(1..=12).contains(&every_weeks) {
                    return Err(Error::user(messages::MENTORING_EVERY_RANGE));
                }
                let now = self.now().timestamp();
                self.store
                    .set_mentoring_schedule(who.platform, &place.workspace, every_weeks, now)
                    .await?;
                // The first round is due now: hold it here rather than at the scheduler's next
                // pass, so the reply tells the truth. Holding a round is once-only anyway.
                let platform = who.platform;
                self.hold_mentoring_rounds(self.now(), |served| served == platform)
                    .await?;
                Ok(Reply::new(
                    messages::MENTORING_TITLE,
                    messages::mentoring_rounds(every_weeks),
                )
                .private())
            }
        }
    }

    /// Holds every mentoring round that is due on the platforms `served` covers: pairs the
    /// opted-in members, saves the round (once, across processes) and plans each member's
    /// introduction now and follow-up a week later. Returns how many rounds were held.
    pub async fn hold_mentoring_rounds(
        &self,
        now: DateTime<Utc>,
        served: impl Fn(Platform) -> bool,
    ) -> Result<u64> {
        let mut held = 0;
        for schedule in self.store.due_mentoring_rounds(now.timestamp()).await? {
            if !served(schedule.platform) {
                continue;
            }
            let round = self.next_round(&schedule).await?;
            let mut pairings = Vec::new();
            for &(senior, junior) in &round.pairs {
                pairings.push(Pairing {
                    member_id: senior,
                    partner_id: Some(junior),
                    mentors: true,
                });
                pairings.push(Pairing {
                    member_id: junior,
                    partner_id: Some(senior),
                    mentors: false,
                });
            }
            if let Some(alone) = round.left_out {
                pairings.push(Pairing {
                    member_id: alone,
                    partner_id: None,
                    mentors: false,
                });
            }
            if !self
                .store
                .save_mentoring_round(&schedule, &pairings)
                .await?
            {
                continue;
            }
            held += 1;
            let round_at = schedule.next_round_at;
            let mut rows = Vec::new();
            for pairing in &pairings {
                let recipient = Recipient::Member(pairing.member_id);
                rows.push(PlannedDelivery {
                    kind: DeliveryKind::MentoringIntro,
                    recipient,
                    due_at: round_at,
                });
                if pairing.partner_id.is_some() {
                    rows.push(PlannedDelivery {
                        kind: DeliveryKind::MentoringFollowUp,
                        recipient,
                        due_at: round_at + WEEK,
                    });
                }
            }
            self.store.plan_deliveries(&rows).await?;
        }
        Ok(held)
    }

    async fn next_round(&self, schedule: &MentoringSchedule) -> Result<Round> {
        let members = self
            .store
            .mentoring_members(schedule.platform, &schedule.workspace)
            .await?;
        let ranked: Vec<(i64, usize)> = members
            .iter()
            .map(|m| (m.member_id, self.stage_rank(m.stage.as_deref())))
            .collect();
        let recent_rows = self
            .store
            .recent_pairings(schedule.platform, &schedule.workspace, RECENT_ROUNDS)
            .await?;
        let last_round = recent_rows.first().map(|(at, _)| *at);
        let mut recent = HashSet::new();
        let mut left_out_last = HashSet::new();
        for (round_at, pairing) in &recent_rows {
            match pairing.partner_id {
                Some(partner) => {
                    recent.insert((
                        pairing.member_id.min(partner),
                        pairing.member_id.max(partner),
                    ));
                }
                None if Some(*round_at) == last_round => {
                    left_out_last.insert(pairing.member_id);
                }
                None => {}
            }
        }
        Ok(pair(&ranked, &recent, &left_out_last))
    }

    /// A stage's place in the library's order of stages (0 for the first, or none chosen).
    fn stage_rank(&self, stage: Option<&str>) -> usize {
        stage
            .and_then(|id| self.library.stages.iter().position(|s| s.id == id))
            .unwrap_or(0)
    }

    /// The introduction for a member in the round held at `round_at`; `None` if they are gone.
    pub async fn mentoring_intro(&self, member_id: i64, round_at: i64) -> Result<Option<Reply>> {
        let Some(pairing) = self.store.pairing_at(member_id, round_at).await? else {
            return Ok(None);
        };
        let Some(partner_id) = pairing.partner_id else {
            return Ok(Some(
                Reply::new(messages::MENTORING_TITLE, messages::MENTORING_LEFT_OUT).private(),
            ));
        };
        let Some(partner) = self.store.member_by_id(partner_id).await? else {
            return Ok(None);
        };
        let name = shorten(&defuse_mentions(&partner.display_name), 60);
        let junior = if pairing.mentors {
            partner_id
        } else {
            member_id
        };
        let junior_member = self.store.member_by_id(junior).await?;
        let stage = self.stage_of(junior_member.as_ref());
        let opener = self
            .library
            .prompts
            .iter()
            .filter(|p| p.follows_up.is_none() && p.stages.contains(&stage.id))
            .min_by_key(|p| mix(round_at.wrapping_add(junior), &p.id))
            .map(|p| p.question.clone())
            .unwrap_or_default();
        Ok(Some(
            Reply::new(
                messages::MENTORING_TITLE,
                messages::mentoring_intro(&name, pairing.mentors),
            )
            .field(messages::MENTORING_OPENER, opener)
            .private(),
        ))
    }

    /// The follow-up a week after a round: how did it go? The answer goes to their own log.
    pub async fn mentoring_follow_up(
        &self,
        member_id: i64,
        round_at: i64,
    ) -> Result<Option<Reply>> {
        let Some(Pairing {
            partner_id: Some(partner_id),
            ..
        }) = self.store.pairing_at(member_id, round_at).await?
        else {
            return Ok(None);
        };
        let name = match self.store.member_by_id(partner_id).await? {
            Some(partner) => shorten(&defuse_mentions(&partner.display_name), 60),
            None => messages::MENTORING_FORMER_PARTNER.to_string(),
        };
        Ok(Some(
            Reply::new(
                messages::MENTORING_TITLE,
                messages::mentoring_follow_up(&name),
            )
            .private(),
        ))
    }
}

/// Reads `optin`, `optout`, or `rounds [every:]<weeks>`.
pub fn parse(rest: &str) -> Result<MentoringAction> {
    let words: Vec<String> = rest.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["optin" | "opt-in" | "in"] => Ok(MentoringAction::OptIn),
        ["optout" | "opt-out" | "out"] => Ok(MentoringAction::OptOut),
        ["rounds", every] => every
            .trim_start_matches("every:")
            .parse()
            .map(|every_weeks| MentoringAction::Rounds { every_weeks })
            .map_err(|_| Error::user(messages::MENTORING_EVERY_RANGE)),
        _ => Err(Error::user(messages::MENTORING_USAGE)),
    }
}
