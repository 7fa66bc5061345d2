//! The terminal front end: one command per line in, plain text out. Interactive with a prompt
//! when stdin is a terminal; scriptable when it is not. Everything printed passes through
//! `printable`, so no typed escape sequence ever reaches the terminal.

mod files;
mod input;

use anyhow::Context;
use tokio::io::{AsyncBufRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::mentor::words::{printable, shorten};

use crate::mentor::{
    Command, Later, MemberRef, Mentor, Notice, Place, Reply, TERMINAL_WORKSPACE, command,
};
use crate::outbound::{MessageId, Messenger, SendError, SendFuture};

/// Hands the scheduler's messages to the terminal session, which prints them at the prompt.
pub struct TerminalMessenger {
    outbox: mpsc::UnboundedSender<String>,
}

/// A messenger and the receiving end the session reads from.
pub fn messenger() -> (TerminalMessenger, mpsc::UnboundedReceiver<String>) {
    let (outbox, inbox) = mpsc::unbounded_channel();
    (TerminalMessenger { outbox }, inbox)
}

impl TerminalMessenger {
    fn print(&self, message: &Reply, key: &str) -> Result<MessageId, SendError> {
        let text = printable(&render(message));
        self.outbox
            .send(text)
            .map_err(|_| SendError::Transient("the terminal session has ended".into()))?;
        MessageId::new(format!("terminal-{key}"))
            .ok_or_else(|| SendError::Rejected("a delivery without a key".into()))
    }
}

impl Messenger for TerminalMessenger {
    fn send_direct<'a>(
        &'a self,
        _user: &'a str,
        message: &'a Reply,
        key: &'a str,
    ) -> SendFuture<'a> {
        Box::pin(async move { self.print(message, key) })
    }

    fn post<'a>(&'a self, _channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a> {
        Box::pin(async move { self.print(message, key) })
    }
}

pub const QUIT_WORDS: [&str; 4] = ["/quit", "/exit", "quit", "exit"];
const LINE_TOO_LONG: &str = "That line is longer than 64 KiB, so I skipped it. Nothing was saved. \
    A reflection holds up to 4,000 characters.\n";
const NOT_UTF8: &str = "That line is not valid UTF-8 text, so I ignored it. Nothing was saved.\n";
/// The longest line read; the rest of a longer one is skipped, never held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads commands until end of input or `/quit`, answering each one. A closed output (the
/// reader went away, as with `| head -1`) ends the session quietly.
pub async fn run<R, W>(
    mentor: &Mentor,
    who: &MemberRef,
    input: R,
    output: W,
    interactive: bool,
    notices: mpsc::UnboundedReceiver<String>,
) -> anyhow::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    match session(mentor, who, input, output, interactive, notices).await {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("the terminal session"),
    }
}

async fn session<R, W>(
    mentor: &Mentor,
    who: &MemberRef,
    mut input: R,
    mut output: W,
    interactive: bool,
    mut notices: mpsc::UnboundedReceiver<String>,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let greeting = format!(
        "mentorbot: your product leadership mentor, here in the terminal as {}. Type /help to begin, /quit to leave.\n\
         (To bring it to your team, set DISCORD_TOKEN and restart; see the README.)\n",
        printable(&shorten(&who.name, 100))
    );
    output.write_all(greeting.as_bytes()).await?;
    let mut line = Vec::new();
    let mut notices_open = true;
    loop {
        if interactive && line.is_empty() {
            output.write_all(b"> ").await?;
        }
        output.flush().await?;
        // A nudge that comes due is printed at the prompt; a half-typed line stays in `line`.
        let read = tokio::select! {
            read = input::read_line(&mut input, &mut line, MAX_LINE_BYTES) => read?,
            notice = notices.recv(), if notices_open => {
                match notice {
                    Some(text) => output.write_all(text.as_bytes()).await?,
                    None => notices_open = false,
                }
                continue;
            }
        };
        let answers = match read {
            input::Line::End => {
                if interactive {
                    output.write_all(b"\nBye. Your log is saved.\n").await?;
                }
                break;
            }
            input::Line::TooLong => vec![LINE_TOO_LONG.to_string()],
            input::Line::Complete => match std::str::from_utf8(&line) {
                Err(_) => vec![NOT_UTF8.to_string()],
                Ok(text) => {
                    // A bare carriage return ends a line too (files from old editors).
                    for part in text.split(['\r', '\n']).map(str::trim) {
                        if is_quit(part) {
                            output.flush().await?;
                            return Ok(());
                        }
                        let Some((text, later)) = answer(mentor, who, part).await else {
                            continue;
                        };
                        output.write_all(text.as_bytes()).await?;
                        output.flush().await?;
                        // The saved answer is on screen; the coach's question follows it.
                        if let Some(later) = later {
                            output
                                .write_all(answer_later(mentor, who, later).await.as_bytes())
                                .await?;
                        }
                    }
                    Vec::new()
                }
            },
        };
        line.clear();
        output.write_all(answers.concat().as_bytes()).await?;
    }
    output.flush().await
}

