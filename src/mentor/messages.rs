//! Fixed user-facing text, kept together so it can be read and reviewed as prose.

use crate::content::Library;

pub const HELP_TITLE: &str = "What I can do";
pub const HELP_INTRO: &str =
    "I help product managers practise leadership a little every week. Your log is private to you.";

/// Every command with one line each, in the order a newcomer would try them.
pub const COMMANDS: [(&str, &str); 12] = [
    (
        "/tip [topic or words]",
        "A tip fitted to your stage; name a topic such as storytelling, or leave it empty for a fresh one.",
    ),
    (
        "/hat [situation]",
        "Tells you whether a situation calls for managing or leading, and why; with nothing after it, the cheat sheet.",
    ),
    (
        "/stage",
        "Your career stage, its focus, target mix and next actions.",
    ),
    (
        "/stage set <stage>",
        "Choose your stage: associate, senior, principal, director or vp.",
    ),
    (
        "/reflect [text]",
        "Answer this week's prompt or note anything you did; start with 'leadership:' or 'management:' to set the mode.",
    ),
    ("/log [page]", "Your development log, newest first."),
    (
        "/export [markdown|json|csv]",
        "Your whole log as a file, ready for a conversation with your manager.",
    ),
    (
        "/balance",
        "Your mix of management and leadership work against your stage's target.",
    ),
    (
        "/nudge",
        "Your weekly question: show it, set the day, time and time zone, pause, resume or turn it off.",
    ),
    (
        "/challenge",
        "Team challenges: list, join, checkin <what you tried>, done, board; leaders start and end them.",
    ),
    (
        "/forget",
        "Delete everything mentorbot stores about you (asks first).",
    ),
    ("/help", "This list."),
];

pub const EMPTY_COMMAND: &str =
    "Type a command such as /tip or /reflect. Type /help to see them all.";
pub const STAGE_SET_NEEDS_VALUE: &str = "Say which stage, for example: /stage set senior";
pub const STAGE_USAGE: &str = "Use /stage to see your stage, or /stage set <stage> to change it.";
pub const LOG_PAGE_USAGE: &str = "The page must be a whole number from 1, for example: /log 2";
pub const FORGET_USAGE: &str =
    "Use /forget, then /forget confirm to delete everything, or /forget cancel to keep it.";
pub const HAT_NEEDS_SITUATION: &str = "Describe the situation, for example: /hat pitching a new product idea to the exec team for next year's budget";
pub const REFLECTION_EMPTY: &str = "That reflection is empty, so nothing was saved. Write a sentence or two about your week and send it again.";
pub const FREE_NOTE_QUESTION: &str = "What happened, and what did you learn?";
pub const FREE_FOLLOW_UP: &str = "What will you do differently next week because of it?";
pub const FORGOTTEN_MEANWHILE: &str = "You asked me to forget you a moment ago, so this was not \
    saved. Send it again if you want to start a new log.";
pub const FORGET_CANCELLED: &str = "Nothing was deleted. Your log is as it was.";
pub const FORGET_NOTHING: &str =
    "There was nothing stored about you, so there was nothing to delete.";
pub const LOG_EMPTY: &str = "Your development log is empty. Write your first entry with /reflect: one line about your week is enough.";
pub const MODE_HINT: &str =
    "Start a reflection with 'leadership:' or 'management:' to set the mode yourself.";

pub const STALE_BUTTON: &str =
    "That button is no longer valid. Run the command again for a fresh one.";
pub const NOT_YOUR_BUTTON: &str =
    "Those buttons belong to someone else's message. Run the command yourself to get your own.";

/// The first word about the weekly question, in the member's time zone (UTC unless their
/// platform told us theirs).
pub fn default_nudge(zone: &str) -> String {
    format!(
        "Each Monday at 09:30 ({zone}) I will send you one question to reflect on. \
         Set your own day, time and time zone with /nudge set, for example: /nudge set monday 09:30 Europe/Berlin"
    )
}
pub const UNREACHABLE_STATUS: &str =
    "On hold: my last weekly question could not be delivered to you.";
pub const NUDGE_USAGE: &str = "/nudge set <day> <HH:MM> [time zone], /nudge pause <weeks>, \
    /nudge pause until <YYYY-MM-DD>, /nudge resume, /nudge off, /nudge reminder on|off";
pub const PAUSE_WEEKS_RANGE: &str =
    "Pause for a whole number of weeks from 1 to 52, for example: /nudge pause 2";
pub const PAUSE_UNTIL_NEEDS_DATE: &str =
    "Say the date to pause until, as YYYY-MM-DD, for example: /nudge pause until 2026-12-24";
pub const PAUSE_DATE_RANGE: &str = "The pause must end in the future and within a year.";
pub const TEAM_NEEDS_CHANNEL: &str = "The team question is posted in a team channel, so it is set up \
    with /team from the chat where your team meets, not from here.";
pub const TEAM_POSTS: &str = "Each week I post a question for your team's next meeting.";
pub const TEAM_NONE: &str =
    "No weekly team question is set up here. A server admin can add one with /team set.";
pub const GUILD_ONLY: &str = "That command works in a server channel, not in a direct message.";
pub const TEAM_ADMIN_ONLY: &str =
    "Only members who can manage this server can set up the team question.";
pub const PAUSE_NEEDS_LENGTH: &str =
    "Say how long to pause: a number of weeks, or a date to pause until (YYYY-MM-DD).";
pub const TEAM_WHY: &str =
    "Leaders make it safe to name risks and disagree. Ask it out loud, then thank whoever answers.";

pub const HAT_MANAGE_TITLE: &str = "Wear the manager's hat: execute the known";
pub const HAT_MANAGE_WHY: &str =
    "This is about flawless, predictable delivery of something already decided.";
