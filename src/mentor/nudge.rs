//! Weekly nudges from the member's side: show and change the day, time and time zone, pause,
//! resume or stop; the one-time notices; and the words of each nudge, reminder and team post.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::calendar::{self, WeeklyRule};
use crate::content::ReflectionPrompt;
use crate::error::{Error, Result};
use crate::store::{Member, NudgeSettings, StreakInputs};

use super::words::{defuse_mentions, shorten};
use super::{Action, ButtonStyle, MemberRef, Mentor, Notice, Reply, messages, streak};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NudgeCommand {
    Show,
    Set {
        day: String,
        time: String,
        zone: Option<String>,
    },
    PauseWeeks(i64),
    PauseUntil(String),
    Resume,
    Off,
    Reminder(bool),
}

const MAX_PAUSE_WEEKS: i64 = 52;

impl Mentor {
    /// The member's time zone, from the row already read when it came with it.
    pub(super) async fn zone_of(&self, member: &Member) -> Result<Tz> {
        match &member.timezone {
            Some(zone) => Ok(calendar::parse_zone(zone).unwrap_or(chrono_tz::UTC)),
            None => self.member_zone(member.id).await,
        }
    }

    /// The member's time zone (UTC until they choose one).
    pub(super) async fn member_zone(&self, member_id: i64) -> Result<Tz> {
        let settings = self.store.nudge_settings(member_id).await?;
        Ok(settings
            .and_then(|s| calendar::parse_zone(&s.timezone).ok())
            .unwrap_or(chrono_tz::UTC))
    }

    pub(super) async fn nudge(&self, who: &MemberRef, command: NudgeCommand) -> Result<Reply> {
        let member = self.ensure_member(who).await?;
        let now = self.now();
        let settings = self
            .store
            .ensure_nudge_settings(member.id, now.timestamp())
            .await?;
        match command {
            NudgeCommand::Show => {}
            NudgeCommand::Set { day, time, zone } => {
                let current = calendar::parse_zone(&settings.timezone).unwrap_or(chrono_tz::UTC);
                let rule = parse_rule(&day, &time, zone.as_deref(), current)?;
                let iso_day = i64::from(rule.weekday.number_from_monday());
                self.store
                    .set_nudge_schedule(
                        member.id,
                        iso_day,
                        rule.minute_of_day(),
                        rule.zone.name(),
                        now.timestamp(),
                    )
                    .await?;
                self.store.cancel_pending_nudges(member.id).await?;
            }
            NudgeCommand::PauseWeeks(weeks) => {
                if !(1..=MAX_PAUSE_WEEKS).contains(&weeks) {
                    return Err(Error::user(messages::PAUSE_WEEKS_RANGE));
                }
                self.pause_until(member.id, now, now + Duration::weeks(weeks))
                    .await?;
            }
            NudgeCommand::PauseUntil(date) => {
                let zone = calendar::parse_zone(&settings.timezone).unwrap_or(chrono_tz::UTC);
                let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                    .map_err(|_| Error::user(messages::bad_date(&date)))?;
                let until = calendar::start_of_day(day, zone);
                if until <= now || until > now + Duration::weeks(MAX_PAUSE_WEEKS) {
                    return Err(Error::user(messages::PAUSE_DATE_RANGE));
                }
                self.pause_until(member.id, now, until).await?;
            }
            NudgeCommand::Resume => {
                self.store.resume_nudges(member.id, now.timestamp()).await?;
                self.store.cancel_pending_nudges(member.id).await?;
            }
            NudgeCommand::Off => {
                self.store
                    .set_nudges_enabled(member.id, false, now.timestamp())
                    .await?;
                self.store.cancel_pending_nudges(member.id).await?;
            }
            NudgeCommand::Reminder(on) => self.store.set_reminder(member.id, on).await?,
        }
        let settings = self
            .store
            .ensure_nudge_settings(member.id, now.timestamp())
            .await?;
        self.store.mark_timezone_asked(member.id).await?;
        let weeks = self.streak(member.id).await?;
        Ok(self.nudge_reply(&settings, now, weeks))
    }

