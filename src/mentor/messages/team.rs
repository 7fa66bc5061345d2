//! The words of the team features: challenges, the leader's view, holidays, mentoring
//! pairs and team leaders.

use crate::content::Library;

// Team challenges.

pub const CHALLENGE_NEEDS_TEAM: &str =
    "Challenges run in a team's channel: use /challenge in your team's server or workspace.";
pub const CHALLENGE_LEADERS_ONLY: &str = "Only the team's leaders can start or end a challenge: \
    on Discord, members who can manage the server; on Slack, workspace admins.";
pub const CHALLENGE_START_USAGE: &str = "Name a challenge from the library, for example \
    /challenge start pre-mortem, or write one: /challenge start custom Title | Goal | \
    Check-in question | What counts as done";
pub const CHALLENGE_USAGE: &str = "Use /challenge list, join [number], checkin [number] \
    [share:true] <text>, done, board, leave; leaders also start and end.";
pub const CHALLENGE_DAYS_RANGE: &str = "A challenge runs for 1 to 90 days.";
pub const CHALLENGE_DATE_FORMAT: &str =
    "Give the start date as YYYY-MM-DD, for example 2026-12-07.";
pub const CHALLENGE_DATE_PAST: &str =
    "That start date has passed. Leave it out to start today, or pick a later day.";
pub const CHALLENGE_DATE_FAR: &str = "Start the challenge within the next year.";
pub const CHALLENGE_STARTED_TITLE: &str = "Challenge started";
pub const CHALLENGE_STARTED: &str = "I will post the kickoff in the channel when it starts, remind \
    half-way those who have not checked in, and post a digest at the end.";
pub const CHALLENGE_JOINED_TITLE: &str = "You joined";
pub const CHALLENGE_ALREADY_IN_TITLE: &str = "You are already in";
pub const CHALLENGE_LEFT_TITLE: &str = "You left the challenge";
pub const CHALLENGE_ENDED_TITLE: &str = "Challenge ended; the digest follows in its channel";
pub const CHALLENGE_DONE: &str =
    "Marked as done. Well played: that is leadership practised, not just read about.";
pub const CHALLENGE_ALREADY_DONE: &str = "You had already marked this one as done.";
pub const CHALLENGE_ALREADY_OVER: &str =
    "That challenge is over. /challenge list shows the ones still running.";
pub const CHALLENGES_TITLE: &str = "Team challenges";
pub const NO_CHALLENGES: &str = "No challenge is running here right now. A team leader can start \
    one with /challenge start.";
pub const CHALLENGES_JOIN: &str = "Join one with /challenge join <number>.";
pub const NOT_IN_A_CHALLENGE: &str =
    "You have not joined a challenge running here. /challenge list shows them.";
pub const CHECK_IN_EMPTY: &str =
    "That check-in is empty, so nothing was saved. Write a line about what you tried.";
pub const CHECK_IN_AGAIN: &str =
    "You checked in a moment ago as well; both are kept, as separate entries.";
pub const CHECK_IN_FIELD: &str = "Check-in question";
pub const DONE_WHEN_FIELD: &str = "Done when";
pub const DATES_FIELD: &str = "Runs";
pub const BOARD_TITLE: &str = "Board:";
pub const BOARD_COMPLETED: &str = ", completed";
pub const KICKOFF_TITLE: &str = "New team challenge";
pub const HALF_WAY_TITLE: &str = "Half-way through";
pub const DIGEST_TITLE: &str = "Wrap-up:";
pub const DIGEST_MORE_TITLE: &str = "And";

pub fn unknown_challenge(id: &str, library: &Library) -> String {
    let ids: Vec<&str> = library.challenges.iter().map(|c| c.id.as_str()).collect();
    format!(
        "There is no challenge '{}' in the library. Try one of: {}.",
        crate::mentor::words::shorten(id, 40),
        ids.join(", ")
    )
}

pub fn unknown_challenge_number(number: i64) -> String {
    format!("There is no challenge #{number} here. /challenge list shows the ones running.")
}

pub fn say_which(numbers: &[i64]) -> String {
    let numbers: Vec<String> = numbers.iter().map(|n| format!("#{n}")).collect();
    format!(
        "Several challenges are running here ({}): add the number, for example /challenge join {}.",
        numbers.join(", "),
        numbers.first().map_or("", |n| n.trim_start_matches('#'))
    )
}

pub fn challenge_field_empty(what: &str) -> String {
    format!("The challenge needs a {what}.")
}

pub fn checked_in(entry: i64, shared: bool) -> String {
    let who_sees = match shared {
        true => "Your team will see it in the digest.",
        false => "Only you can see it; the board counts it without showing it.",
    };
    format!("Checked in, and saved as entry #{entry} in your development log. {who_sees}")
}

pub fn board_summary(joined: usize, checked_in: usize, completed: usize) -> String {
    format!("{joined} joined · {checked_in} checked in · {completed} completed")
}

pub fn runs_until(date: &str) -> String {
    format!("Runs until {date}.")
}

pub fn join_with(challenge: i64) -> String {
    format!(
        "Join with /challenge join {challenge}, check in with /challenge checkin <what you tried>, \
         and say /challenge done when you are."
    )
}

pub fn half_way(check_in: &str, challenge: i64) -> String {
    format!(
        "The challenge is half-way through and you have not checked in yet. {check_in}\n\
         Answer with /challenge checkin {challenge} <what you tried>; add share:true to show it \
         in the digest."
    )
}

