//! The platform-neutral answer to a command, which each front end renders in its own way.

/// What a front end shows after a command.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply {
    pub title: String,
    pub text: String,
    pub fields: Vec<Field>,
    pub buttons: Vec<Button>,
    pub attachment: Option<Attachment>,
    /// What happened that each front end says in its own platform's words.
    pub notices: Vec<Notice>,
    /// Replies about a person's own log, stage and balance are private to them.
    pub private: bool,
    /// Slower work to do once this reply is shown (the front end asks `Mentor::later`).
    pub later: Option<Later>,
}

/// Work a reply leaves for after it is shown, so a model's answer never holds up a saved one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Later {
    /// A follow-up question about this entry of the member's log.
    FollowUp { entry: i64 },
    /// The coach's reading of a situation the hat model could not decide.
    SecondOpinion { situation: String },
}

/// Something the core reports without wording it, because the words depend on the platform:
/// how to allow direct messages, or how to link a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The platform refused to deliver the member's weekly question; nudges are held until they
    /// allow direct messages from mentorbot and run `/nudge resume`.
    Unreachable,
    /// The team question is posted in this channel (the platform's channel id).
    TeamChannel(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    pub action: Action,
    pub label: String,
    pub style: ButtonStyle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Danger,
}

/// A file handed to the member, such as an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: &'static str,
    pub data: Vec<u8>,
}

/// What pressing a button does. Front ends carry it in the button (Discord's `custom_id`)
/// or, in the terminal, show the command that does the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    LogPage(i64),
    ForgetConfirm,
    ForgetCancel,
    AnswerPrompt,
    /// Answer the question asked about this entry (a follow-up or a pre-mortem's).
    AnswerFollowUp(i64),
    /// Post the tip (its place in the library) for the whole channel.
    ShareTip(i64),
    /// Send a sign-in link to the web view.
    WebLink,
}

impl Action {
    /// The typed command with the same effect, for text front ends; `None` for what only a
    /// team chat can do (sharing with a channel).
    pub fn command(self) -> Option<String> {
        Some(match self {
            Action::LogPage(page) => format!("/log {page}"),
            Action::ForgetConfirm => "/forget confirm".to_string(),
            Action::ForgetCancel => "/forget cancel".to_string(),
            Action::AnswerPrompt => "/reflect <your answer>".to_string(),
            Action::AnswerFollowUp(entry) => format!("/answer {entry} <your answer>"),
            Action::ShareTip(_) => return None,
            Action::WebLink => "/web".to_string(),
        })
    }

    /// A compact id for platform buttons.
    pub fn id(self) -> String {
        match self {
            Action::LogPage(page) => format!("log:{page}"),
            Action::ForgetConfirm => "forget:confirm".to_string(),
            Action::ForgetCancel => "forget:cancel".to_string(),
            Action::AnswerPrompt => "reflect:answer".to_string(),
            Action::AnswerFollowUp(entry) => format!("answer:{entry}"),
            Action::ShareTip(tip) => format!("tip-share:{tip}"),
            Action::WebLink => "web:link".to_string(),
        }
    }

    pub fn from_id(id: &str) -> Option<Action> {
        match id.split_once(':')? {
            ("log", page) => page
                .parse()
                .ok()
                .filter(|page| *page >= 1)
                .map(Action::LogPage),
            ("forget", "confirm") => Some(Action::ForgetConfirm),
            ("forget", "cancel") => Some(Action::ForgetCancel),
            ("reflect", "answer") => Some(Action::AnswerPrompt),
            ("answer", entry) => entry
                .parse()
                .ok()
                .filter(|entry| *entry >= 1)
                .map(Action::AnswerFollowUp),
            ("web", "link") => Some(Action::WebLink),
            ("tip-share", tip) => tip
                .parse()
                .ok()
                .filter(|tip| *tip >= 0)
                .map(Action::ShareTip),
            _ => None,
        }
    }
}

impl Reply {
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Reply {
        Reply {
            title: title.into(),
            text: text.into(),
            ..Reply::default()
        }
    }

    pub fn private(mut self) -> Reply {
        self.private = true;
        self
    }

    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    pub fn notice(mut self, notice: Notice) -> Reply {
        self.notices.push(notice);
        self
    }

    pub fn button(mut self, action: Action, label: impl Into<String>, style: ButtonStyle) -> Reply {
        self.buttons.push(Button {
            action,
            label: label.into(),
            style,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_ids_round_trip_and_reject_junk() {
        for action in [
            Action::LogPage(3),
            Action::ForgetConfirm,
            Action::ForgetCancel,
            Action::AnswerPrompt,
            Action::AnswerFollowUp(12),
            Action::ShareTip(0),
            Action::WebLink,
        ] {
            assert_eq!(Action::from_id(&action.id()), Some(action));
        }
        for junk in [
            "",
            "log",
            "log:0",
            "log:-2",
            "log:x",
            "forget:now",
            "drop:table",
            "answer:0",
            "answer:x",
        ] {
            assert_eq!(Action::from_id(junk), None, "{junk}");
        }
    }
}
