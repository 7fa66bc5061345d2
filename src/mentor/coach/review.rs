//! `/review [weeks]`: a review-ready summary of the member's own log for a 1:1 or a
//! performance review. The facts (balance against the stage's target, the entries that carry
//! the most weight, themes, the streak, a suggested focus) need no model; with the coach on,
//! its prose is added, and a citation of an entry outside the period is removed before
//! anything is shown, along with any line left citing nothing.

use std::collections::BTreeMap;

use chrono::Duration;

use crate::content::{Library, Mode, Stage};
use crate::error::{Error, Result};
use crate::store::{ModeCounts, Reflection};

use super::super::balance::{describe, leadership_share, weaker_mode};
use super::super::words::{defuse_mentions, shorten, words};
use super::super::{Attachment, MemberRef, Mentor, Reply, messages};
use super::{date_of, entry_line, stage_context};

/// Entries shown per hat, and themes shown.
const MOMENTS: usize = 3;
const THEMES: usize = 3;

impl Mentor {
    pub(in crate::mentor) async fn review(
        &self,
        who: &MemberRef,
        weeks: Option<i64>,
    ) -> Result<Reply> {
        let weeks = weeks.unwrap_or(messages::REVIEW_DEFAULT_WEEKS);
        if !(1..=52).contains(&weeks) {
            return Err(Error::user(messages::REVIEW_USAGE));
        }
        let title = format!("Your review: the last {weeks} weeks");
        let Some(member) = self.find_member(who).await? else {
            return Ok(Reply::new(title, messages::REVIEW_EMPTY).private());
        };
        let zone = self.member_zone(member.id).await?;
        let since = (self.now() - Duration::weeks(weeks)).timestamp();
        let entries: Vec<Reflection> = self
            .store
            .all_reflections(member.id)
            .await?
            .into_iter()
            .filter(|entry| entry.created_at >= since)
            .collect();
        if entries.is_empty() {
            return Ok(Reply::new(title, messages::REVIEW_EMPTY).private());
        }
        let stage = self.stage_of(Some(&member));
        let counts = ModeCounts {
            management: entries
                .iter()
                .filter(|e| e.mode == Mode::Management)
                .count() as i64,
            leadership: entries
                .iter()
                .filter(|e| e.mode == Mode::Leadership)
                .count() as i64,
        };
        let cite = |entry: &Reflection| {
            format!(
                "#{} ({}): {}",
                entry.number,
                date_of(entry.created_at, zone),
                defuse_mentions(&shorten(&entry.text.replace('\n', " "), 120))
            )
        };
        let balance = format!(
            "{} against a target of {}% leadership for {}.",
            describe(counts),
            stage.target_leadership(),
            stage.name
        );
        let leading: Vec<String> = weightiest(&entries, Mode::Leadership)
            .into_iter()
            .map(cite)
            .collect();
        let managing: Vec<String> = weightiest(&entries, Mode::Management)
            .into_iter()
            .map(cite)
            .collect();
        let dates: BTreeMap<i64, String> = entries
            .iter()
            .map(|e| (e.number, date_of(e.created_at, zone)))
            .collect();
        let themes = themes(&self.library, &entries, &dates);
        let streak = super::super::streak::describe(self.streak_in(member.id, zone).await?);
        let focus = suggested_focus(counts, stage);
        let coach_lines = match self.coach_on_for(member.id).await? {
            true => {
                let mut context = stage_context(stage);
                context.push_str(&format!(
                    "\nPeriod: the last {weeks} weeks. Balance: {balance}"
                ));
                let lines: Vec<String> = entries.iter().map(|e| entry_line(e, zone)).collect();
                let instruction = &self.library.coach.coach.review;
                self.consult(&member, "review", instruction, context, lines, 1000, 0.3)
                    .await
                    .map(|answer| checked_citations(&answer, &dates))
                    .unwrap_or_default()
            }
            false => Vec::new(),
        };
        let mut sections: Vec<(&str, Vec<String>)> = vec![
            ("Balance", vec![balance.clone()]),
            ("Leadership moments", leading),
            ("Management moments", managing),
            ("Themes", themes),
            ("Streak", vec![streak]),
            ("Suggested focus", vec![focus]),
        ];
        if !coach_lines.is_empty() {
            sections.push((messages::REVIEW_FROM_COACH, coach_lines));
        }
        let today = self
            .now()
            .with_timezone(&zone)
            .format("%Y-%m-%d")
            .to_string();
        let markdown = markdown(&title, &today, &sections);
        self.store
            .add_coach_note(member.id, None, "review", &markdown, self.now().timestamp())
            .await?;
        let mut reply = Reply::new(
            &title,
            format!(
                "{} from {} to {today}. {}",
                super::super::words::count_of(entries.len(), "entry", "entries"),
                date_of(since, zone),
                messages::REVIEW_FILE_NOTE
            ),
        )
        .private();
        for (name, lines) in sections.into_iter().filter(|(_, lines)| !lines.is_empty()) {
            reply = reply.field(name, lines.join("\n"));
        }
        reply.attachment = Some(Attachment {
            filename: format!("mentorbot-review-{today}.md"),
            content_type: "text/markdown",
            data: markdown.into_bytes(),
        });
        Ok(reply)
    }
}

