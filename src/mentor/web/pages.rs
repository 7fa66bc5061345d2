//! The log on the web: a page of entries that pass a filter, one entry, editing and deleting
//! it, and the same export files as the chat's.

use crate::content::Mode;
use crate::error::{Error, Result};
use crate::store::{LogFilter, LoggedEntry, ModeSource};

use super::super::log::day;
use super::super::{Attachment, ExportFormat, Mentor};
use super::{Visitor, checked_text};

/// Entries on one page of the web log.
pub const WEB_PAGE_SIZE: i64 = 20;

/// One entry as a page shows it. `text` is what the member wrote, unescaped: the page
/// escapes it.
#[derive(Clone, Debug)]
pub struct WebEntry {
    pub id: i64,
    pub number: i64,
    pub day: String,
    /// `YYYY-MM-DD`, for a `<time>` element.
    pub date: String,
    pub mode: Mode,
    pub stated: bool,
    pub question: Option<String>,
    pub challenge: Option<String>,
    pub text: String,
}

/// A page of the log and what its filter can choose from.
#[derive(Clone, Debug)]
pub struct LogPage {
    pub entries: Vec<WebEntry>,
    /// Entries passing the filter.
    pub matching: i64,
    pub page: i64,
    pub pages: i64,
    /// (prompt id, question) for each prompt the member answered.
    pub prompts: Vec<(String, String)>,
    /// (challenge id, title) for each challenge the member checked in to.
    pub challenges: Vec<(i64, String)>,
}

impl Mentor {
    /// Page `page` (from 1) of the visitor's entries that pass `filter`, newest first. A page
    /// past the end shows the last one.
    pub async fn web_log(
        &self,
        visitor: &Visitor,
        filter: &LogFilter,
        page: i64,
    ) -> Result<LogPage> {
        let member = visitor.member.id;
        // Past any real log: 10,000 pages of 20 is 200,000 entries.
        let page = page.clamp(1, 10_000);
        // Independent reads, so they run side by side on the pool's connections.
        let (searched, answered, challenges) = tokio::try_join!(
            self.store
                .search_log(member, filter, WEB_PAGE_SIZE, (page - 1) * WEB_PAGE_SIZE),
            self.store.answered_prompts(member),
            self.store.checked_challenges(member),
        )?;
        let (mut found, mut matching) = searched;
        let pages = ((matching + WEB_PAGE_SIZE - 1) / WEB_PAGE_SIZE).max(1);
        let page = if page > pages && matching == 0 {
            1
        } else if page > pages {
            (found, matching) = self
                .store
                .search_log(member, filter, WEB_PAGE_SIZE, (pages - 1) * WEB_PAGE_SIZE)
                .await?;
            pages
        } else {
            page
        };
        let prompts = answered
            .into_iter()
            .filter_map(|id| {
                let question = self.library.prompt(&id)?.question.clone();
                Some((id, question))
            })
            .collect();
        Ok(LogPage {
            entries: found.iter().map(|entry| self.web_entry_of(entry)).collect(),
            matching,
            page,
            pages,
            prompts,
            challenges,
        })
    }

    /// One of the visitor's entries; `None` for anyone else's, so a page can say "not found"
    /// without a hint that it exists.
    pub async fn web_entry(&self, visitor: &Visitor, id: i64) -> Result<Option<WebEntry>> {
        let found = self.store.logged_entry(visitor.member.id, id).await?;
        Ok(found.map(|entry| self.web_entry_of(&entry)))
    }

    /// Rewrites one of the visitor's entries: false when it is not theirs. Text is checked as
    /// in the chat; a changed mode counts as stated.
    pub async fn web_edit(
        &self,
        visitor: &Visitor,
        id: i64,
        text: &str,
        mode: Mode,
    ) -> Result<bool> {
        let text = checked_text(text)?;
        Ok(self
            .store
            .edit_entry(visitor.member.id, id, &text, mode)
            .await?)
    }

    pub async fn web_delete(&self, visitor: &Visitor, id: i64) -> Result<bool> {
        Ok(self.store.delete_entry(visitor.member.id, id).await?)
    }

    /// The chat's export file for the visitor.
    pub async fn web_export(&self, visitor: &Visitor, format: ExportFormat) -> Result<Attachment> {
        let reply = self.export(&visitor.who, format).await?;
        reply
            .attachment
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("the export made no file")))
    }

    fn web_entry_of(&self, entry: &LoggedEntry) -> WebEntry {
        let reflection = &entry.reflection;
        WebEntry {
            id: reflection.id,
            number: reflection.number,
            day: day(reflection.created_at),
            date: chrono::DateTime::from_timestamp(reflection.created_at, 0)
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            mode: reflection.mode,
            stated: reflection.mode_source == ModeSource::Stated,
            question: reflection
                .prompt_id
                .as_deref()
                .and_then(|id| self.library.prompt(id))
                .map(|prompt| prompt.question.clone()),
            challenge: entry.challenge.clone(),
            text: reflection.text.clone(),
        }
    }
}
