//! The slash commands. Each only turns options into a mentor `Command` and sends the reply;
//! doc comments become the descriptions Discord shows.

use poise::serenity_prelude as serenity;

use crate::mentor::{CoachCommand, Command, ExportFormat, ForgetStep};

use super::weekly::{nudge, team};
use super::{Context, Error, respond};

/// Get a tip for your career stage, on a topic or anything you type
#[poise::command(slash_command)]
pub async fn tip(
    ctx: Context<'_>,
    #[description = "A topic such as storytelling, risk or delegation, or any words"]
    #[autocomplete = "autocomplete_topic"]
    #[max_length = 200]
    topic: Option<String>,
) -> Result<(), Error> {
    respond(ctx, Command::Tip { query: topic }).await
}

async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.trim().to_lowercase();
    let choices = ctx
        .data()
        .mentor
        .library()
        .topics
        .iter()
        .filter(|topic| {
            topic.id.contains(&partial)
                || topic
                    .aliases
                    .iter()
                    .any(|alias| alias.to_lowercase().contains(&partial))
        })
        .take(25)
        .map(|topic| serenity::AutocompleteChoice::new(topic.id.clone(), topic.id.clone()))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Should you manage or lead here? Describe a situation and get the hat, the reasons and a next step
#[poise::command(slash_command)]
pub async fn hat(
    ctx: Context<'_>,
    #[description = "What is going on, in a sentence or two (leave empty for the cheat sheet)"]
    #[max_length = 1000]
    situation: Option<String>,
) -> Result<(), Error> {
    let situation = situation.unwrap_or_default();
    respond(ctx, Command::Hat { situation }).await
}

/// Your career stage: its focus, target mix of management and leadership, and next actions
#[poise::command(
    slash_command,
    subcommands("stage_show", "stage_set"),
    subcommand_required
)]
pub async fn stage(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show your career stage, its focus and your next actions
#[poise::command(slash_command, rename = "show")]
pub async fn stage_show(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Stage).await
}

/// Choose your career stage
#[poise::command(slash_command, rename = "set")]
pub async fn stage_set(
    ctx: Context<'_>,
    #[description = "Your stage now"] stage: u32,
) -> Result<(), Error> {
    // The choices are the library's stages, filled in at start-up; Discord sends the index.
    let name = usize::try_from(stage)
        .ok()
        .and_then(|index| ctx.data().mentor.library().stages.get(index))
        .map(|stage| stage.id.clone())
        .unwrap_or_else(|| stage.to_string());
    respond(ctx, Command::StageSet { stage: name }).await
}

/// Write in your development log; with no text, answer this week's question in a form
#[poise::command(slash_command)]
pub async fn reflect(
    ctx: Context<'_>,
    #[description = "What happened and what you learned (leave empty to answer this week's question)"]
    #[max_length = 4000]
    text: Option<String>,
    #[description = "Which hat this was; I suggest one if you leave it out"] mode: Option<
        ModeChoice,
    >,
) -> Result<(), Error> {
    match text {
        Some(text) => {
            respond(
                ctx,
                Command::Reflect {
                    text: Some(text),
                    mode: mode.map(ModeChoice::into_mode),
                },
            )
            .await
        }
        None => super::interactions::open_reflection_form(ctx).await,
    }
}

#[derive(Clone, Copy, Debug, poise::ChoiceParameter)]
pub enum ModeChoice {
    #[name = "leadership"]
    Leadership,
    #[name = "management"]
    Management,
}

impl ModeChoice {
    fn into_mode(self) -> crate::content::Mode {
        match self {
            ModeChoice::Leadership => crate::content::Mode::Leadership,
            ModeChoice::Management => crate::content::Mode::Management,
        }
    }
}

/// Your development log, newest first
#[poise::command(slash_command)]
pub async fn log(
    ctx: Context<'_>,
    #[description = "Which page (10 entries each)"]
    #[min = 1]
    page: Option<u32>,
) -> Result<(), Error> {
    respond(
        ctx,
        Command::Log {
            page: i64::from(page.unwrap_or(1)),
        },
    )
    .await
}

