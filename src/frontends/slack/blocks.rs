//! Turns a mentor `Reply` into Block Kit: a header, sections, fields, and buttons that carry
//! their owner. Every text is escaped, so nothing a member typed can ping a channel.

use slack_morphism::prelude::*;

use crate::content::ReflectionPrompt;
use crate::mentor::words::{printable, shorten};
use crate::mentor::{Action, ButtonStyle, Reply, messages};

use super::wording;

/// Slack's limits (characters): header text, section text, one field, a button's label.
const HEADER_MAX: usize = 150;
const SECTION_MAX: usize = 3_000;
const FIELD_MAX: usize = 2_000;
const FIELD_NAME_MAX: usize = 200;
/// Slack's plain-text input takes at most 3,000 characters.
const FORM_TEXT_MAX: u64 = 3_000;
const LABEL_MAX: usize = 75;
/// Slack allows 50 blocks in a message; keep well inside it.
const BLOCKS_MAX: usize = 40;

/// The reflection form's ids, read back when it is submitted.
pub const FORM_ID: &str = "mentorbot:reflect";
pub const TEXT_BLOCK: &str = "text";
pub const TEXT_INPUT: &str = "answer";
pub const MODE_BLOCK: &str = "mode";
pub const MODE_INPUT: &str = "mode";
const BUTTONS_BLOCK: &str = "mentorbot:buttons";

/// The core's words with Slack's command names (`/mentor log`), not yet escaped.
fn words(text: &str) -> String {
    wording::slack_commands(&printable(text))
}

/// One character as Slack text: the three markup characters escaped.
fn escaped_char(c: char) -> std::borrow::Cow<'static, str> {
    match c {
        '&' => "&amp;".into(),
        '<' => "&lt;".into(),
        '>' => "&gt;".into(),
        other => other.to_string().into(),
    }
}

/// `text` escaped and split into pieces of at most `max` characters each, cut between
/// characters of the original, never inside an escape.
fn escaped_pieces(text: &str, max: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut length = 0;
    for c in text.chars() {
        let escaped = escaped_char(c);
        let width = escaped.chars().count();
        if length + width > max {
            pieces.push(String::new());
            length = 0;
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push_str(&escaped);
        }
        length += width;
    }
    pieces.retain(|piece| !piece.trim().is_empty());
    pieces
}

/// `text` escaped, shortened to `max` characters with an ellipsis when it is longer.
fn escaped_within(text: &str, max: usize) -> String {
    let mut pieces = escaped_pieces(text, max.saturating_sub(1).max(1)).into_iter();
    let first = pieces.next().unwrap_or_default();
    match pieces.next() {
        Some(_) => format!("{first}…"),
        None => first,
    }
}

