//! Charts drawn on the server as SVG: the 12-week balance against the stage's target, a year
//! of weekly activity, and a team's weekly participation. Colours come from the stylesheet;
//! each chart has a title and a description for screen readers, and a table follows it.

use maud::{Markup, html};

use crate::mentor::chart::Week;
use crate::mentor::web::WeekCell;

const BAR_WIDTH: u32 = 40;
const GAP: u32 = 12;
const HEIGHT: u32 = 160;
const LEFT: u32 = 36;
const BOTTOM: u32 = 28;

/// Each week's share of leadership and management as a full-height bar, with the stage's
/// target as a dashed line (the share of management work to aim for, from the bottom).
pub fn balance(weeks: &[Week], target_management: u8) -> Markup {
    let width = LEFT + weeks.len() as u32 * (BAR_WIDTH + GAP);
    let total_height = HEIGHT + BOTTOM + 8;
    let target_y = 8.0 + f64::from(HEIGHT) * (1.0 - f64::from(target_management) / 100.0);
    html! {
        svg #balance-chart role="img" aria-labelledby="balance-title balance-desc"
            viewBox=(format!("0 0 {width} {total_height}")) preserveAspectRatio="xMinYMin meet" {
            title #balance-title { "Management and leadership, week by week" }
            desc #balance-desc {
                "Each bar is one week: management at the bottom, leadership on top. The dashed line is your stage's target: "
                (target_management) "% management."
            }
            @for (i, week) in weeks.iter().enumerate() {
                @let x = LEFT + i as u32 * (BAR_WIDTH + GAP);
                @let total = week.management + week.leadership;
                @if total == 0 {
                    rect.empty x=(x) y="8" width=(BAR_WIDTH) height=(HEIGHT) {
                        title { (week.label) ": no entries" }
                    }
                } @else {
                    @let management_height = f64::from(HEIGHT) * f64::from(week.management) / f64::from(total);
                    rect.leadership x=(x) y="8" width=(BAR_WIDTH) height=(HEIGHT) {
                        title { (week.label) ": " (week.leadership) " leadership, " (week.management) " management" }
                    }
                    rect.management x=(x) y=(format!("{:.1}", 8.0 + f64::from(HEIGHT) - management_height))
                        width=(BAR_WIDTH) height=(format!("{management_height:.1}")) {
                        title { (week.label) ": " (week.management) " management, " (week.leadership) " leadership" }
                    }
                }
                text.label x=(x + BAR_WIDTH / 2) y=(HEIGHT + 24) text-anchor="middle" { (week.label) }
            }
            line.target x1=(LEFT - 4) x2=(width) y1=(format!("{target_y:.1}")) y2=(format!("{target_y:.1}"));
            text.label x="0" y=(format!("{:.1}", target_y + 4.0)) { (target_management) "%" }
        }
        table.data {
            caption { "The same weeks as numbers" }
            thead { tr { th scope="col" { "Week of" } th scope="col" { "Management" } th scope="col" { "Leadership" } } }
            tbody {
                @for week in weeks {
                    tr { th scope="row" { (week.label) } td { (week.management) } td { (week.leadership) } }
                }
            }
        }
    }
}

/// A year of weeks as squares, darker for more entries; paused weeks and holidays hatched.
pub fn year(cells: &[WeekCell]) -> Markup {
    const SIDE: u32 = 14;
    const STEP: u32 = 17;
    let columns = 26u32;
    let rows = (cells.len() as u32).div_ceil(columns);
    let width = columns * STEP;
    let height = rows * STEP + 4;
    let level = |entries: i64| match entries {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=4 => 3,
        _ => 4,
    };
    html! {
        svg #activity-map role="img" aria-labelledby="activity-title activity-desc"
            viewBox=(format!("0 0 {width} {height}")) preserveAspectRatio="xMinYMin meet" {
            title #activity-title { "A year of weekly reflections" }
            desc #activity-desc {
                "One square per week, oldest first, left to right in two rows of 26. Darker squares hold more entries; "
                "hatched squares are weeks you paused your reminders or your team was on holiday."
            }
            defs {
                pattern #hatch width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    line.hatch x1="0" y1="0" x2="0" y2="4";
                }
            }
            @for (i, cell) in cells.iter().enumerate() {
                @let x = (i as u32 % columns) * STEP;
                @let y = (i as u32 / columns) * STEP;
                @let class = match (cell.paused, cell.entries) {
                    (true, 0) => "paused".to_string(),
                    _ => format!("level-{}", level(cell.entries)),
                };
                rect class=(class) x=(x) y=(y) width=(SIDE) height=(SIDE) rx="2" {
                    title {
                        "Week of " (cell.monday.format("%-d %b %Y")) ": "
                        (cell.entries) (if cell.entries == 1 { " entry" } else { " entries" })
                        @if cell.paused { " (paused or holiday)" }
                    }
                }
            }
        }
    }
}

/// Members who wrote each week, as bars, with the team's size as the top.
pub fn participation(per_week: &[i64], labels: &[String], members: usize) -> Markup {
    let width = LEFT + per_week.len() as u32 * (BAR_WIDTH + GAP);
    let top = members.max(1) as f64;
    html! {
        svg #participation-chart role="img" aria-labelledby="participation-title"
            viewBox=(format!("0 0 {width} {}", HEIGHT + BOTTOM + 8)) preserveAspectRatio="xMinYMin meet" {
            title #participation-title { "Members who wrote, week by week, out of " (members) }
            @for (i, (count, label)) in per_week.iter().zip(labels).enumerate() {
                @let x = LEFT + i as u32 * (BAR_WIDTH + GAP);
                @let bar = f64::from(HEIGHT) * (*count as f64 / top).min(1.0);
                rect.empty x=(x) y="8" width=(BAR_WIDTH) height=(HEIGHT);
                rect.leadership x=(x) y=(format!("{:.1}", 8.0 + f64::from(HEIGHT) - bar)) width=(BAR_WIDTH) height=(format!("{bar:.1}")) {
                    title { (label) ": " (count) " of " (members) }
                }
                text.label x=(x + BAR_WIDTH / 2) y=(HEIGHT + 24) text-anchor="middle" { (label) }
            }
        }
    }
}

/// A horizontal bar: the share of leadership against a target mark.
pub fn share(share: f64, target: f64) -> Markup {
    let share = share.clamp(0.0, 100.0);
    let target = target.clamp(0.0, 100.0);
    html! {
        svg.share role="img" aria-label=(format!("{share:.0}% leadership against a target of {target:.0}%"))
            viewBox="0 0 400 36" preserveAspectRatio="xMinYMin meet" {
            rect.management x="0" y="8" width="400" height="20";
            rect.leadership x="0" y="8" width=(format!("{:.1}", share * 4.0)) height="20";
            line.target x1=(format!("{:.1}", target * 4.0)) x2=(format!("{:.1}", target * 4.0)) y1="2" y2="34";
        }
    }
}