/// The entries of one hat that carry the most weight: answers to a weekly question and
/// entries whose hat the member stated count more, then the longer ones.
fn weightiest(entries: &[Reflection], mode: Mode) -> Vec<&Reflection> {
    let mut chosen: Vec<&Reflection> = entries.iter().filter(|e| e.mode == mode).collect();
    let weight = |entry: &Reflection| {
        let answered = if entry.prompt_id.is_some() { 200 } else { 0 };
        let stated = match entry.mode_source {
            crate::store::ModeSource::Stated => 100,
            crate::store::ModeSource::Suggested => 0,
        };
        entry.text.chars().count().min(600) + answered + stated
    };
    chosen.sort_by_key(|entry| (std::cmp::Reverse(weight(entry)), entry.number));
    chosen.truncate(MOMENTS);
    chosen.sort_by_key(|entry| entry.number);
    chosen
}

/// The library's topics that come up in two entries or more, most frequent first, each with
/// the entries it comes up in.
fn themes(library: &Library, entries: &[Reflection], dates: &BTreeMap<i64, String>) -> Vec<String> {
    let written: Vec<(i64, Vec<String>, String)> = entries
        .iter()
        .map(|e| (e.number, words(&e.text), e.text.to_lowercase()))
        .collect();
    let mut found: Vec<(String, Vec<i64>)> = library
        .topics
        .iter()
        .map(|topic| {
            let names: Vec<String> = std::iter::once(topic.id.replace('-', " "))
                .chain(topic.aliases.iter().map(|a| a.to_lowercase()))
                .collect();
            let numbers: Vec<i64> = written
                .iter()
                .filter(|(_, words_of, text)| {
                    names.iter().any(|name| match name.contains(' ') {
                        true => text.contains(name.as_str()),
                        false => words(name).first().is_some_and(|w| words_of.contains(w)),
                    })
                })
                .map(|(number, _, _)| *number)
                .collect();
            (topic.id.clone(), numbers)
        })
        .filter(|(_, numbers)| numbers.len() >= 2)
        .collect();
    found.sort_by_key(|(id, numbers)| (std::cmp::Reverse(numbers.len()), id.clone()));
    found
        .into_iter()
        .take(THEMES)
        .map(|(id, numbers)| {
            let cited: Vec<String> = numbers
                .iter()
                .take(4)
                .map(|n| format!("#{n}, {}", dates.get(n).map_or("", String::as_str)))
                .collect();
            format!("{id}: {} entries ({})", numbers.len(), cited.join("; "))
        })
        .collect()
}

