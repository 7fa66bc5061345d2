//! Tests for the keyword diagnosis: the seed table's examples, metrics and tools, and ties.

use super::*;

#[test]
fn the_table_examples_land_on_the_right_side() {
    let sprint = diagnose("Running Q3 sprint planning for an existing product line in Jira");
    assert_eq!(sprint.hat, Some(Mode::Management));
    assert!(
        sprint
            .cues_for(Mode::Management)
            .contains(&"sprint planning")
    );

    let pitch = diagnose("Pitching a new product initiative to the C-suite for next year's budget");
    assert_eq!(pitch.hat, Some(Mode::Leadership));
    assert!(pitch.cues_for(Mode::Leadership).contains(&"pitch"));
    assert!(pitch.cues_for(Mode::Leadership).contains(&"c suite"));
}

#[test]
fn metrics_and_tools_count() {
    assert_eq!(
        diagnose("our velocity and burndown look bad").hat,
        Some(Mode::Management)
    );
    assert_eq!(
        diagnose("retention and churn are slipping in figma land").hat,
        Some(Mode::Leadership)
    );
}

#[test]
fn nothing_recognisable_is_unclear_and_ties_are_both() {
    let unclear = diagnose("lunch with Sam");
    assert_eq!(unclear.hat, None);
    assert!(unclear.evidence.is_empty());
    let tie = diagnose("sprint vision");
    assert_eq!(tie.hat, None);
    assert_eq!(tie.evidence.len(), 2);
}

#[test]
fn case_and_word_order_do_not_change_the_answer() {
    let first = diagnose("write the PRD and pitch the vision to execs");
    let shuffled = diagnose("PITCH THE VISION TO EXECS, and write the prd");
    assert_eq!(first.hat, Some(Mode::Leadership), "{first:?}");
    assert_eq!(shuffled.hat, first.hat);
    let mut cues = first.cues_for(Mode::Leadership);
    let mut shuffled_cues = shuffled.cues_for(Mode::Leadership);
    cues.sort_unstable();
    shuffled_cues.sort_unstable();
    assert_eq!(cues, shuffled_cues);
    assert!(!cues.is_empty());
}
