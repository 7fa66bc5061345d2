//! Buttons and the reflection form. Both are answered statelessly from the interaction itself
//! (the button id carries its action and owner), so they keep working across restarts.

use poise::serenity_prelude as serenity;
use serenity::http::Route;
use serenity::{
    ComponentInteraction, CreateActionRow, CreateAttachment, CreateInputText,
    CreateInteractionResponse, CreateModal, InputTextStyle, InteractionId, ModalInteraction,
};

use crate::content::{Mode, ReflectionPrompt};
use crate::error::Error as MentorError;
use crate::mentor::words::shorten;
use crate::mentor::{Action, Command, messages};

use super::render::{self, Message};
use super::rest::Payload;
use super::{Context, Data, Error, member_of};

const FORM_ID: &str = "mentorbot:reflect";
/// The form answering the question asked about an entry: `mentorbot:answer:<entry>`.
const ANSWER_FORM_PREFIX: &str = "mentorbot:answer:";
const TEXT_INPUT: &str = "text";
const MODE_INPUT: &str = "mode";

/// The reflection form: this week's question (or a free note once it is answered),
/// a paragraph of at most 4,000 characters, and an optional mode.
fn reflection_form(prompt: Option<&ReflectionPrompt>) -> CreateModal {
    let (title, label, placeholder) = match prompt {
        Some(prompt) => (
            "This week's reflection",
            "Your answer",
            shorten(&prompt.question, 100),
        ),
        None => (
            "A note for your log",
            messages::FREE_NOTE_QUESTION,
            "A few honest lines are plenty.".to_string(),
        ),
    };
    let text = CreateInputText::new(InputTextStyle::Paragraph, label, TEXT_INPUT)
        .placeholder(placeholder)
        .min_length(1)
        .max_length(messages::REFLECTION_MAX_CHARS as u16)
        .required(true);
    let mode = CreateInputText::new(
        InputTextStyle::Short,
        "Hat: leadership or management (optional)",
        MODE_INPUT,
    )
    .placeholder("Leave empty and I will suggest one")
    .max_length(20)
    .required(false);
    CreateModal::new(FORM_ID, title).components(vec![
        CreateActionRow::InputText(text),
        CreateActionRow::InputText(mode),
    ])
}

/// The form answering a question about entry `entry`: the coach's follow-up or a
/// pre-mortem's closing question.
fn answer_form(entry: i64, question: &str) -> CreateModal {
    let text = CreateInputText::new(InputTextStyle::Paragraph, "Your answer", TEXT_INPUT)
        .placeholder(shorten(question, 100))
        .min_length(1)
        .max_length(messages::REFLECTION_MAX_CHARS as u16)
        .required(true);
    CreateModal::new(
        format!("{ANSWER_FORM_PREFIX}{entry}"),
        "Answer the question",
    )
    .components(vec![CreateActionRow::InputText(text)])
}