/// A quit word on its own, or `/quit` and `/exit` with words after them (`/quit now`). A
/// sentence that merely starts with "exit" ("Exit criteria are unclear") is not one.
fn is_quit(line: &str) -> bool {
    let line = line.to_lowercase();
    let first = line.split_whitespace().next().unwrap_or_default();
    QUIT_WORDS.contains(&line.as_str()) || matches!(first, "/quit" | "/exit")
}

/// The terminal's one "channel", where its challenge posts would go.
const TERMINAL_CHANNEL: &str = "terminal";

/// The text printed for one typed line, and any work left for after it is shown; `None` for
/// a blank line.
async fn answer(mentor: &Mentor, who: &MemberRef, line: &str) -> Option<(String, Option<Later>)> {
    if line.is_empty() {
        return None;
    }
    if !line.starts_with('/') {
        return Some((
            "Commands start with '/'. To save that as a reflection, type /reflect followed by your text; /help lists the rest.\n"
                .to_string(),
            None,
        ));
    }
    let result = match command::parse(line) {
        // The terminal is a team of one: its member leads their own challenges.
        Ok(Command::Challenge(mut challenge)) => {
            challenge.place = Place {
                workspace: TERMINAL_WORKSPACE.to_string(),
                channel: TERMINAL_CHANNEL.to_string(),
                leader: true,
            };
            mentor.handle(who, Command::Challenge(challenge)).await
        }
        Ok(command) => mentor.handle(who, command).await,
        Err(error) => Err(error),
    };
    let (text, later) = match result {
        Ok(mut reply) => (render(&reply), reply.later.take()),
        Err(error) => (
            format!("{}\n", super::error_text(&error, "terminal command")),
            None,
        ),
    };
    Some((printable(&text), later))
}

/// What a reply left for later, such as the coach's follow-up question, as text.
async fn answer_later(mentor: &Mentor, who: &MemberRef, later: Later) -> String {
    match mentor.later(who, later).await {
        Ok(Some(reply)) => printable(&render(&reply)),
        Ok(None) => String::new(),
        Err(error) => format!("{}\n", super::error_text(&error, "terminal follow-up")),
    }
}

/// A reply as plain text: title, text, fields, then the commands behind any buttons.
pub fn render(reply: &Reply) -> String {
    let mut out = format!("\n{}\n", reply.title);
    if !reply.text.is_empty() {
        out.push_str(&reply.text);
        out.push('\n');
    }
    let notices = reply.notices.iter().map(notice_words);
    let fields = reply
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.value.clone()));
    for (name, value) in fields.chain(notices) {
        out.push_str(&format!("\n{name}\n"));
        for line in value.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if !reply.buttons.is_empty() {
        out.push('\n');
        let hints: Vec<String> = reply
            .buttons
            .iter()
            .filter_map(|button| Some(format!("{}: {}", button.label, button.action.command()?)))
            .collect();
        out.push_str(&hints.join("   "));
        out.push('\n');
    }
    if let Some(attachment) = &reply.attachment {
        out.push_str(&files::save(attachment));
    }
    out
}

/// A notice from the core in the terminal's words.
fn notice_words(notice: &Notice) -> (&str, String) {
    match notice {
        Notice::Unreachable => (
            "I could not reach you",
            "Your weekly question could not be shown here. Run /nudge resume to try again.".into(),
        ),
        Notice::TeamChannel(channel) => ("Channel", channel.clone()),
    }
}