    async fn pause_until(
        &self,
        member_id: i64,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<()> {
        self.store
            .pause_nudges(member_id, now.timestamp(), until.timestamp())
            .await?;
        self.store.cancel_pending_nudges(member_id).await?;
        Ok(())
    }

    fn nudge_reply(&self, settings: &NudgeSettings, now: DateTime<Utc>, weeks: u32) -> Reply {
        let rule =
            WeeklyRule::from_stored(settings.weekday, settings.minute_of_day, &settings.timezone);
        let (status, next) = match (
            &rule,
            settings.enabled,
            settings.paused_until,
            settings.unreachable_since,
        ) {
            (_, false, _, _) => (
                "Off. Turn them back on with /nudge resume.".to_string(),
                None,
            ),
            (_, _, _, Some(_)) => (messages::UNREACHABLE_STATUS.to_string(), None),
            (Some(rule), true, Some(until), None) if until > now.timestamp() => {
                let until_at = DateTime::from_timestamp(until, 0).unwrap_or(now);
                (
                    format!(
                        "Paused until {}. Your streak is frozen, not broken.",
                        local_day(until_at, now, rule.zone)
                    ),
                    rule.next_after(until_at - Duration::seconds(1)),
                )
            }
            (Some(rule), true, _, None) => ("On.".to_string(), rule.next_after(now)),
            (None, ..) => (
                "On, but the stored schedule is unreadable: set it again with /nudge set."
                    .to_string(),
                None,
            ),
        };
        let mut reply = Reply::new("Your weekly question", status).private().field(
            "When",
            rule.as_ref().map(WeeklyRule::describe).unwrap_or_default(),
        );
        if let (Some(next), Some(rule)) = (next, &rule) {
            reply = reply.field("Next one", local_day_time(next, now, rule.zone));
        }
        let reminder = if settings.reminder {
            "On: one nudge 48 hours later if you have not answered (sooner for a weekend question, so it comes the same week)."
        } else {
            "Off."
        };
        if settings.enabled && settings.unreachable_since.is_some() {
            reply = reply.notice(Notice::Unreachable);
        }
        reply
            .field("Reminder", reminder)
            .field("Streak", streak::describe(weeks))
            .field("Change it", messages::NUDGE_USAGE)
    }

    /// Weeks in a row with a reflection, in the member's time zone.
    pub(super) async fn streak(&self, member_id: i64) -> Result<u32> {
        let zone = self.member_zone(member_id).await?;
        self.streak_in(member_id, zone).await
    }

    /// As `streak`, for a member whose zone the caller has already read.
    pub(super) async fn streak_in(&self, member_id: i64, zone: Tz) -> Result<u32> {
        let inputs = self
            .store
            .streak_inputs(member_id, self.streak_since())
            .await?;
        Ok(self.streak_of(&inputs, zone).0)
    }

    /// Reflections from this time on are enough for any streak.
    pub(super) fn streak_since(&self) -> i64 {
        (self.now() - Duration::weeks(streak::MAX_WEEKS + 1)).timestamp()
    }

    /// The streak from what it is counted from, and the pauses it counted: the member's own,
    /// and their teams' holidays, which freeze the streak as a pause does.
    pub(super) fn streak_of(&self, inputs: &StreakInputs, zone: Tz) -> (u32, Vec<(i64, i64)>) {
        let mut pauses = inputs.pauses.clone();
        pauses.extend(super::holidays::spans(&inputs.holidays, zone));
        let weeks = streak::weeks_in_a_row(&inputs.slots, &pauses, self.now(), zone);
        (weeks, pauses)
    }

    /// A new member's time zone as their platform knows it (Slack's `users.info`), so nobody
    /// has to type it; a member who already has settings keeps theirs. An unknown zone is
    /// ignored: UTC stays until they choose.
    pub async fn adopt_zone(&self, who: &MemberRef, zone: &str) -> Result<()> {
        let Ok(zone) = calendar::parse_zone(zone) else {
            return Ok(());
        };
        let member = self.ensure_member(who).await?;
        self.store
            .create_nudge_settings_in_zone(member.id, zone.name(), self.now().timestamp())
            .await?;
        Ok(())
    }

    /// Adds the one-time notices: the default schedule for a new member, and a failed DM.
    pub(super) async fn add_notices(&self, who: &MemberRef, reply: &mut Reply) -> Result<()> {
        // A new kind of notice must also count in `notices_pending` (the store's `FIND_MEMBER`),
        // or this skips it.
        if no_notice_due(who) {
            return Ok(());
        }
        // One read for both the member and their settings: this runs after every command.
        let Some(state) = self
            .store
            .notice_state(who.platform, &who.workspace, &who.user)
            .await?
        else {
            return Ok(());
        };
        let notice = |name: &str, value: String| super::Field {
            name: name.into(),
            value,
        };
        let Some(settings) = state.settings else {
            // First contact: create the defaults and say so, in one write.
            if self
                .store
                .create_nudge_settings_told(state.member_id, self.now().timestamp())
                .await?
            {
                reply.fields.push(notice(
                    "Your weekly question",
                    messages::default_nudge("UTC"),
                ));
            }
            return Ok(());
        };
        let member = state.member_id;
        if !settings.timezone_asked {
            reply.fields.push(notice(
                "Your weekly question",
                messages::default_nudge(&settings.timezone),
            ));
            self.store.mark_timezone_asked(member).await?;
        }
        if settings.unreachable_since.is_some() && !settings.unreachable_told {
            reply.notices.push(Notice::Unreachable);
            self.store.mark_unreachable_told(member).await?;
        }
        Ok(())
    }

    /// The words of a nudge (or its reminder) for a member, or `None` when it should not be
    /// sent (the member is gone, or has already answered this week's question).
    pub async fn nudge_message(&self, member_id: i64, reminder: bool) -> Result<Option<Reply>> {
        let Some(member) = self.store.member_by_id(member_id).await? else {
            return Ok(None);
        };
        let prompt = self.prompt_for(&member).await?;
        let Some(prompt) = prompt else {
            return Ok(None);
        };
        let weeks = self.streak(member_id).await?;
        let (title, intro) = match reminder {
            true => ("A gentle reminder", "This week's question is still open:"),
            false => (
                "Your weekly reflection",
                "Five quiet minutes for this week's question:",
            ),
        };
        let mut text = String::new();
        if let Some(earlier) = self.earlier_answer(member_id, &prompt).await? {
            text.push_str(&earlier);
            text.push_str("\n\n");
        }
        text.push_str(intro);
        text.push('\n');
        text.push_str(&prompt.question);
        Ok(Some(
            Reply::new(title, text)
                .field("Streak", streak::describe(weeks))
                .field(
                    "Answer",
                    "Press Answer, or reply with /reflect followed by your answer.",
                )
                .button(Action::AnswerPrompt, "Answer", ButtonStyle::Primary),
        ))
    }

    /// For a prompt that follows up an earlier one: "On 3 March you wrote: '…'".
    pub(super) async fn earlier_answer(
        &self,
        member_id: i64,
        prompt: &ReflectionPrompt,
    ) -> Result<Option<String>> {
        let Some(earlier_id) = &prompt.follows_up else {
            return Ok(None);
        };
        let Some(answer) = self.store.latest_answer(member_id, earlier_id).await? else {
            return Ok(None);
        };
        let day = super::log::day(answer.created_at);
        Ok(Some(format!(
            "On {day} you wrote: \"{}\"",
            defuse_mentions(&shorten(&answer.text, 200))
        )))
    }
}

/// Reads a weekly rule as typed: a weekday, `HH:MM`, and an IANA zone (or `default_zone`).
pub(super) fn parse_rule(
    day: &str,
    time: &str,
    zone: Option<&str>,
    default_zone: Tz,
) -> Result<WeeklyRule> {
    let weekday =
        calendar::parse_weekday(day).ok_or_else(|| Error::user(messages::unknown_day(day)))?;
    let (hour, minute) =
        calendar::parse_time(time).ok_or_else(|| Error::user(messages::bad_time(time)))?;
    let zone = match zone.map(str::trim).filter(|zone| !zone.is_empty()) {
        Some(typed) => calendar::parse_zone(typed)
            .map_err(|close| Error::user(messages::unknown_zone(typed, &close)))?,
        None => default_zone,
    };
    Ok(WeeklyRule {
        weekday,
        hour,
        minute,
        zone,
    })
}

/// "Monday 3 March", with the year when it is not this year's.
fn local_day(at: DateTime<Utc>, now: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    if local.year() == now.with_timezone(&zone).year() {
        local.format("%A %-d %B").to_string()
    } else {
        local.format("%A %-d %B %Y").to_string()
    }
}

fn local_day_time(at: DateTime<Utc>, now: DateTime<Utc>, zone: Tz) -> String {
    let time = at.with_timezone(&zone).format("%H:%M");
    format!("{} at {time}", local_day(at, now, zone))
}

tokio::task_local! {
    /// Within one command: the member whose read at its start showed no one-time notice due.
    /// A command cannot make one due (settings, once made, stay; the zone, once asked about,
    /// stays asked; a DM failing meanwhile is told with the next command), so `add_notices`
    /// then skips its read of their settings: one statement fewer for nearly every command.
    static NO_NOTICE_DUE: std::cell::RefCell<Option<MemberRef>>;
}

/// Runs one command's work with room to note that no notice is due.
pub(super) async fn within_one_command<T>(work: impl Future<Output = T>) -> T {
    NO_NOTICE_DUE.scope(Default::default(), work).await
}

/// Notes, within a command, that `who` has no notice due.
pub(super) fn note_no_notice_due(who: &MemberRef) {
    let _ = NO_NOTICE_DUE.try_with(|noted| *noted.borrow_mut() = Some(who.clone()));
}

fn no_notice_due(who: &MemberRef) -> bool {
    NO_NOTICE_DUE
        .try_with(|noted| {
            noted
                .borrow()
                .as_ref()
                .is_some_and(|noted| same_member(noted, who))
        })
        .unwrap_or(false)
}

fn same_member(a: &MemberRef, b: &MemberRef) -> bool {
    (a.platform, &a.workspace, &a.user) == (b.platform, &b.workspace, &b.user)
}
