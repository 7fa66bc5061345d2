//! The web view's side of the mentor: one-time sign-in links asked for in chat, the sessions
//! they open, and what each page shows (`pages`, `progress`). The web front end draws them.

mod pages;
mod progress;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::Member;

use super::{MemberRef, Mentor, Reply, messages};

pub use pages::{LogPage, WebEntry};
pub use progress::{Progress, TeamDashboard, WeekCell};

/// How long a sign-in link works.
pub const LINK_MINUTES: i64 = 10;
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// A session just opened: the cookie's token (never stored) and when it ends.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub token: String,
    pub expires_at: i64,
}

/// Who is looking at a page: the member, the teams they lead, and their session's CSRF token.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub member: Member,
    pub who: MemberRef,
    pub teams: Vec<String>,
    pub csrf: String,
    pub expires_at: i64,
}

impl Visitor {
    pub fn leads(&self, workspace: &str) -> bool {
        self.teams.iter().any(|team| team == workspace)
    }
}

/// 32 random bytes as 64 hex digits: 256 bits, for links, sessions and CSRF tokens.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex(&bytes))
}

/// What is stored for a token: its SHA-256, so a copy of the database signs nobody in.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as links and cookies carry it; anything else is refused before a lookup.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Mentor {
    /// Offers the web view at `public_url` (where people reach mentorbot's HTTP server).
    pub fn with_web(mut self, public_url: &str) -> Mentor {
        self.web_url = Some(public_url.trim_end_matches('/').into());
        self
    }

    /// `/web`: a one-time sign-in link, private to the member. `teams` are the workspaces the
    /// front end has confirmed the member leads.
    pub async fn web_link(&self, who: &MemberRef, teams: &[String]) -> Result<Reply> {
        let Some(base) = self.web_url.as_deref() else {
            return Ok(Reply::new(messages::WEB_TITLE, messages::WEB_NOT_SET_UP).private());
        };
        let member = self.ensure_member(who).await?;
        let token = new_token()?;
        let now = self.now().timestamp();
        self.store.drop_stale_web_rows(now).await?;
        self.store
            .add_web_link(
                member.id,
                &token_hash(&token),
                &teams.join("\n"),
                now,
                now + LINK_MINUTES * 60,
            )
            .await?;
        let mut text = messages::web_link(&format!("{base}/signin/{token}"), LINK_MINUTES);
        let leader = messages::web_link_for_leader(teams.len());
        if !leader.is_empty() {
            text = format!("{text}\n{leader}");
        }
        Ok(Reply::new(messages::WEB_TITLE, text).private())
    }

    /// True when the link is unused and fresh (the sign-in page checks before its button).
    pub async fn link_usable(&self, token: &str) -> Result<bool> {
        if !well_formed(token) {
            return Ok(false);
        }
        let now = self.now().timestamp();
        Ok(self.store.web_link_usable(&token_hash(token), now).await?)
    }

    /// Uses a link, once, and opens a session; `None` for an unknown, used or expired link.
    pub async fn sign_in(&self, token: &str) -> Result<Option<SignedIn>> {
        if !well_formed(token) {
            return Ok(None);
        }
        let now = self.now().timestamp();
        let Some((member_id, teams)) = self.store.use_web_link(&token_hash(token), now).await?
        else {
            return Ok(None);
        };
        let session = new_token()?;
        let csrf = new_token()?;
        let expires_at = now + SESSION_HOURS * 3600;
        self.store
            .add_web_session(
                member_id,
                &token_hash(&session),
                (&teams, &csrf),
                now,
                expires_at,
            )
            .await?;
        Ok(Some(SignedIn {
            token: session,
            expires_at,
        }))
    }

    /// The member behind a session cookie, while the session lasts.
    pub async fn visitor(&self, session: &str) -> Result<Option<Visitor>> {
        if !well_formed(session) {
            return Ok(None);
        }
        let now = self.now().timestamp();
        let Some(found) = self.store.web_session(&token_hash(session), now).await? else {
            return Ok(None);
        };
        let Some(member) = self.store.member_by_id(found.member_id).await? else {
            return Ok(None);
        };
        let who = MemberRef::new(
            member.platform,
            &member.workspace,
            &member.user_id,
            &member.display_name,
        );
        Ok(Some(Visitor {
            who,
            member,
            teams: found
                .teams
                .lines()
                .filter(|team| !team.is_empty())
                .map(str::to_string)
                .collect(),
            csrf: found.csrf,
            expires_at: found.expires_at,
        }))
    }

    pub async fn sign_out(&self, session: &str) -> Result<()> {
        if well_formed(session) {
            self.store.end_web_session(&token_hash(session)).await?;
        }
        Ok(())
    }
}

/// Refuses what a member may not save as an entry, with the same words as the chat.
fn checked_text(text: &str) -> Result<String> {
    let text = super::words::clean_typed_text(text);
    if text.is_empty() {
        return Err(Error::user(messages::REFLECTION_EMPTY));
    }
    let length = text.chars().count();
    if length > messages::REFLECTION_MAX_CHARS {
        return Err(Error::user(messages::reflection_too_long(length)));
    }
    Ok(text)
}
