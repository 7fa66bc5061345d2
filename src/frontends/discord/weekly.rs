//! The weekly-question commands: `/nudge` for a member's own question, `/team` for the question
//! posted in a channel (server managers only).

use poise::serenity_prelude as serenity;

use crate::mentor::holidays::HolidayAction;
use crate::mentor::{Command, NudgeCommand, TeamCommand, messages};

use super::{Context, Error, respond};

/// Your weekly reflection question: when it comes, pause it, or turn it off
#[poise::command(
    slash_command,
    subcommands(
        "nudge_show",
        "nudge_set",
        "nudge_pause",
        "nudge_resume",
        "nudge_off",
        "nudge_reminder"
    ),
    subcommand_required
)]
pub async fn nudge(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// When your weekly question comes, and your streak
#[poise::command(slash_command, rename = "show")]
pub async fn nudge_show(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Nudge(NudgeCommand::Show)).await
}

/// Choose the day, time and time zone of your weekly question
#[poise::command(slash_command, rename = "set")]
pub async fn nudge_set(
    ctx: Context<'_>,
    #[description = "Day of the week"] day: DayChoice,
    #[description = "Time as HH:MM, 24-hour, for example 09:30"]
    #[max_length = 10]
    time: String,
    #[description = "Your time zone, for example Europe/Berlin"]
    #[autocomplete = "autocomplete_zone"]
    #[max_length = 64]
    timezone: Option<String>,
) -> Result<(), Error> {
    let day = format!("{day:?}");
    respond(
        ctx,
        Command::Nudge(NudgeCommand::Set {
            day,
            time,
            zone: timezone,
        }),
    )
    .await
}

async fn autocomplete_zone(
    _ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let choices = crate::calendar::zone_suggestions(partial, 25)
        .into_iter()
        .map(|zone| serenity::AutocompleteChoice::new(zone, zone))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Pause your weekly question for a holiday; your streak is frozen, not broken
#[poise::command(slash_command, rename = "pause")]
pub async fn nudge_pause(
    ctx: Context<'_>,
    #[description = "For how many weeks"]
    #[min = 1]
    #[max = 52]
    weeks: Option<u32>,
    #[description = "Or until a date, as YYYY-MM-DD"]
    #[max_length = 10]
    until: Option<String>,
) -> Result<(), Error> {
    let command = match (weeks, until) {
        (Some(weeks), None) => NudgeCommand::PauseWeeks(i64::from(weeks)),
        (None, Some(until)) => NudgeCommand::PauseUntil(until),
        _ => {
            return super::send(
                ctx,
                super::render::Message::note(messages::PAUSE_NEEDS_LENGTH),
            )
            .await;
        }
    };
    respond(ctx, Command::Nudge(command)).await
}

/// Start your weekly question again
#[poise::command(slash_command, rename = "resume")]
pub async fn nudge_resume(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Nudge(NudgeCommand::Resume)).await
}

/// Stop your weekly question
#[poise::command(slash_command, rename = "off")]
pub async fn nudge_off(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Command::Nudge(NudgeCommand::Off)).await
}

/// Turn the single reminder, 48 hours after an unanswered question, on or off
#[poise::command(slash_command, rename = "reminder")]
pub async fn nudge_reminder(
    ctx: Context<'_>,
    #[description = "Send the reminder?"] on: bool,
) -> Result<(), Error> {
    respond(ctx, Command::Nudge(NudgeCommand::Reminder(on))).await
}

