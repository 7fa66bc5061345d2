//! Turns a mentor `Reply` into Discord messages: an embed, buttons that carry their owner,
//! an attachment, the ephemeral flag, and allowed mentions that never ping anyone.

use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle as DiscordButtonStyle, CreateActionRow, CreateAllowedMentions, CreateAttachment,
    CreateButton, CreateEmbed, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    UserId,
};

use crate::mentor::words::{printable, shorten};
use crate::mentor::{Action, ButtonStyle, Field, Reply};

use super::wording;

/// Discord's limits on embeds (characters).
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4_096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1_024;
const EMBED_TOTAL_MAX: usize = 5_800;
/// mentorbot's colour: a calm teal.
const COLOUR: u32 = 0x2a9d8f;

/// The parts of a Discord message, shared by command replies, component updates and scheduled
/// messages. A note has text and no embed; a rendered `Reply` has an embed.
pub struct Message {
    pub content: Option<String>,
    pub embed: Option<CreateEmbed>,
    pub components: Vec<CreateActionRow>,
    pub attachment: Option<CreateAttachment>,
    pub ephemeral: bool,
}

/// The message for `reply`. Buttons carry their `owner`; a message with no owner (a channel
/// post) gets no buttons, since nobody could rightly press them.
pub fn message(reply: &Reply, owner: Option<UserId>) -> Message {
    let notices: Vec<Field> = reply.notices.iter().map(wording::notice).collect();
    let fields: Vec<&Field> = reply.fields.iter().chain(&notices).collect();
    // Nothing typed reaches Discord with control or reordering characters intact.
    let title = shorten(&printable(&reply.title), TITLE_MAX);
    let description = shorten(&printable(&reply.text), DESCRIPTION_MAX);
    let mut embed = CreateEmbed::new().title(&title).colour(COLOUR);
    if !description.is_empty() {
        embed = embed.description(&description);
    }
    // Keep the whole embed inside Discord's total by sharing what is left between fields.
    let names: usize = fields
        .iter()
        .map(|f| f.name.chars().count().min(FIELD_NAME_MAX))
        .sum();
    let left =
        EMBED_TOTAL_MAX.saturating_sub(title.chars().count() + description.chars().count() + names);
    let per_field = match fields.len() {
        0 => FIELD_VALUE_MAX,
        n => (left / n).clamp(40, FIELD_VALUE_MAX),
    };
    for field in fields.into_iter().take(25) {
        let value = shorten(&printable(&field.value), per_field);
        let value = if value.trim().is_empty() {
            "-".to_string()
        } else {
            value
        };
        embed = embed.field(
            shorten(&printable(&field.name), FIELD_NAME_MAX),
            value,
            false,
        );
    }
    let owned_buttons = owner.map(|owner| reply.buttons.iter().map(move |b| (b, owner)));
    let buttons: Vec<CreateButton> = owned_buttons
        .into_iter()
        .flatten()
        .take(5)
        .map(|(button, owner)| {
            CreateButton::new(custom_id(button.action, owner))
                .label(shorten(&button.label, 80))
                .style(match button.style {
                    ButtonStyle::Primary => DiscordButtonStyle::Primary,
                    ButtonStyle::Secondary => DiscordButtonStyle::Secondary,
                    ButtonStyle::Danger => DiscordButtonStyle::Danger,
                })
        })
        .collect();
    let components = if buttons.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(buttons)]
    };
    let attachment = reply
        .attachment
        .as_ref()
        .map(|file| CreateAttachment::bytes(file.data.clone(), file.filename.clone()));
    Message {
        content: None,
        embed: Some(embed),
        components,
        attachment,
        ephemeral: reply.private,
    }
}

impl Message {
    /// A short private note, such as an error or a refusal.
    pub fn note(text: &str) -> Message {
        Message {
            content: Some(shorten(&printable(text), 2_000)),
            embed: None,
            components: Vec::new(),
            attachment: None,
            ephemeral: true,
        }
    }

    /// The file to upload with the message, if any (at most one, so its id 0 is `files[0]`).
    pub fn files(&self) -> Vec<CreateAttachment> {
        self.attachment.iter().cloned().collect()
    }

    /// As the first response to an interaction.
    pub fn initial(self) -> CreateInteractionResponseMessage {
        let out = CreateInteractionResponseMessage::new()
            .embeds(self.embed.into_iter().collect())
            .components(self.components)
            .add_files(self.attachment)
            .ephemeral(self.ephemeral)
            .allowed_mentions(CreateAllowedMentions::new());
        match self.content {
            Some(content) => out.content(content),
            None => out,
        }
    }

    /// As a follow-up, after the interaction was acknowledged (deferred).
    pub fn followup(self) -> CreateInteractionResponseFollowup {
        let out = CreateInteractionResponseFollowup::new()
            .embeds(self.embed.into_iter().collect())
            .components(self.components)
            .add_files(self.attachment)
            .ephemeral(self.ephemeral)
            .allowed_mentions(CreateAllowedMentions::new());
        match self.content {
            Some(content) => out.content(content),
            None => out,
        }
    }
}

/// A reply to a command, a button press or a form, for its owner.
pub fn response(reply: &Reply, owner: UserId) -> Message {
    message(reply, Some(owner))
}

/// A button's result replacing the message it was pressed on (which keeps its visibility).
pub fn update(reply: &Reply, owner: UserId) -> CreateInteractionResponseMessage {
    let parts = message(reply, Some(owner));
    let mut out = CreateInteractionResponseMessage::new()
        .components(parts.components)
        .allowed_mentions(CreateAllowedMentions::new());
    if let Some(embed) = parts.embed {
        out = out.embed(embed);
    }
    out
}

/// The same note as a poise reply.
pub fn note_reply(text: &str) -> poise::CreateReply {
    poise::CreateReply::default()
        .content(shorten(&printable(text), 2_000))
        .ephemeral(true)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// `log:2:123456`: the action, then the id of the only member allowed to press it.
pub fn custom_id(action: Action, owner: UserId) -> String {
    format!("{}:{}", action.id(), owner.get())
}

/// The action and owner of a button id; `None` for ids mentorbot did not make.
pub fn parse_custom_id(id: &str) -> Option<(Action, UserId)> {
    let (action, owner) = id.rsplit_once(':')?;
    let owner = owner.parse::<u64>().ok().filter(|id| *id != 0)?;
    Some((Action::from_id(action)?, UserId::new(owner)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_carry_the_owner() {
        let id = custom_id(Action::LogPage(2), UserId::new(42));
        assert_eq!(id, "log:2:42");
        assert_eq!(
            parse_custom_id(&id),
            Some((Action::LogPage(2), UserId::new(42)))
        );
        assert_eq!(
            parse_custom_id("forget:confirm:7"),
            Some((Action::ForgetConfirm, UserId::new(7)))
        );
        for junk in ["", "log:2", "log:2:x", "log:2:0", "other:thing:5"] {
            assert_eq!(parse_custom_id(junk), None, "{junk}");
        }
    }
}