/// Escapes the three characters Slack treats as markup, so `<!channel>`, `<!here>` and
/// `<@U…>` typed by a member show as text and never ping. Control characters go too.
pub fn escape(text: &str) -> String {
    printable(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The blocks and the plain-text fallback (shown in notifications) for `reply`. Buttons carry
/// `owner` in their value; with no owner (a channel post) there are no buttons.
pub fn message(reply: &Reply, owner: Option<&str>) -> SlackMessageContent {
    let mut blocks: Vec<SlackBlock> = Vec::new();
    // A header is plain text, where Slack's escapes would show as typed; angle brackets
    // become look-alikes instead, so no mention can form.
    let title = shorten(&printable(&reply.title), HEADER_MAX)
        .replace('<', "‹")
        .replace('>', "›");
    if !title.trim().is_empty() {
        blocks.push(SlackHeaderBlock::new(pt!(title.clone())).into());
    }
    blocks.extend(sections(&words(&reply.text)));
    let notices = reply.notices.iter().map(wording::notice);
    let fields = reply
        .fields
        .iter()
        .map(|field| {
            let name = escaped_within(&words(&field.name), FIELD_NAME_MAX);
            (name, escaped_within(&words(&field.value), FIELD_MAX))
        })
        .chain(notices);
    for (name, value) in fields {
        let value = if value.trim().is_empty() {
            "-".to_string()
        } else {
            value
        };
        let text = format!("*{name}*\n{value}");
        blocks.push(SlackSectionBlock::new().with_text(md!(text)).into());
    }
    blocks.truncate(BLOCKS_MAX);
    if let Some(owner) = owner.filter(|_| !reply.buttons.is_empty()) {
        let buttons = reply
            .buttons
            .iter()
            .take(5)
            .map(|button| button_element(button.action, &button.label, button.style, owner))
            .collect();
        blocks.push(
            SlackActionsBlock::new(buttons)
                .with_block_id(BUTTONS_BLOCK.into())
                .into(),
        );
    }
    SlackMessageContent::new()
        .with_text(fallback(&title, &words(&reply.text)))
        .with_blocks(blocks)
}

/// The App Home tab for `owner`: the reply's blocks, its buttons carrying the owner.
pub fn home(reply: &Reply, owner: &str) -> SlackView {
    let blocks = message(reply, Some(owner)).blocks.unwrap_or_default();
    SlackView::Home(SlackHomeView::new(blocks))
}

/// A short note, such as an error or a refusal: one section, no header.
pub fn note(text: &str) -> SlackMessageContent {
    SlackMessageContent::new()
        .with_text(escaped_within(&words(text), 300))
        .with_blocks(sections(&words(text)))
}

/// A note, then what the member typed, handed back exactly as typed (in code blocks, where
/// Slack formats nothing), so nothing they wrote is lost.
pub fn note_with_typed_text(text: &str, typed: &str) -> SlackMessageContent {
    let mut blocks = sections(&words(text));
    blocks.extend(sections(wording::TYPED_TEXT_BACK));
    let typed = printable(typed).replace("```", "`\u{200B}``");
    for piece in escaped_pieces(&typed, SECTION_MAX - 8) {
        let block = SlackSectionBlock::new().with_text(md!(format!("```{piece}```")));
        blocks.push(block.into());
    }
    blocks.truncate(BLOCKS_MAX);
    SlackMessageContent::new()
        .with_text(escaped_within(&words(text), 300))
        .with_blocks(blocks)
}

fn button_element(
    action: Action,
    label: &str,
    style: ButtonStyle,
    owner: &str,
) -> SlackActionBlockElement {
    let button = SlackBlockButtonElement::new(pt!(shorten(label, LABEL_MAX)))
        .with_action_id(action.id().into())
        .with_value(owner.to_string());
    let button = match style {
        ButtonStyle::Primary => button.with_style(SlackBlockButtonStyle::Primary),
        ButtonStyle::Danger => button.with_style(SlackBlockButtonStyle::Danger),
        ButtonStyle::Secondary => button,
    };
    SlackActionBlockElement::Button(button)
}

/// Text escaped into sections; text longer than one section allows goes into several.
fn sections(text: &str) -> Vec<SlackBlock> {
    escaped_pieces(text, SECTION_MAX)
        .into_iter()
        .map(|piece| SlackSectionBlock::new().with_text(md!(piece)).into())
        .collect()
}

/// The text a notification shows: the title and the start of the text.
fn fallback(title: &str, text: &str) -> String {
    let line = match (title.trim().is_empty(), text.trim().is_empty()) {
        (true, _) => text.to_string(),
        (false, true) => title.to_string(),
        (false, false) => format!("{title}: {text}"),
    };
    escaped_within(&line, 300)
}

/// The reflection form: this week's question (or a free note once it is answered), a
/// paragraph of at most 4,000 characters, and an optional mode.
pub fn reflection_form(prompt: Option<&ReflectionPrompt>) -> SlackView {
    let (title, question) = match prompt {
        Some(prompt) => ("This week's reflection", prompt.question.as_str()),
        None => ("A note for your log", messages::FREE_NOTE_QUESTION),
    };
    let mode = SlackBlockPlainTextInputElement::new()
        .with_action_id(MODE_INPUT.into())
        .with_max_length(20)
        .with_placeholder(pt!("Leave empty and I will suggest one"));
    let mode = SlackInputBlock::new(pt!("Hat: leadership or management"), mode.into())
        .with_block_id(MODE_BLOCK.into())
        .with_optional(true)
        .into();
    form(title, question, Some(mode), FORM_ID.to_string())
}

/// The form answering the question asked about entry `entry` (the coach's follow-up or a
/// pre-mortem's closing question); its callback id carries the entry.
pub fn answer_form(entry: i64, question: &str) -> SlackView {
    let callback = format!("{ANSWER_FORM_PREFIX}{entry}");
    form("Answer the question", question, None, callback)
}

/// A form: the question, the paragraph answering it (up to Slack's 3,000 characters), any
/// further input, Save and Cancel.
fn form(title: &str, question: &str, extra: Option<SlackBlock>, callback: String) -> SlackView {
    let answer = SlackBlockPlainTextInputElement::new()
        .with_action_id(TEXT_INPUT.into())
        .with_multiline(true)
        .with_min_length(1)
        .with_max_length(FORM_TEXT_MAX)
        .with_placeholder(pt!("A few honest lines are plenty."));
    let mut blocks: Vec<SlackBlock> = vec![
        SlackSectionBlock::new()
            .with_text(md!(escaped_within(question, SECTION_MAX)))
            .into(),
        SlackInputBlock::new(pt!("Your answer"), answer.into())
            .with_block_id(TEXT_BLOCK.into())
            .with_hint(pt!(wording::FORM_LIMIT_HINT))
            .into(),
    ];
    blocks.extend(extra);
    SlackView::Modal(
        SlackModalView::new(pt!(title), blocks)
            .with_submit(pt!("Save"))
            .with_close(pt!("Cancel"))
            .with_callback_id(callback.into()),
    )
}

/// The callback id of [`answer_form`], before the entry number.
pub const ANSWER_FORM_PREFIX: &str = "mentorbot:answer:";

#[cfg(test)]
mod tests {
    use super::*;

    fn json(content: &SlackMessageContent) -> String {
        serde_json::to_string(content).unwrap_or_default()
    }

    #[test]
    fn typed_mentions_are_escaped_everywhere() {
        let reply = Reply::new("<!channel> title", "hi <!here> & <@U123>")
            .field("<!everyone>", "<#C1|general>");
        let out = json(&message(&reply, None));
        for live in ["<!channel>", "<!here>", "<@U123>", "<!everyone>", "<#C1"] {
            assert!(!out.contains(live), "{live} survived in {out}");
        }
        assert!(out.contains("&lt;!here&gt;"));
        assert!(out.contains("&amp;"));
    }

    #[test]
    fn buttons_carry_their_owner_and_channel_posts_have_none() {
        let reply =
            Reply::new("Log", "page 1").button(Action::LogPage(2), "Older", ButtonStyle::Secondary);
        let owned = json(&message(&reply, Some("U42")));
        assert!(owned.contains("\"action_id\":\"log:2\""), "{owned}");
        assert!(owned.contains("\"value\":\"U42\""), "{owned}");
        assert!(!json(&message(&reply, None)).contains("log:2"));
    }

    #[test]
    fn long_text_is_split_within_slack_limits() {
        let reply = Reply::new("Long", "x".repeat(7_000));
        let content = message(&reply, None);
        let blocks = content.blocks.unwrap_or_default();
        assert_eq!(blocks.len(), 1 + 3);
    }
}