/// `/reflect` with no text: opens the form in one step.
pub async fn open_reflection_form(ctx: Context<'_>) -> Result<(), Error> {
    let who = member_of(ctx.author());
    let prompt = match ctx.data().mentor.current_prompt(&who).await {
        Ok(prompt) => prompt,
        Err(error) => {
            let text = crate::frontends::error_text(&error, "opening the reflection form");
            return super::send(ctx, render::Message::note(&text)).await;
        }
    };
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let form = CreateInteractionResponse::Modal(reflection_form(prompt.as_ref()));
    let interaction = app.interaction;
    answer(
        ctx.data(),
        interaction.id,
        &interaction.token,
        form,
        Vec::new(),
    )
    .await?;
    app.has_sent_initial_response
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

/// A button press: only its owner may press it; the result replaces the message in place.
pub async fn button(data: &Data, press: &ComponentInteraction) -> Result<(), Error> {
    let note = |text: &str| CreateInteractionResponse::Message(Message::note(text).initial());
    let Some((action, owner)) = render::parse_custom_id(&press.data.custom_id) else {
        return answer(
            data,
            press.id,
            &press.token,
            note(messages::STALE_BUTTON),
            vec![],
        )
        .await;
    };
    if owner != press.user.id {
        let refusal = note(messages::NOT_YOUR_BUTTON);
        return answer(data, press.id, &press.token, refusal, vec![]).await;
    }
    let who = member_of(&press.user);
    if action == Action::AnswerPrompt {
        let response = match data.mentor.current_prompt(&who).await {
            Ok(prompt) => CreateInteractionResponse::Modal(reflection_form(prompt.as_ref())),
            Err(error) => note(&crate::frontends::error_text(&error, "answer button")),
        };
        return answer(data, press.id, &press.token, response, vec![]).await;
    }
    if let Action::ShareTip(_) = action {
        // A new message for the whole channel; the private one stays as it was.
        let response = match data.mentor.press(&who, action).await {
            Ok(reply) => {
                CreateInteractionResponse::Message(render::message(&reply, None).initial())
            }
            Err(error) => note(&crate::frontends::error_text(&error, "share button")),
        };
        return answer(data, press.id, &press.token, response, vec![]).await;
    }
    if let Action::AnswerFollowUp(entry) = action {
        let response = match data.mentor.question_about(&who, entry).await {
            Ok(question) => CreateInteractionResponse::Modal(answer_form(entry, &question)),
            Err(error) => note(&crate::frontends::error_text(&error, "answer button")),
        };
        return answer(data, press.id, &press.token, response, vec![]).await;
    }
    let response = match data.mentor.press(&who, action).await {
        Ok(reply) => CreateInteractionResponse::UpdateMessage(render::update(&reply, owner)),
        Err(error) => note(&crate::frontends::error_text(&error, "button")),
    };
    answer(data, press.id, &press.token, response, vec![]).await
}

/// A submitted reflection form. If it cannot be saved, the text goes back to its author as a
/// file, so nothing they wrote is lost.
pub async fn form(data: &Data, submit: &ModalInteraction) -> Result<(), Error> {
    let answering: Option<i64> = submit
        .data
        .custom_id
        .strip_prefix(ANSWER_FORM_PREFIX)
        .and_then(|entry| entry.parse().ok());
    if submit.data.custom_id != FORM_ID && answering.is_none() {
        let stale =
            CreateInteractionResponse::Message(Message::note(messages::STALE_BUTTON).initial());
        return answer(data, submit.id, &submit.token, stale, vec![]).await;
    }
    let text = input_value(submit, TEXT_INPUT).unwrap_or_default();
    let typed_mode = input_value(submit, MODE_INPUT).unwrap_or_default();
    let mode = Mode::parse(&typed_mode);
    let who = member_of(&submit.user);
    let command = match answering {
        Some(entry) => Command::Answer {
            entry,
            text: text.clone(),
        },
        None => Command::Reflect {
            text: Some(text.clone()),
            mode,
        },
    };
    let mut later = None;
    let response = match data.mentor.handle(&who, command).await {
        Ok(mut reply) => {
            if mode.is_none() && !typed_mode.trim().is_empty() {
                reply.text = format!("{}\n{}", messages::unknown_mode(&typed_mode), reply.text);
            }
            later = reply.later.take();
            render::response(&reply, submit.user.id)
        }
        Err(error) => {
            let mut note = Message::note(&crate::frontends::error_text(&error, "reflection form"));
            let keep_text = !text.trim().is_empty() || matches!(error, MentorError::Internal(_));
            if keep_text {
                let file = CreateAttachment::bytes(text.into_bytes(), "your-reflection.txt");
                note.attachment = Some(file);
            }
            note
        }
    };
    let files = response.files();
    let response = CreateInteractionResponse::Message(response.initial());
    answer(data, submit.id, &submit.token, response, files).await?;
    if let Some(later) = later
        && let Some(message) = super::answer_later(data, &who, later, submit.user.id).await
    {
        let route = Route::WebhookFollowupMessages {
            application_id: submit.application_id,
            token: &submit.token,
        };
        let payload = Payload::new(&message.followup(), vec![])
            .map_err(|e| anyhow::anyhow!("encoding a follow-up: {e}"))?;
        data.replies
            .post(route, &payload)
            .await
            .map_err(|e| anyhow::anyhow!("sending a follow-up: {e}"))?;
    }
    Ok(())
}

fn input_value(submit: &ModalInteraction, id: &str) -> Option<String> {
    submit
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) if input.custom_id == id => {
                input.value.clone()
            }
            _ => None,
        })
}

/// Answers an interaction through [`Rest`], so a 429 is waited out for its `retry_after`.
async fn answer(
    data: &Data,
    interaction_id: InteractionId,
    token: &str,
    response: CreateInteractionResponse,
    files: Vec<CreateAttachment>,
) -> Result<(), Error> {
    let payload =
        Payload::new(&response, files).map_err(|e| anyhow::anyhow!("encoding an answer: {e}"))?;
    let route = Route::InteractionResponse {
        interaction_id,
        token,
    };
    data.replies
        .post(route, &payload)
        .await
        .map_err(|e| anyhow::anyhow!("answering an interaction: {e}"))?;
    Ok(())
}