// The leader's view of a team.

pub const TEAM_VIEW_LEADERS_ONLY: &str = "Only the team's leaders can see the team view: members who can manage the server, or workspace admins.";
pub const TEAM_VIEW_TITLE: &str = "Your team, in aggregate";
pub const TEAM_VIEW_WEEKS: &str = "Members who reflected, week by week (last 12, oldest first)";
pub const TEAM_VIEW_CHALLENGES: &str = "Challenges (last 12 weeks)";

pub fn team_view_too_small(members: usize, smallest: usize) -> String {
    format!(
        "I know {members} of your team's members here. The team view needs at least {smallest}, \
         so that no one's entries or mix can be read from it."
    )
}

pub fn team_view_intro(members: usize, smallest: usize) -> String {
    format!(
        "{members} members use mentorbot here. Only counts and shares are shown, never an entry or \
         a named person's numbers; a share needs at least {smallest} members behind it."
    )
}

pub fn last_weeks(weeks: i64) -> String {
    format!("Last {weeks} weeks")
}

pub fn reflected_of(reflected: i64, members: usize) -> String {
    format!("{reflected} of {members} reflected")
}

pub fn team_mix(leadership: f64, target: f64) -> String {
    format!("{leadership:.0}% leadership (their stages aim for {target:.0}%)")
}

pub fn team_mix_hidden(smallest: usize) -> String {
    format!("mix not shown: fewer than {smallest} members wrote")
}

pub fn team_challenges(run: i64, joined: i64, completed: i64) -> String {
    let rate = match joined {
        0 => String::new(),
        _ => format!(
            " ({:.0}% completion)",
            completed as f64 * 100.0 / joined as f64
        ),
    };
    format!("{run} run · {joined} joined · {completed} completed{rate}")
}

// Team holidays.

pub const HOLIDAY_USAGE: &str = "Use holiday add <first day> [<last day>] [name], holiday list, \
    or holiday remove <first day>, with days as YYYY-MM-DD.";
pub const HOLIDAY_DATE_FORMAT: &str = "Give days as YYYY-MM-DD, for example 2026-12-24.";
pub const HOLIDAY_BACKWARDS: &str = "The last day comes before the first. Swap them and try again.";
pub const HOLIDAY_TOO_LONG: &str =
    "A team holiday is at most 31 days; add a longer break in parts.";
pub const HOLIDAY_PAST: &str = "That holiday is over already, so it would change nothing.";
pub const HOLIDAY_DEFAULT_NAME: &str = "Team holiday";
pub const HOLIDAY_ADDED: &str =
    "Holiday added: no weekly questions or reminders that day, and streaks hold";
pub const HOLIDAYS_TITLE: &str = "Team holidays";
pub const HOLIDAYS_NONE: &str = "No team holidays ahead.";
pub const HOLIDAY_REMOVED: &str = "Removed.";
pub const HOLIDAY_NOT_FOUND: &str = "No team holiday starts that day.";

// Mentoring pairs.

pub const MENTORING_TITLE: &str = "Mentoring pairs";
pub const MENTORING_NEEDS_TEAM: &str =
    "Mentoring pairs are made within a team: use this in your team's server or workspace.";
pub const MENTORING_OPTED_IN: &str = "You are in. Each round I pair a more senior member with a \
    less senior one and introduce you both by direct message.";
pub const MENTORING_OPTED_OUT: &str = "You are out of the next rounds. Opt in again any time.";
pub const MENTORING_LEADERS_ONLY: &str = "Only the team's leaders can set the mentoring rounds.";
pub const MENTORING_EVERY_RANGE: &str = "Rounds come every 1 to 12 weeks.";
pub const MENTORING_LEFT_OUT: &str = "An odd number opted in this round, so you sit this one out. \
    You will be paired first next round.";
pub const MENTORING_OPENER: &str = "A first conversation to start from";
pub const MENTORING_FORMER_PARTNER: &str = "your partner";

pub fn mentoring_rounds(every_weeks: i64) -> String {
    format!(
        "The first round was made just now from the members who opted in, and their \
         introductions follow in a moment; then a round every {}. Members join with optin.",
        crate::mentor::words::count_of(every_weeks, "week", "weeks")
    )
}

pub fn mentoring_intro(partner: &str, you_mentor: bool) -> String {
    match you_mentor {
        true => format!(
            "This round you mentor {partner}. Book half an hour this week, listen more than you \
             talk, and ask what they want to get better at."
        ),
        false => format!(
            "This round {partner} mentors you. Book half an hour this week and bring one real \
             situation you are unsure about."
        ),
    }
}

pub fn mentoring_follow_up(partner: &str) -> String {
    format!(
        "How did your conversation with {partner} go? What will you do differently because of \
         it? Answer with /reflect leadership: … and it goes into your own log."
    )
}
pub const MENTORING_USAGE: &str =
    "Use mentoring optin, mentoring optout, or (leaders) mentoring rounds every:<weeks>.";

pub const LEADERS_TITLE: &str = "Team leaders";
pub const LEADERS_SET: &str = "Members with that role or in that group can now start and end \
    challenges, set mentoring rounds and holidays, and see the team view.";
pub const LEADERS_MANAGERS_ONLY: &str =
    "Only members who can manage the server (or workspace admins) choose the team's leaders.";
pub const LEADERS_USAGE: &str =
    "Name the group: /mentor challenge leaders @group (a Slack user group).";
