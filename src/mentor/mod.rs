//! The mentor: the platform-neutral core. Takes plain values, returns a [`Reply`];
//! knows nothing of Discord, Slack or the terminal.

mod balance;
pub mod challenge;
pub mod chart;
pub mod coach;
pub mod command;
pub mod export;
mod forget;
pub mod hat;
pub mod holidays;
mod home;
mod log;
pub mod mentoring;
pub mod messages;
pub mod nudge;
mod reflect;
pub mod reply;
mod stage;
pub mod streak;
mod team;
mod team_view;
mod tips;
pub mod web;
pub mod words;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::content::{Library, Stage};
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::store::{Member, Store};

pub use challenge::{ChallengeAction, ChallengeCommand, Place};
pub use coach::CoachCommand;
pub use command::{Command, ForgetStep};
pub use export::ExportFormat;
pub use nudge::NudgeCommand;
pub use reply::{Action, Attachment, Button, ButtonStyle, Field, Later, Notice, Reply};
pub use team::TeamCommand;

/// [`MemberRef::workspace`] on Discord: its user ids are the same in every server.
pub const DISCORD_WORKSPACE: &str = "global";
/// [`MemberRef::workspace`] in the terminal.
pub const TERMINAL_WORKSPACE: &str = "local";

/// Who is asking: a member of one workspace on one platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRef {
    pub platform: Platform,
    /// The space in which `user` names one person, and so the scope of their one log: the
    /// Slack team (`T…`) on Slack; [`DISCORD_WORKSPACE`] on Discord, whose user ids are global,
    /// so a person has one log whichever server or DM they write from; [`TERMINAL_WORKSPACE`]
    /// in the terminal. A team channel's server or workspace is passed separately.
    pub workspace: String,
    /// The platform's id for the person.
    pub user: String,
    /// How to address them.
    pub name: String,
}

impl MemberRef {
    pub fn new(platform: Platform, workspace: &str, user: &str, name: &str) -> MemberRef {
        MemberRef {
            platform,
            workspace: workspace.to_string(),
            user: user.to_string(),
            name: name.to_string(),
        }
    }
}

/// The mentor, shared by every front end.
#[derive(Clone, Debug)]
pub struct Mentor {
    store: Store,
    library: Arc<Library>,
    clock: Arc<dyn Clock>,
    /// The "which hat?" model, trained from the library at start-up.
    hat_model: Arc<hat::Model>,
    tip_words: Arc<tips::TipWords>,
    /// The team's own model, when the operator configured one.
    coach: Option<Arc<coach::CoachPort>>,
    /// Where people reach the web view, when the operator set it up.
    web_url: Option<Arc<str>>,
}

impl Mentor {
    pub fn new(store: Store, library: Arc<Library>, clock: Arc<dyn Clock>) -> Mentor {
        let hat_model = Arc::new(hat::Model::from_library(&library));
        let tip_words = Arc::new(tips::TipWords::new(&library));
        Mentor {
            store,
            library,
            clock,
            hat_model,
            tip_words,
            coach: None,
            web_url: None,
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Carries out one command for one member.
    pub async fn handle(&self, who: &MemberRef, command: Command) -> Result<Reply> {
        let answered = async {
            let mut reply = self.run(who, command).await?;
            self.add_notices(who, &mut reply).await?;
            Ok(reply)
        };
        forgotten_meanwhile(nudge::within_one_command(answered).await)
    }

    async fn run(&self, who: &MemberRef, command: Command) -> Result<Reply> {
        match command {
            Command::Tip { query } => self.tip(who, query.as_deref()).await,
            Command::Hat { situation } => self.hat(who, &situation).await,
            Command::Stage => self.stage(who).await,
            Command::StageSet { stage } => self.set_stage(who, &stage).await,
            Command::Reflect { text: None, .. } => self.show_prompt(who).await,
            Command::Reflect {
                text: Some(text),
                mode,
            } => self.reflect(who, &text, mode, None).await,
            Command::Answer { entry, text } => self.reflect(who, &text, None, Some(entry)).await,
            Command::Log { page } => self.log(who, page).await,
            Command::Export { format } => self.export(who, format).await,
            Command::Balance => self.balance(who).await,
            Command::Forget { step } => self.forget(who, step).await,
            Command::Nudge(nudge) => self.nudge(who, nudge).await,
            Command::Team(team) => self.team(who, team).await,
            Command::Challenge(challenge) => self.challenge(who, challenge).await,
            Command::Mentoring(mentoring) => self.mentoring(who, mentoring).await,
            Command::Coach(coach) => self.coach_command(who, coach).await,
            Command::Premortem { project } => self.premortem(who, &project).await,
            Command::Review { weeks } => self.review(who, weeks).await,
            Command::Web { teams } => self.web_link(who, &teams).await,
            Command::Help => Ok(help()),
        }
    }

    /// Carries out what a button stands for, on behalf of the member who pressed it.
    pub async fn press(&self, who: &MemberRef, action: Action) -> Result<Reply> {
        forgotten_meanwhile(match action {
            Action::LogPage(page) => self.log(who, page).await,
            Action::ForgetConfirm => self.forget(who, ForgetStep::Confirm).await,
            Action::ForgetCancel => self.forget(who, ForgetStep::Cancel).await,
            Action::AnswerPrompt => self.show_prompt(who).await,
            Action::ShareTip(place) => self.shared_tip(who, place),
            Action::WebLink => self.web_link(who, &[]).await,
            Action::AnswerFollowUp(entry) => Ok(Reply::new(
                messages::COACH_QUESTION_TITLE,
                self.question_about(who, entry).await?,
            )
            .private()),
        })
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    async fn find_member(&self, who: &MemberRef) -> Result<Option<Member>> {
        let member = self
            .store
            .find_member(who.platform, &who.workspace, &who.user)
            .await?;
        if let Some(member) = &member {
            note_notices(who, member);
        }
        Ok(member)
    }

    async fn ensure_member(&self, who: &MemberRef) -> Result<Member> {
        let name = words::shorten(&words::clean_typed_text(&who.name), 100);
        let member = self
            .store
            .ensure_member(
                who.platform,
                &who.workspace,
                &who.user,
                &name,
                self.now().timestamp(),
            )
            .await?;
        // A new member (read from the insert) has notices due.
        note_notices(who, &member);
        Ok(member)
    }

    /// The member's chosen stage, or the first stage when they have not chosen.
    fn stage_of(&self, member: Option<&Member>) -> &Stage {
        member
            .and_then(|member| member.stage.as_deref())
            .and_then(|id| self.library.stage(id))
            .unwrap_or_else(|| self.library.first_stage())
    }
}

/// Tells this command's notices when the member's read showed none can be due, so they skip
/// their own read.
fn note_notices(who: &MemberRef, member: &Member) {
    if member.notices_pending == Some(false) {
        nudge::note_no_notice_due(who);
    }
}

/// A write that raced the member's own `/forget` (from another window or device) found them
/// gone: they get a plain answer, not an apology for an internal error.
fn forgotten_meanwhile(result: Result<Reply>) -> Result<Reply> {
    match result {
        Err(Error::Internal(error)) if crate::store::is_about_a_forgotten_member(&error) => {
            Err(Error::user(messages::FORGOTTEN_MEANWHILE))
        }
        other => other,
    }
}

fn help() -> Reply {
    let mut reply = Reply::new(messages::HELP_TITLE, messages::HELP_INTRO).private();
    for (usage, line) in messages::COMMANDS {
        reply = reply.field(usage, line);
    }
    reply
}
