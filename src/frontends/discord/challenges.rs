//! `/challenge` and `/mentoring`: team challenges and mentoring pairs in a server. Anyone
//! can join, check in, see the board and opt in; members who can manage the server start and
//! end challenges and set the mentoring rounds.

use poise::serenity_prelude as serenity;

use crate::mentor::challenge::{CustomChallenge, StartChallenge};
use crate::mentor::mentoring::{MentoringAction, MentoringCommand};
use crate::mentor::{ChallengeAction, ChallengeCommand, Command, Place, messages};

use super::weekly::{can_manage_server, is_leader};
use super::{Context, Error, respond};

/// Team leadership challenges: start one, join, check in, see the board
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "challenge_start",
        "challenge_join",
        "challenge_checkin",
        "challenge_done",
        "challenge_board",
        "challenge_list",
        "challenge_leave",
        "challenge_end",
        "challenge_leaders"
    ),
    subcommand_required
)]
pub async fn challenge(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Where a team command was given: this server, this channel, and whether the member leads
/// here; `None` in a direct message.
async fn place_of(ctx: Context<'_>) -> Option<Place> {
    let guild = ctx.guild_id()?;
    Some(Place {
        workspace: guild.get().to_string(),
        channel: ctx.channel_id().get().to_string(),
        leader: is_leader(ctx).await,
    })
}

/// Runs a team command built for this place, or says it needs a server.
async fn in_place(ctx: Context<'_>, command: impl FnOnce(Place) -> Command) -> Result<(), Error> {
    match place_of(ctx).await {
        Some(place) => respond(ctx, command(place)).await,
        None => super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await,
    }
}

/// Runs a challenge action for the invoking member in this server and channel.
async fn act(ctx: Context<'_>, action: ChallengeAction) -> Result<(), Error> {
    in_place(ctx, |place| {
        Command::Challenge(ChallengeCommand { place, action })
    })
    .await
}

/// Start a challenge in this channel (server managers): one from the library, or your own
#[poise::command(slash_command, guild_only, rename = "start")]
#[allow(clippy::too_many_arguments, reason = "each is a slash-command option")]
pub async fn challenge_start(
    ctx: Context<'_>,
    #[description = "A challenge from the library"]
    #[autocomplete = "autocomplete_challenge"]
    #[max_length = 60]
    challenge: Option<String>,
    #[description = "Where the kickoff and the digest go (this channel if left out)"]
    #[channel_types("Text")]
    channel: Option<serenity::ChannelId>,
    #[description = "Or your own: its title"]
    #[max_length = 100]
    title: Option<String>,
    #[description = "Your own: what it is for"]
    #[max_length = 500]
    goal: Option<String>,
    #[description = "Your own: the question each check-in answers"]
    #[max_length = 300]
    check_in: Option<String>,
    #[description = "Your own: what counts as done"]
    #[max_length = 300]
    done_when: Option<String>,
    #[description = "First day, as YYYY-MM-DD (today if left out)"]
    #[max_length = 10]
    starts: Option<String>,
    #[description = "How many days it runs (1 to 90)"]
    #[min = 1]
    #[max = 90]
    days: Option<u32>,
) -> Result<(), Error> {
    let any_custom = title.is_some() || goal.is_some() || check_in.is_some() || done_when.is_some();
    let custom = (challenge.is_none() && any_custom).then(|| CustomChallenge {
        title: title.unwrap_or_default(),
        goal: goal.unwrap_or_default(),
        check_in: check_in.unwrap_or_default(),
        done_when: done_when.unwrap_or_default(),
    });
    let start = StartChallenge {
        library_id: challenge,
        custom,
        channel: channel.map(|channel| channel.get().to_string()),
        starts,
        days: days.map(i64::from),
    };
    act(ctx, ChallengeAction::Start(start)).await
}

async fn autocomplete_challenge(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.trim().to_lowercase();
    let choices = ctx
        .data()
        .mentor
        .library()
        .challenges
        .iter()
        .filter(|c| c.id.contains(&partial) || c.title.to_lowercase().contains(&partial))
        .take(25)
        .map(|c| {
            let label =
                crate::mentor::words::shorten(&format!("{} ({} days)", c.title, c.days), 100);
            serenity::AutocompleteChoice::new(label, c.id.clone())
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Join a challenge running in this server
#[poise::command(slash_command, guild_only, rename = "join")]
pub async fn challenge_join(
    ctx: Context<'_>,
    #[description = "Which challenge (needed only when several run)"] number: Option<i64>,
) -> Result<(), Error> {
    act(ctx, ChallengeAction::Join(number)).await
}

/// Check in: what you tried; saved to your log, shown to the team only if you share it
#[poise::command(slash_command, guild_only, rename = "checkin")]
pub async fn challenge_checkin(
    ctx: Context<'_>,
    #[description = "What you tried and what happened"]
    #[max_length = 4000]
    text: String,
    #[description = "Show it in the team's digest (default: no)"] share: Option<bool>,
    #[description = "Which challenge (needed only when you joined several)"] number: Option<i64>,
) -> Result<(), Error> {
    let action = ChallengeAction::CheckIn {
        challenge: number,
        text,
        share: share.unwrap_or(false),
    };
    act(ctx, action).await
}

/// Say you have done what the challenge asks
#[poise::command(slash_command, guild_only, rename = "done")]
pub async fn challenge_done(
    ctx: Context<'_>,
    #[description = "Which challenge (needed only when you joined several)"] number: Option<i64>,
) -> Result<(), Error> {
    act(ctx, ChallengeAction::Done(number)).await
}

/// Who joined, how many check-ins, who completed: never what anyone wrote
#[poise::command(slash_command, guild_only, rename = "board")]
pub async fn challenge_board(
    ctx: Context<'_>,
    #[description = "Which challenge (needed only when several run)"] number: Option<i64>,
) -> Result<(), Error> {
    act(ctx, ChallengeAction::Board(number)).await
}

/// The challenges running in this server
#[poise::command(slash_command, guild_only, rename = "list")]
pub async fn challenge_list(ctx: Context<'_>) -> Result<(), Error> {
    act(ctx, ChallengeAction::List).await
}

/// Leave a challenge
#[poise::command(slash_command, guild_only, rename = "leave")]
pub async fn challenge_leave(
    ctx: Context<'_>,
    #[description = "Which challenge (needed only when you joined several)"] number: Option<i64>,
) -> Result<(), Error> {
    act(ctx, ChallengeAction::Leave(number)).await
}

/// Let members with this role lead challenges, rounds and holidays (server managers)
#[poise::command(slash_command, guild_only, rename = "leaders")]
pub async fn challenge_leaders(
    ctx: Context<'_>,
    #[description = "The role whose members lead the team"] role: serenity::RoleId,
) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return super::send(ctx, super::render::Message::note(messages::GUILD_ONLY)).await;
    };
    if !can_manage_server(ctx) {
        return super::send(
            ctx,
            super::render::Message::note(messages::LEADERS_MANAGERS_ONLY),
        )
        .await;
    }
    let command = crate::mentor::TeamCommand::Leaders {
        workspace: guild.get().to_string(),
        group: role.get().to_string(),
    };
    respond(ctx, Command::Team(command)).await
}

/// End a challenge now and post its digest (server managers)
#[poise::command(slash_command, guild_only, rename = "end")]
pub async fn challenge_end(
    ctx: Context<'_>,
    #[description = "Which challenge (needed only when several run)"] number: Option<i64>,
) -> Result<(), Error> {
    act(ctx, ChallengeAction::End(number)).await
}

/// Mentoring pairs: opt in or out; leaders set how often rounds come
#[poise::command(
    slash_command,
    guild_only,
    subcommands("mentoring_optin", "mentoring_optout", "mentoring_rounds"),
    subcommand_required
)]
pub async fn mentoring(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

async fn pairing(ctx: Context<'_>, action: MentoringAction) -> Result<(), Error> {
    in_place(ctx, |place| {
        Command::Mentoring(MentoringCommand { place, action })
    })
    .await
}

/// Be paired with a more (or less) senior member each round
#[poise::command(slash_command, guild_only, rename = "optin")]
pub async fn mentoring_optin(ctx: Context<'_>) -> Result<(), Error> {
    pairing(ctx, MentoringAction::OptIn).await
}

/// Stop being paired
#[poise::command(slash_command, guild_only, rename = "optout")]
pub async fn mentoring_optout(ctx: Context<'_>) -> Result<(), Error> {
    pairing(ctx, MentoringAction::OptOut).await
}

/// Make pairs now and then every few weeks (server managers)
#[poise::command(slash_command, guild_only, rename = "rounds")]
pub async fn mentoring_rounds(
    ctx: Context<'_>,
    #[description = "Every how many weeks (1 to 12)"]
    #[min = 1]
    #[max = 12]
    every: u32,
) -> Result<(), Error> {
    pairing(
        ctx,
        MentoringAction::Rounds {
            every_weeks: i64::from(every),
        },
    )
    .await
}
