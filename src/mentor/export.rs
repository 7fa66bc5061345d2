//! Export of the whole development log: Markdown grouped by month for a conversation with a
//! manager, and JSON and CSV that carry every field.

use std::collections::HashMap;

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use crate::content::Mode;
use crate::error::{Error, Result};
use crate::store::{ModeCounts, Reflection};

use super::balance::describe;
use super::log::day;
use super::words::{clean_typed_text, count_of, printable, shorten};
use super::{Attachment, MemberRef, Mentor, Reply, messages};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Json,
    Csv,
}

impl ExportFormat {
    /// Reads a format name; empty means Markdown.
    pub fn parse(name: &str) -> Result<ExportFormat> {
        match name.trim().to_lowercase().as_str() {
            "" | "markdown" | "md" => Ok(ExportFormat::Markdown),
            "json" => Ok(ExportFormat::Json),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Error::user(messages::unknown_format(other))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "text/markdown; charset=utf-8",
            ExportFormat::Json => "application/json",
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// One entry as exported in JSON and CSV; every stored field, plus the prompt's question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedEntry {
    pub number: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub mode: String,
    pub mode_source: String,
    pub prompt_id: Option<String>,
    pub prompt: Option<String>,
    pub text: String,
    /// The follow-up question asked about this entry by the coach (or a pre-mortem's).
    #[serde(default)]
    pub coach_question: Option<String>,
}

/// Something the coach wrote that belongs to no single entry: a review or a second opinion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedNote {
    /// `review` or `hat`.
    pub kind: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportedLog {
    pub member: String,
    pub exported_at: String,
    pub stage: Option<String>,
    pub entries: Vec<ExportedEntry>,
    #[serde(default)]
    pub coach_notes: Vec<ExportedNote>,
}

fn rfc3339(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

impl Mentor {
    pub(super) async fn export(&self, who: &MemberRef, format: ExportFormat) -> Result<Reply> {
        let member = self.find_member(who).await?;
        let (entries, notes) = match &member {
            Some(member) => (
                self.store.all_reflections(member.id).await?,
                self.store.coach_notes(member.id).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let questions: HashMap<i64, &str> = notes
            .iter()
            .filter(|note| note.kind == "follow_up")
            .filter_map(|note| Some((note.entry?, note.text.as_str())))
            .collect();
        let now = self.now();
        let log = ExportedLog {
            member: shorten(&clean_typed_text(&who.name), 100),
            exported_at: now.to_rfc3339(),
            stage: member.as_ref().and_then(|m| m.stage.clone()),
            entries: entries
                .iter()
                .map(|entry| ExportedEntry {
                    coach_question: questions.get(&entry.number).map(|q| q.to_string()),
                    ..self.exported(entry)
                })
                .collect(),
            coach_notes: notes
                .iter()
                .filter(|note| note.kind != "follow_up")
                .map(|note| ExportedNote {
                    kind: note.kind.clone(),
                    created_at: rfc3339(note.created_at),
                    text: note.text.clone(),
                })
                .collect(),
        };
        let data = match format {
            ExportFormat::Markdown => self.markdown(&log, &entries).into_bytes(),
            ExportFormat::Json => serde_json::to_vec_pretty(&log).map_err(anyhow::Error::from)?,
            ExportFormat::Csv => csv_bytes(&log.entries)?,
        };
        let filename = format!(
            "mentorbot-log-{}.{}",
            now.format("%Y-%m-%d"),
            format.extension()
        );
        let count = count_of(entries.len(), "entry", "entries");
        let mut reply = Reply::new(
            "Your development log",
            format!("{count}, attached as {filename}."),
        )
        .private();
        reply.attachment = Some(Attachment {
            filename,
            content_type: format.content_type(),
            data,
        });
        Ok(reply)
    }

    fn exported(&self, entry: &Reflection) -> ExportedEntry {
        ExportedEntry {
            number: entry.number,
            created_at: rfc3339(entry.created_at),
            mode: entry.mode.as_str().to_string(),
            mode_source: entry.mode_source.as_str().to_string(),
            prompt_id: entry.prompt_id.clone(),
            prompt: entry
                .prompt_id
                .as_deref()
                .and_then(|id| self.library.prompt(id))
                .map(|p| p.question.clone()),
            text: entry.text.clone(),
            coach_question: None,
        }
    }

    /// Month by month, oldest first, with each month's mix: a story of the period.
    fn markdown(&self, log: &ExportedLog, entries: &[Reflection]) -> String {
        use std::fmt::Write;
        let stage = log.stage.as_deref().and_then(|id| self.library.stage(id));
        let mut out =
            String::with_capacity(entries.iter().map(|e| e.text.len() + 80).sum::<usize>() + 512);
        let _ = writeln!(
            out,
            "# Development log: {}\n",
            markdown_text(&printable(&log.member))
        );
        let _ = writeln!(
            out,
            "Exported {} with mentorbot.",
            day(self.now().timestamp())
        );
        let total = counts(entries);
        let count = count_of(entries.len(), "entry", "entries");
        let _ = write!(out, "{count}: {}.", describe(total));
        if let Some(stage) = stage {
            let _ = write!(
                out,
                " Target for {}: {}% management, {}% leadership.",
                stage.name,
                stage.target_management,
                stage.target_leadership()
            );
        }
        out.push('\n');
        let pairs: Vec<(&Reflection, &ExportedEntry)> = entries.iter().zip(&log.entries).collect();
        for month_pairs in pairs.chunk_by(|a, b| month(a.0.created_at) == month(b.0.created_at)) {
            let title = DateTime::from_timestamp(month_pairs[0].0.created_at, 0)
                .map(|t| t.format("%B %Y").to_string())
                .unwrap_or_default();
            let month_counts = counts(month_pairs.iter().map(|(entry, _)| *entry));
            let _ = writeln!(out, "\n## {title}\n\n{}\n", describe(month_counts));
            for (entry, exported) in month_pairs {
                let _ = writeln!(
                    out,
                    "### #{} · {} · {}\n",
                    entry.number,
                    day(entry.created_at),
                    entry.mode
                );
                if let Some(question) = &exported.prompt {
                    let _ = writeln!(out, "> {question}\n");
                }
                let _ = writeln!(out, "{}\n", markdown_text(&printable(&entry.text)));
                if let Some(question) = &exported.coach_question {
                    let question = markdown_text(&printable(question));
                    let _ = writeln!(out, "> Asked next: {question}\n");
                }
            }
        }
        if !log.coach_notes.is_empty() {
            let _ = writeln!(out, "\n## Reviews and second opinions\n");
            for note in &log.coach_notes {
                let date = note.created_at.get(..10).unwrap_or_default();
                let text = printable(&note.text);
                match note.kind.as_str() {
                    "review" => {
                        let _ = writeln!(out, "{}\n", nested_review(&text));
                    }
                    _ => {
                        let _ = writeln!(out, "### Second opinion on a situation · {date}\n");
                        let _ = writeln!(out, "{}\n", markdown_text(&text));
                    }
                }
            }
        }
        out
    }
}

fn month(seconds: i64) -> (i32, u32) {
    use chrono::Datelike;
    DateTime::from_timestamp(seconds, 0)
        .map(|t| (t.year(), t.month()))
        .unwrap_or_default()
}

fn counts<'a>(entries: impl IntoIterator<Item = &'a Reflection>) -> ModeCounts {
    let mut counts = ModeCounts::default();
    for entry in entries {
        match entry.mode {
            Mode::Leadership => counts.leadership += 1,
            Mode::Management => counts.management += 1,
        }
    }
    counts
}

/// The CSV columns, in the order of [`ExportedEntry`]'s fields; written even for an empty log.
pub const CSV_HEADER: [&str; 8] = [
    "number",
    "created_at",
    "mode",
    "mode_source",
    "prompt_id",
    "prompt",
    "text",
    "coach_question",
];

/// A member's text in Markdown that cannot change the document's structure: HTML is escaped,
/// and a line that would open a heading, quote, list, rule, table or code block starts with a
/// backslash instead, so it reads as the text it is.
fn markdown_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.trim_start();
            let line = if line.contains(['&', '<', '>']) {
                line.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            } else {
                line.to_string()
            };
            let opens_block = line.starts_with(['#', '=', '-', '*', '+', '_', '`', '~', '|'])
                || line.split_once(['.', ')']).is_some_and(|(number, _)| {
                    !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
                });
            if opens_block {
                format!("\\{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A saved review (Markdown mentorbot wrote, its HTML already escaped) inside the export: its
/// headings moved under the export's own.
fn nested_review(text: &str) -> String {
    text.lines()
        .map(|line| match line.starts_with('#') {
            true => format!("##{line}"),
            false => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return
/// first) starts with an apostrophe instead, as OWASP recommends; JSON keeps the text exact.
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn csv_bytes(entries: &[ExportedEntry]) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer
        .write_record(CSV_HEADER)
        .map_err(anyhow::Error::from)?;
    for entry in entries {
        let safe = ExportedEntry {
            prompt: entry.prompt.as_deref().map(spreadsheet_safe),
            text: spreadsheet_safe(&entry.text),
            coach_question: entry.coach_question.as_deref().map(spreadsheet_safe),
            ..entry.clone()
        };
        writer.serialize(safe).map_err(anyhow::Error::from)?;
    }
    Ok(writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("finishing the CSV export: {e}"))?)
}
