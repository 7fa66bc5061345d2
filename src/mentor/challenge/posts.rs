//! What the scheduler posts for a challenge: the kickoff in its channel, the mid-way DM, and
//! the wrap-up digest; and the card that shows a challenge.

use crate::error::Result;
use crate::store::Challenge;

use super::super::words::{count_of, defuse_mentions, shorten};
use super::super::{Mentor, Reply, messages};

impl Mentor {
    /// The kickoff post for a challenge's channel.
    pub fn challenge_kickoff(&self, challenge: &Challenge) -> Reply {
        let mut reply = challenge_card(messages::KICKOFF_TITLE, challenge, chrono_tz::UTC);
        reply.text = format!("{}\n{}", reply.text, messages::join_with(challenge.id));
        reply
    }

    /// The mid-way DM to a participant who has not checked in yet.
    pub fn challenge_reminder(&self, challenge: &Challenge) -> Reply {
        Reply::new(
            format!("{} {}", messages::HALF_WAY_TITLE, challenge.title),
            messages::half_way(&challenge.check_in, challenge.id),
        )
        .private()
    }

    /// The wrap-up digest: how many joined, checked in and completed, and the check-ins their
    /// authors chose to share, with mentions defused.
    pub async fn challenge_digest(&self, challenge: &Challenge) -> Result<Reply> {
        let rows = self.store.challenge_board(challenge.id).await?;
        // Those who left count nowhere, as on the board.
        let taking_part: Vec<_> = rows.iter().filter(|r| !r.left).collect();
        let joined = taking_part.len();
        let checked_in = taking_part.iter().filter(|r| r.check_ins > 0).count();
        let completed = taking_part.iter().filter(|r| r.completed).count();
        let mut reply = Reply::new(
            format!("{} {}", messages::DIGEST_TITLE, challenge.title),
            messages::board_summary(joined, checked_in, completed),
        );
        let shared = self.store.shared_check_ins(challenge.id).await?;
        for check_in in shared.iter().take(10) {
            reply = reply.field(
                shorten(&defuse_mentions(&check_in.name), 60),
                shorten(&defuse_mentions(&check_in.text), 300),
            );
        }
        if shared.len() > 10 {
            reply = reply.field(
                messages::DIGEST_MORE_TITLE,
                count_of(
                    (shared.len() - 10) as i64,
                    "more shared check-in",
                    "more shared check-ins",
                ),
            );
        }
        Ok(reply)
    }
}

pub(super) fn local_date(at: i64, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|at| at.with_timezone(&zone).format("%A %-d %B %Y").to_string())
        .unwrap_or_default()
}

/// A challenge's title, goal, check-in question, what counts as done and its dates.
pub(super) fn challenge_card(title: &str, challenge: &Challenge, zone: chrono_tz::Tz) -> Reply {
    Reply::new(
        format!("{title} #{}: {}", challenge.id, challenge.title),
        challenge.goal.clone(),
    )
    .field(messages::CHECK_IN_FIELD, challenge.check_in.clone())
    .field(messages::DONE_WHEN_FIELD, challenge.done_when.clone())
    .field(
        messages::DATES_FIELD,
        format!(
            "{} – {}",
            local_date(challenge.starts_at, zone),
            local_date(challenge.ends_at, zone)
        ),
    )
}
