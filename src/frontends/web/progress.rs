//! "My progress" (balance, a year of activity, streak, the stage's focus, the latest review)
//! and "My team" (a leader's aggregates, only for teams they lead and groups of three or more).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::{Web, charts, layout};
use crate::mentor::web::{Progress, TeamDashboard};

pub async fn progress(State(web): State<Web>, headers: HeaderMap) -> Response {
    let visitor = match web.visitor(&headers).await {
        Ok(Some(visitor)) => visitor,
        Ok(None) => return layout::signed_out(),
        Err(error) => return layout::failure(&error),
    };
    match web.mentor.web_progress(&visitor).await {
        Ok(progress) => {
            layout::page(&visitor, "My progress", progress_body(&progress)).into_response()
        }
        Err(error) => layout::failure(&error),
    }
}

fn progress_body(progress: &Progress) -> Markup {
    let stage = &progress.stage;
    let (management, leadership) = progress.weeks.iter().fold((0, 0), |(m, l), week| {
        (m + week.management, l + week.leadership)
    });
    let total = management + leadership;
    html! {
        h1 { "My progress" }
        section {
            h2 { "Balance over 12 weeks" }
            @if total == 0 {
                p { "No entries in the last 12 weeks yet. Write one with /reflect and your balance starts here." }
            } @else {
                p {
                    (leadership * 100 / total) "% leadership and " (management * 100 / total) "% management, against a target of "
                    (stage.target_leadership()) "% leadership as " (stage.name) "."
                }
            }
            (charts::balance(&progress.weeks, stage.target_management))
        }
        section {
            h2 { "A year of reflections" }
            p #streak { "Streak: " (progress.streak_text) }
            (charts::year(&progress.year))
            p.legend {
                span.swatch.level-0 {} " none "
                span.swatch.level-2 {} " some "
                span.swatch.level-4 {} " many "
                span.swatch.paused {} " paused or holiday"
            }
        }
        section {
            h2 { "Your focus as " (stage.name) }
            @if !progress.stage_chosen {
                p.quiet { "You have not chosen a stage, so this is the first one. Choose yours with /stage set." }
            }
            dl {
                dt { "Management" } dd { (stage.management_focus) }
                dt { "Leadership" } dd { (stage.leadership_focus) }
            }
            h3 { "Next actions" }
            ol { @for action in &stage.next_actions { li { (action) } } }
        }
        section {
            h2 { "Your latest review" }
            @match &progress.review {
                Some((day, text)) => {
                    p.quiet { "Written " (day) " with /review." }
                    pre.review { (text) }
                }
                None => p { "No review yet. /review in the chat writes one from your last 12 weeks." },
            }
        }
    }
}

pub async fn team(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(workspace): Path<String>,
) -> Response {
    let visitor = match web.visitor(&headers).await {
        Ok(Some(visitor)) => visitor,
        Ok(None) => return layout::signed_out(),
        Err(error) => return layout::failure(&error),
    };
    match web.mentor.web_team(&visitor, &workspace).await {
        Ok(Some(dashboard)) => {
            layout::page(&visitor, "My team", team_body(&dashboard)).into_response()
        }
        Ok(None) => layout::not_found(),
        Err(error) => layout::failure(&error),
    }
}

fn team_body(team: &TeamDashboard) -> Markup {
    html! {
        h1 { "My team" }
        p.quiet { "Aggregates only, and only for groups of three or more: nobody's entries or numbers can be read here." }
        @if team.too_small() {
            p #team-too-small {
                (team.members) " of the team use mentorbot so far. The view opens at three, so nobody's numbers can be told apart."
            }
        } @else {
            section {
                h2 { "Who wrote, week by week" }
                (charts::participation(&team.per_week, &team.week_labels, team.members))
            }
            section {
                h2 { "The team's mix over 12 weeks" }
                @match team.leadership_share {
                    Some(share) => {
                        p { (format!("{share:.0}")) "% leadership, against "
                            (format!("{:.0}", team.target_leadership)) "% for the team's stages." }
                        (charts::share(share, team.target_leadership))
                    }
                    None => p { "Hidden until at least three members have written." },
                }
            }
            section {
                h2 { "Challenges" }
                @let (run, joined, completed) = team.challenges;
                p { (run) " run · " (joined) " joined · " (completed) " completed, over 12 weeks." }
            }
            section {
                h2 { "Mentoring rounds" }
                @if team.rounds.is_empty() {
                    p { "No rounds in the last 12 weeks." }
                } @else {
                    ul { @for (day, paired) in &team.rounds { li { (day) ": " (paired) " members paired" } } }
                }
            }
        }
    }
}
