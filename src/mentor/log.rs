//! The development log, newest first, ten entries a page, with totals.

use chrono::DateTime;

use crate::error::{Error, Result};
use crate::store::Reflection;

use super::balance::describe;
use super::words::{defuse_mentions, shorten};
use super::{Action, ButtonStyle, MemberRef, Mentor, Reply, messages};

pub const PAGE_SIZE: i64 = 10;

/// "21 Nov 2026".
pub fn day(created_at: i64) -> String {
    DateTime::from_timestamp(created_at, 0)
        .map(|t| t.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}

impl Mentor {
    pub(super) async fn log(&self, who: &MemberRef, page: i64) -> Result<Reply> {
        if page < 1 {
            return Err(Error::user(messages::LOG_PAGE_USAGE));
        }
        let Some(member) = self.find_member(who).await? else {
            return Ok(Reply::new("Your development log", messages::LOG_EMPTY).private());
        };
        let totals = self.store.mode_counts_since(member.id, i64::MIN).await?;
        if totals.total() == 0 {
            return Ok(Reply::new("Your development log", messages::LOG_EMPTY).private());
        }
        let pages = (totals.total() + PAGE_SIZE - 1) / PAGE_SIZE;
        if page > pages {
            return Err(Error::user(messages::log_page_out_of_range(page, pages)));
        }
        let entries = self
            .store
            .reflections_page(member.id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
            .await?;
        let count = super::words::count_of(totals.total(), "entry", "entries");
        let streak = super::streak::describe(
            self.streak_in(member.id, self.zone_of(&member).await?)
                .await?,
        );
        let mut reply = Reply::new(
            format!("Your development log, page {page} of {pages}"),
            format!("{count}: {}.\nStreak: {streak}", describe(totals)),
        )
        .private();
        for entry in &entries {
            reply = reply.field(entry_heading(entry), self.entry_body(entry));
        }
        if page > 1 {
            reply = reply.button(
                Action::LogPage(page - 1),
                "Previous",
                ButtonStyle::Secondary,
            );
        }
        if page < pages {
            reply = reply.button(Action::LogPage(page + 1), "Next", ButtonStyle::Secondary);
        }
        Ok(reply)
    }

    fn entry_body(&self, entry: &Reflection) -> String {
        let text = defuse_mentions(&shorten(&entry.text, 300));
        match entry
            .prompt_id
            .as_deref()
            .and_then(|id| self.library.prompt(id))
        {
            Some(prompt) => format!("Q: {}\n{text}", prompt.question),
            None => text,
        }
    }
}

fn entry_heading(entry: &Reflection) -> String {
    format!(
        "#{} · {} · {}",
        entry.number,
        day(entry.created_at),
        entry.mode
    )
}
