//! The words of the coach: its status, the follow-up, the pre-mortem and the review.

pub const COACH_USAGE: &str = "Use /coach to see what the coach does, /coach on to turn it on, \
    or /coach off to turn it off.";
pub const COACH_NOT_SET_UP: &str = "The coach is not set up here. It runs on your team's own \
    language model, which whoever runs mentorbot configures (MENTORBOT_COACH_URL and \
    MENTORBOT_COACH_MODEL). Everything else works as before.";
pub const COACH_WHAT_IS_SENT: &str = "When you write with /reflect, the coach reads that entry \
    with your stage and asks one follow-up question about it. /premortem sends the project you \
    describe, /review the entries of the weeks you ask about, and /hat the situation when \
    mentorbot cannot tell which hat it calls for. Only your own words and mentorbot's content \
    go to the model; never anyone else's. Its answers are saved in your log, so /export \
    includes them and /forget deletes them.";
pub const COACH_OWN_NETWORK: &str =
    "It runs inside your organisation's network, not in a vendor's cloud.";
pub const COACH_REMOTE: &str = "It runs outside your organisation's network: whoever runs \
    mentorbot chose that server on purpose, and your words go there.";
pub const COACH_TURNED_ON: &str = "The coach is on. Your next /reflect gets a follow-up question \
    written for what you wrote.";
pub const COACH_TURNED_OFF: &str =
    "The coach is off. Nothing of yours is sent to the model from now on.";
pub const COACH_IS_READING: &str =
    "Your coach is reading this and will ask one question about it in a moment.";
pub const COACH_QUESTION_TITLE: &str = "A question from your coach";
pub const COACH_MARK: &str =
    "Written by your team's own model for what you wrote. Answer it with the button or /reflect.";
pub const FOLLOW_UP_TITLE: &str = "To think about next";
pub const ANSWER_LABEL: &str = "Answer";
pub const ANSWERING_ENTRY: &str = "Your answer to the question about entry";
pub const ANSWER_USAGE: &str = "Say which entry's question you are answering, then your answer, \
    for example: /answer 12 Dana owns it from Monday";

pub const SECOND_OPINION_TITLE: &str = "A second opinion from your coach";
pub const SECOND_OPINION_MARK: &str = "mentorbot's own reading could not tell, so your team's \
    model was asked. It is a second opinion, not a verdict: the question above still decides.";

pub const PREMORTEM_USAGE: &str = "Describe the project after the command, for example: \
    /premortem the vendor integration for the January launch";
pub const PREMORTEM_MAX_CHARS: usize = 1_000;
pub const PREMORTEM_INTRO: &str = "Imagine it is six months from now and this project has \
    failed. Naming how it fails now is cheaper than finding out later.";
pub const PREMORTEM_FROM_COACH: &str = "The likeliest ways it fails, from your coach";
pub const PREMORTEM_QUESTIONS: &str = "Walk through these";
pub const PREMORTEM_ACT: &str = "Your move this week";

pub const REVIEW_USAGE: &str =
    "Give the number of weeks to review, from 1 to 52, for example: /review 12";
pub const REVIEW_DEFAULT_WEEKS: i64 = 12;
pub const REVIEW_EMPTY: &str = "There are no entries in that period to review yet. Write one \
    with /reflect, or review a longer period, for example /review 26.";
pub const REVIEW_FROM_COACH: &str = "In your coach's words";
pub const REVIEW_FILE_NOTE: &str =
    "The whole review is attached as a Markdown file, ready for your 1:1 or review.";
