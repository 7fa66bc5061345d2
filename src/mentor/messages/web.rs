//! What the chat says about the web view.

pub const WEB_TITLE: &str = "Your pages on the web";

pub const WEB_NOT_SET_UP: &str = "The web view is not set up on this mentorbot. \
     Whoever runs it can turn it on by setting MENTORBOT_HTTP_ADDR and MENTORBOT_PUBLIC_URL.";

pub fn web_link(url: &str, minutes: i64) -> String {
    format!(
        "Open your log, your progress and your team's view here:\n{url}\n\
         The link works once, for {minutes} minutes, and only for you: do not forward it. \
         Your session then lasts 12 hours, or until you sign out."
    )
}

pub fn web_link_for_leader(teams: usize) -> String {
    match teams {
        0 => String::new(),
        1 => "You lead this team, so its leader's view is included.".to_string(),
        n => format!("You lead {n} teams, so their leader's views are included."),
    }
}

pub const HOME_TITLE: &str = "Your mentorbot";
pub const HOME_QUESTION: &str = "This week's question";
pub const HOME_ANSWERED: &str = "Answered for this week. A new question comes next week.";
pub const HOME_LATEST: &str = "Your latest entries";
pub const HOME_ANSWER_BUTTON: &str = "Answer this week's question";
pub const HOME_WEB_BUTTON: &str = "Open my pages on the web";

pub fn home_intro(stage: &str, streak: &str) -> String {
    format!("You are working as {stage}. Streak: {streak}")
}