fn suggested_focus(counts: ModeCounts, stage: &Stage) -> String {
    let share = leadership_share(counts).unwrap_or(0);
    match weaker_mode(counts, stage) {
        Some(Mode::Leadership) => format!(
            "Lead a little more: {share}% of these entries were leadership against {}%. {}",
            stage.target_leadership(),
            stage.leadership_focus
        ),
        Some(Mode::Management) => format!(
            "Keep delivery solid: {share}% leadership is above the {}% target. {}",
            stage.target_leadership(),
            stage.management_focus
        ),
        None => match stage.next_actions.first() {
            Some(next) => format!("Your mix is on target. Next: {next}"),
            None => "Your mix is on target.".to_string(),
        },
    }
}

/// The model's lines with every citation checked: `#N` of an entry not in `dates` is removed,
/// the rest are rewritten with their dates, and a line left citing nothing is dropped.
pub fn checked_citations(answer: &str, dates: &BTreeMap<i64, String>) -> Vec<String> {
    answer
        .lines()
        .filter_map(|line| {
            let line = line.trim().trim_start_matches(['-', '*', '•']).trim();
            let (claim, cited) = without_citations(line);
            let known: Vec<String> = cited
                .into_iter()
                .filter_map(|n| dates.get(&n).map(|date| format!("#{n}, {date}")))
                .collect();
            if known.is_empty() || claim.split_whitespace().count() < 3 {
                return None;
            }
            let claim = defuse_mentions(&shorten(&claim, 300));
            Some(format!("{claim} ({})", known.join("; ")))
        })
        .collect()
}

/// The line without its `#N` citations (and the brackets and commas left around them), and
/// the numbers it cited, each once, in order.
fn without_citations(line: &str) -> (String, Vec<i64>) {
    let mut text = String::with_capacity(line.len());
    let mut cited = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut digits = String::new();
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                digits.push(d);
                chars.next();
            }
            if let Ok(number) = digits.parse::<i64>()
                && !cited.contains(&number)
            {
                cited.push(number);
            }
            continue;
        }
        text.push(c);
    }
    // Brackets that held only citations: "(, )", "( and )", "[ ]".
    let mut cleaned = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find(['(', '[']) {
        let close_char = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        let Some(close) = rest[open..].find(close_char).map(|at| open + at) else {
            break;
        };
        let inside = &rest[open + 1..close];
        let empty = inside
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .all(|word| {
                word.is_empty() || matches!(word, "and" | "&" | "entry" | "entries" | "see")
            });
        cleaned.push_str(&rest[..open]);
        if !empty {
            cleaned.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    cleaned.push_str(rest);
    let claim = cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".")
        .replace(" ,", ",")
        .trim_end_matches([',', ';', ':', ' '])
        .to_string();
    (claim, cited)
}

fn markdown(title: &str, today: &str, sections: &[(&str, Vec<String>)]) -> String {
    let mut out = format!("# {title}\n\nWritten by mentorbot on {today} from your own log.\n");
    for (name, lines) in sections.iter().filter(|(_, lines)| !lines.is_empty()) {
        out.push_str(&format!("\n## {name}\n\n"));
        for line in lines {
            // HTML in what the member or the model wrote is shown, never run.
            let line = line
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            out.push_str(&format!("- {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_outside_the_log_are_removed_with_the_lines_they_carried() {
        let dates = BTreeMap::from([(4, "2026-11-02".to_string()), (9, "2026-11-16".to_string())]);
        let answer = "- You led the pricing debate with sales (#4, #9).\n\
                      - You rescued the launch date single-handed (#57).\n\
                      - Delivery stayed steady (#9 and #31)\n\
                      - A claim with no citation at all.\n\
                      Focus next on coaching #4";
        assert_eq!(
            checked_citations(answer, &dates),
            vec![
                "You led the pricing debate with sales. (#4, 2026-11-02; #9, 2026-11-16)",
                "Delivery stayed steady (#9, 2026-11-16)",
                "Focus next on coaching (#4, 2026-11-02)",
            ]
        );
    }

    #[test]
    fn brackets_with_words_stay() {
        let (claim, cited) = without_citations("Shipped it (on time) as planned [#3]");
        assert_eq!(claim, "Shipped it (on time) as planned");
        assert_eq!(cited, vec![3]);
    }
}
