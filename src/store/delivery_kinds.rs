//! The outbox's vocabulary: what a delivery is, where a row stands, and whom it is for.

/// What a delivery is. Adding one: a variant here, its handler in `schedule::handlers`, and
/// one `INSERT INTO delivery_kinds` line in a new migration (a test checks the three agree).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeliveryKind {
    /// A member's weekly question, by direct message.
    Nudge,
    /// One reminder of an unanswered weekly question.
    Reminder,
    /// The weekly team question, posted in a channel.
    TeamPrompt,
    /// A challenge's kickoff, posted in its channel when it starts.
    ChallengeKickoff,
    /// Mid-way through a challenge, a DM to a participant who has not checked in.
    ChallengeReminder,
    /// A challenge's wrap-up digest, posted in its channel when it ends.
    ChallengeDigest,
    /// A mentoring round's introduction to one member (or word that they sit this one out).
    MentoringIntro,
    /// A week after a round, asking one member how their conversation went.
    MentoringFollowUp,
}

impl DeliveryKind {
    pub const ALL: [DeliveryKind; 8] = [
        DeliveryKind::Nudge,
        DeliveryKind::Reminder,
        DeliveryKind::TeamPrompt,
        DeliveryKind::ChallengeKickoff,
        DeliveryKind::ChallengeReminder,
        DeliveryKind::ChallengeDigest,
        DeliveryKind::MentoringIntro,
        DeliveryKind::MentoringFollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Nudge => "nudge",
            DeliveryKind::Reminder => "reminder",
            DeliveryKind::TeamPrompt => "team_prompt",
            DeliveryKind::ChallengeKickoff => "challenge_kickoff",
            DeliveryKind::ChallengeReminder => "challenge_reminder",
            DeliveryKind::ChallengeDigest => "challenge_digest",
            DeliveryKind::MentoringIntro => "mentoring_intro",
            DeliveryKind::MentoringFollowUp => "mentoring_follow_up",
        }
    }
}

/// Where a row stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    Pending,
    Sending,
    Sent,
    Failed,
    Skipped,
    Unreachable,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 6] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Sending,
        DeliveryStatus::Sent,
        DeliveryStatus::Failed,
        DeliveryStatus::Skipped,
        DeliveryStatus::Unreachable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Skipped => "skipped",
            DeliveryStatus::Unreachable => "unreachable",
        }
    }
}

/// Whom a delivery is for: one member, one team, one challenge (its channel), or one
/// participant of one challenge (the table checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient {
    Member(i64),
    Team(i64),
    Challenge(i64),
    Participant { challenge: i64, member: i64 },
}

impl Recipient {
    /// The text half of the natural key, such as `member:12`.
    pub(super) fn target(self) -> String {
        match self {
            Recipient::Member(id) => format!("member:{id}"),
            Recipient::Team(id) => format!("team:{id}"),
            Recipient::Challenge(id) => format!("challenge:{id}"),
            Recipient::Participant { challenge, member } => {
                format!("challenge:{challenge}:member:{member}")
            }
        }
    }

    pub(super) fn member_id(self) -> Option<i64> {
        match self {
            Recipient::Member(id) | Recipient::Participant { member: id, .. } => Some(id),
            Recipient::Team(_) | Recipient::Challenge(_) => None,
        }
    }

    pub(super) fn team_id(self) -> Option<i64> {
        match self {
            Recipient::Team(id) => Some(id),
            _ => None,
        }
    }

    pub(super) fn challenge_id(self) -> Option<i64> {
        match self {
            Recipient::Challenge(id) | Recipient::Participant { challenge: id, .. } => Some(id),
            Recipient::Member(_) | Recipient::Team(_) => None,
        }
    }
}
