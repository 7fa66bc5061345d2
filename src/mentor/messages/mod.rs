//! Fixed user-facing text, kept together so it can be read and reviewed as prose.

use crate::content::Library;

mod coach;
mod team;
mod web;

pub use coach::*;
pub use team::*;
pub use web::*;

pub const HELP_TITLE: &str = "What I can do";
pub const HELP_INTRO: &str =
    "I help product managers practise leadership a little every week. Your log is private to you.";

/// Every command with one line each, in the order a newcomer would try them.
pub const COMMANDS: [(&str, &str); 16] = [
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
        "Choose your stage: associate, senior, staff, principal, director or vp.",
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
        "/premortem <project>",
        "Imagine the project failed: name the likeliest reasons, pick one to act on this week. Saved to your log.",
    ),
    (
        "/review [weeks]",
        "A summary of your log for a 1:1 or a review: balance, key moments, themes and a focus (12 weeks unless you say).",
    ),
    (
        "/coach [on|off]",
        "An opt-in coach on your team's own model: follow-up questions written for what you wrote.",
    ),
    (
        "/web",
        "A link to your log, progress and (if you lead) your team as web pages. Works once, for ten minutes.",
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

pub const SHARE_TIP_LABEL: &str = "Share with the channel";
pub const SHARED_BY: &str = "Shared by";
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