pub const HAT_LEAD_TITLE: &str = "Wear the leader's hat: explore the unknown";
pub const HAT_LEAD_WHY: &str = "This is about direction and influence: getting people to want a \
    future that does not exist yet.";
pub const HAT_UNDECIDED_TITLE: &str = "I can't tell which hat yet";
pub const HAT_NOTHING_KNOWN: &str =
    "Nothing in it points either way yet. Answer the question below and ask me again.";
pub const HAT_TOO_CLOSE: &str =
    "It points both ways about equally, so the answer to the question below decides it.";
pub const HAT_ASK_GOAL: &str = "What is it for: delivering something already decided, or \
    changing where the product or the team is going?";
pub const HAT_ASK_METRIC: &str = "How will you know it worked: on time, on scope and on budget, \
    or a change in customers, revenue or the people on the team?";
pub const HAT_ASK_ACTIVITIES: &str = "What will you spend the week doing: planning and tracking \
    the work, or persuading, coaching and choosing a direction?";
pub const HAT_SHEET_TITLE: &str = "Manage or lead? The cheat sheet";
pub const HAT_SHEET_INTRO: &str = "Managing executes the known: delivery, predictability, \
    efficiency. Leading explores the unknown: vision, influence, alignment. Read your situation \
    row by row.";
pub const HAT_SHEET: [(crate::content::Dimension, &str); 5] = [
    (
        crate::content::Dimension::Goal,
        "Manage: ship what was decided, well. Lead: decide where to go, and why.",
    ),
    (
        crate::content::Dimension::Example,
        "Manage: plan next sprint for the current product. Lead: make the case for a new bet next year.",
    ),
    (
        crate::content::Dimension::Activities,
        "Manage: plan, track, unblock, write specs. Lead: tell the story, align people, coach.",
    ),
    (
        crate::content::Dimension::Metric,
        "Manage: on time, on scope, velocity. Lead: adoption, retention, market share, a stronger team.",
    ),
    (
        crate::content::Dimension::Tools,
        "Manage: tracker, roadmap, spreadsheet. Lead: narrative, prototype, the conversation itself.",
    ),
];

pub const REFLECTION_MAX_CHARS: usize = 4_000;
pub const SITUATION_MAX_CHARS: usize = 1_000;
pub const QUERY_MAX_CHARS: usize = 200;

pub fn unknown_command(name: &str) -> String {
    format!(
        "I don't know the command '/{}'. Type /help to see what I can do.",
        crate::mentor::words::shorten(name, 30)
    )
}

pub fn unknown_mode(typed: &str) -> String {
    format!(
        "I didn't recognise '{}' as a hat (leadership or management), so I suggested one.",
        crate::mentor::words::shorten(typed, 20)
    )
}

pub fn unknown_day(typed: &str) -> String {
    format!(
        "I don't know the day '{}'. Use a weekday such as monday or thu.",
        crate::mentor::words::shorten(typed, 20)
    )
}

pub fn bad_time(typed: &str) -> String {
    format!(
        "'{}' is not a time I can use. Write it as HH:MM between 00:00 and 23:59, for example 09:30.",
        crate::mentor::words::shorten(typed, 20)
    )
}

pub fn bad_date(typed: &str) -> String {
    format!(
        "'{}' is not a date I can read. Write it as YYYY-MM-DD, for example 2026-12-24.",
        crate::mentor::words::shorten(typed, 20)
    )
}

pub fn unknown_zone(typed: &str, close: &[&str]) -> String {
    let typed = crate::mentor::words::shorten(typed, 40);
    if close.is_empty() {
        format!(
            "I don't know the time zone '{typed}'. Use an IANA name such as Europe/Berlin or America/New_York."
        )
    } else {
        format!(
            "I don't know the time zone '{typed}'. Did you mean {}?",
            close.join(", ")
        )
    }
}

pub fn reflection_too_long(length: usize) -> String {
    format!(
        "That reflection is {length} characters; the limit is {REFLECTION_MAX_CHARS}. Nothing was saved. \
         Shorten it, or split it into two entries, and send it again."
    )
}

pub fn too_long(what: &str, length: usize, max: usize) -> String {
    format!("That {what} is {length} characters; please keep it under {max}.")
}

pub fn unknown_stage(query: &str, library: &Library) -> String {
    let choices: Vec<String> = library
        .stages
        .iter()
        .map(|stage| format!("{} ({})", stage.id, stage.name))
        .collect();
    format!(
        "I don't know the stage '{}'. Choose one of: {}.",
        crate::mentor::words::shorten(query, 40),
        choices.join(", ")
    )
}

pub fn no_tip_matches(query: &str, library: &Library) -> String {
    let topics: Vec<&str> = library
        .topics
        .iter()
        .map(|topic| topic.id.as_str())
        .collect();
    format!(
        "No tip matches '{}'; try one of: {}.",
        crate::mentor::words::shorten(query, 60),
        topics.join(", ")
    )
}

pub fn unknown_format(format: &str) -> String {
    format!(
        "I can't export as '{}'; choose markdown, json or csv.",
        crate::mentor::words::shorten(format, 20)
    )
}

pub fn log_page_out_of_range(page: i64, pages: i64) -> String {
    let pages = crate::mentor::words::count_of(pages, "page", "pages");
    format!("There is no page {page}: your log has {pages}.")
}

pub fn internal_error(error_id: &str) -> String {
    format!(
        "Sorry, something went wrong on my side. Please try again in a moment; if it keeps happening, \
         give the person who runs mentorbot this id: {error_id}."
    )
}

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
        "The first round is made now, then every {}. Members join with optin.",
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