#[derive(Clone, Copy, Debug, poise::ChoiceParameter)]
pub enum DayChoice {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A weekly question for your team's next meeting, posted in this channel (server admins)
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    subcommands("team_show", "team_set", "team_off", "team_view", "team_holiday"),
    subcommand_required
)]
pub async fn team(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Where and when the team question is posted
#[poise::command(slash_command, guild_only, rename = "show")]
pub async fn team_show(ctx: Context<'_>) -> Result<(), Error> {
    let Some(workspace) = guild_of(ctx) else {
        return super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await;
    };
    respond(ctx, Command::Team(TeamCommand::Show { workspace })).await
}

/// Post a weekly question for the team's next meeting in this channel
#[poise::command(slash_command, guild_only, rename = "set")]
pub async fn team_set(
    ctx: Context<'_>,
    #[description = "Day of the week"] day: DayChoice,
    #[description = "Time as HH:MM, 24-hour, for example 09:00"]
    #[max_length = 10]
    time: String,
    #[description = "The team's time zone, for example Europe/Berlin"]
    #[autocomplete = "autocomplete_zone"]
    #[max_length = 64]
    timezone: String,
) -> Result<(), Error> {
    let Some(workspace) = guild_of(ctx) else {
        return super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await;
    };
    if !can_manage_server(ctx) {
        return super::send(ctx, super::render::Message::note(messages::TEAM_ADMIN_ONLY)).await;
    }
    let command = TeamCommand::Set {
        workspace,
        channel: ctx.channel_id().get().to_string(),
        day: format!("{day:?}"),
        time,
        zone: timezone,
    };
    respond(ctx, Command::Team(command)).await
}

/// Stop the weekly team question
#[poise::command(slash_command, guild_only, rename = "off")]
pub async fn team_off(ctx: Context<'_>) -> Result<(), Error> {
    let Some(workspace) = guild_of(ctx) else {
        return super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await;
    };
    if !can_manage_server(ctx) {
        return super::send(ctx, super::render::Message::note(messages::TEAM_ADMIN_ONLY)).await;
    }
    respond(ctx, Command::Team(TeamCommand::Off { workspace })).await
}

/// How the team is doing, in aggregate: who reflects, the mix, challenges (server managers)
#[poise::command(slash_command, guild_only, rename = "view")]
pub async fn team_view(ctx: Context<'_>) -> Result<(), Error> {
    let Some(workspace) = guild_of(ctx) else {
        return super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await;
    };
    if !can_manage_server(ctx) {
        return super::send(
            ctx,
            super::render::Message::note(messages::TEAM_VIEW_LEADERS_ONLY),
        )
        .await;
    }
    respond(ctx, Command::Team(TeamCommand::View { workspace })).await
}

/// The team's holidays: no weekly questions or reminders on them, and streaks hold
#[poise::command(
    slash_command,
    guild_only,
    rename = "holiday",
    subcommands("holiday_add", "holiday_list", "holiday_remove"),
    subcommand_required
)]
pub async fn team_holiday(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Add a team holiday (team leaders)
#[poise::command(slash_command, guild_only, rename = "add")]
pub async fn holiday_add(
    ctx: Context<'_>,
    #[description = "First day, as YYYY-MM-DD"]
    #[max_length = 10]
    first: String,
    #[description = "Last day, as YYYY-MM-DD (the first day if left out)"]
    #[max_length = 10]
    last: Option<String>,
    #[description = "What the holiday is called"]
    #[max_length = 60]
    name: Option<String>,
) -> Result<(), Error> {
    holiday(ctx, HolidayAction::Add { first, last, name }).await
}

/// The team's holidays to come
#[poise::command(slash_command, guild_only, rename = "list")]
pub async fn holiday_list(ctx: Context<'_>) -> Result<(), Error> {
    holiday(ctx, HolidayAction::List).await
}

/// Remove the team holiday that starts on a day (team leaders)
#[poise::command(slash_command, guild_only, rename = "remove")]
pub async fn holiday_remove(
    ctx: Context<'_>,
    #[description = "Its first day, as YYYY-MM-DD"]
    #[max_length = 10]
    first: String,
) -> Result<(), Error> {
    holiday(ctx, HolidayAction::Remove { first }).await
}

/// Carries out a holiday subcommand: anyone may list, only leaders change.
async fn holiday(ctx: Context<'_>, action: HolidayAction) -> Result<(), Error> {
    let Some(workspace) = guild_of(ctx) else {
        return super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await;
    };
    if action != HolidayAction::List && !is_leader(ctx).await {
        return super::send(ctx, super::render::Message::note(messages::TEAM_ADMIN_ONLY)).await;
    }
    respond(
        ctx,
        Command::Team(TeamCommand::Holiday { workspace, action }),
    )
    .await
}

/// The server the command came from, as the team's workspace; `None` in a direct message.
fn guild_of(ctx: Context<'_>) -> Option<String> {
    ctx.guild_id().map(|guild| guild.get().to_string())
}

/// A leader of the server's team: one who can manage the server, or who has the role the
/// server chose with `/challenge leaders`.
pub(super) async fn is_leader(ctx: Context<'_>) -> bool {
    if can_manage_server(ctx) {
        return true;
    }
    let (Some(guild), poise::Context::Application(app)) = (ctx.guild_id(), ctx) else {
        return false;
    };
    let Some(member) = app.interaction.member.as_ref() else {
        return false;
    };
    let workspace = guild.get().to_string();
    match ctx
        .data()
        .mentor
        .leader_group(crate::platform::Platform::Discord, &workspace)
        .await
    {
        Ok(Some(role)) => member.roles.iter().any(|id| id.get().to_string() == role),
        Ok(None) => false,
        Err(error) => {
            tracing::warn!("reading the server's leader role: {error}");
            false
        }
    }
}

/// Discord sends the member's permissions in the channel with each interaction.
pub(super) fn can_manage_server(ctx: Context<'_>) -> bool {
    match ctx {
        poise::Context::Application(app) => app
            .interaction
            .member
            .as_ref()
            .and_then(|member| member.permissions)
            .is_some_and(|permissions| permissions.manage_guild()),
        poise::Context::Prefix(_) => false,
    }
}