/// Your whole development log as a file, ready for a conversation with your manager
#[poise::command(slash_command)]
pub async fn export(
    ctx: Context<'_>,
    #[description = "markdown (default), json or csv"] format: Option<FormatChoice>,
) -> Result<(), Error> {
    // Building a long log can take a moment: acknowledge within Discord's 3 seconds first.
    ctx.defer_ephemeral().await?;
    let format = match format.unwrap_or(FormatChoice::Markdown) {
        FormatChoice::Markdown => ExportFormat::Markdown,
        FormatChoice::Json => ExportFormat::Json,
        FormatChoice::Csv => ExportFormat::Csv,
    };
    respond(ctx, Command::Export { format }).await
}

#[derive(Clone, Copy, Debug, poise::ChoiceParameter)]
pub enum FormatChoice {
    #[name = "markdown"]
    Markdown,
    #[name = "json"]
    Json,
    #[name = "csv"]
    Csv,
}

/// Your mix of management and leadership work against your stage's target
#[poise::command(slash_command)]
pub async fn balance(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Balance).await
}

/// A coach on your team's own model that asks follow-up questions about what you write
#[poise::command(
    slash_command,
    subcommands("coach_status", "coach_on", "coach_off"),
    subcommand_required
)]
pub async fn coach(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Whether your coach is on, which model it uses and what is sent to it
#[poise::command(slash_command, rename = "status")]
pub async fn coach_status(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Coach(CoachCommand::Status)).await
}

/// Turn the coach on: follow-up questions written for what you write
#[poise::command(slash_command, rename = "on")]
pub async fn coach_on(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Coach(CoachCommand::On)).await
}

/// Turn the coach off: nothing of yours is sent to the model
#[poise::command(slash_command, rename = "off")]
pub async fn coach_off(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Coach(CoachCommand::Off)).await
}

/// Imagine a project failed: name the likeliest reasons and pick one to act on this week
#[poise::command(slash_command)]
pub async fn premortem(
    ctx: Context<'_>,
    #[description = "The project, in a sentence or two"]
    #[max_length = 1000]
    project: String,
) -> Result<(), Error> {
    // The coach may take a while to answer: acknowledge within Discord's 3 seconds first.
    ctx.defer_ephemeral().await?;
    respond(ctx, Command::Premortem { project }).await
}

/// A summary of your log for a 1:1 or a review: balance, key moments, themes and a focus
#[poise::command(slash_command)]
pub async fn review(
    ctx: Context<'_>,
    #[description = "How many weeks back (12 unless you say)"]
    #[min = 1]
    #[max = 52]
    weeks: Option<u32>,
) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    respond(
        ctx,
        Command::Review {
            weeks: weeks.map(i64::from),
        },
    )
    .await
}

/// Your log, progress and team on the web, through a link that works once
#[poise::command(slash_command)]
pub async fn web(ctx: Context<'_>) -> Result<(), Error> {
    // A server's leaders get its leader's view on the web too.
    let mut teams = Vec::new();
    if let Some(guild) = ctx.guild_id()
        && super::weekly::is_leader(ctx).await
    {
        teams.push(guild.get().to_string());
    }
    respond(ctx, Command::Web { teams }).await
}

/// Delete everything mentorbot stores about you (asks you to confirm first)
#[poise::command(slash_command)]
pub async fn forget(ctx: Context<'_>) -> Result<(), Error> {
    respond(
        ctx,
        Command::Forget {
            step: ForgetStep::Ask,
        },
    )
    .await
}

/// Every mentorbot command, one line each
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Help).await
}

/// Every command, with the stage choices taken from the library.
pub fn all(library: &crate::content::Library) -> Vec<poise::Command<super::Data, Error>> {
    let mut commands = vec![
        tip(),
        hat(),
        stage(),
        reflect(),
        log(),
        export(),
        balance(),
        nudge(),
        team(),
        super::challenges::challenge(),
        super::challenges::mentoring(),
        premortem(),
        review(),
        coach(),
        web(),
        forget(),
        help(),
    ];
    for command in commands.iter_mut().filter(|c| c.name == "stage") {
        for sub in command.subcommands.iter_mut().filter(|s| s.name == "set") {
            for parameter in sub.parameters.iter_mut().filter(|p| p.name == "stage") {
                parameter.choices = library
                    .stages
                    .iter()
                    .map(|stage| poise::CommandParameterChoice {
                        name: stage.name.clone().into(),
                        localizations: Default::default(),
                        __non_exhaustive: (),
                    })
                    .collect::<Vec<_>>()
                    .into();
            }
        }
    }
    commands
}
