//! Tests for the diagnosis on the shipped model: plain situations on both sides, explanations
//! drawn from the situation's own words, and "can't tell" kept for what says nothing.

use super::*;
use crate::content::Library;

fn model() -> Model {
    Model::from_library(&Library::shipped().expect("the shipped content loads"))
}

#[test]
fn the_table_examples_land_on_the_right_side() {
    let model = model();
    let sprint = model.diagnose("Running Q3 sprint planning for an existing product line in Jira");
    assert_eq!(sprint.hat, Some(Mode::Management), "{sprint:?}");
    let pitch =
        model.diagnose("Pitching a new product initiative to the C-suite for next year's budget");
    assert_eq!(pitch.hat, Some(Mode::Leadership), "{pitch:?}");
    assert!(!pitch.cues_for(Mode::Leadership).is_empty());
}

#[test]
fn the_cases_people_reported_are_read_right() {
    let model = model();
    for (situation, hat) in [
        (
            "we need to decide whether to enter the SMB market next year",
            Mode::Leadership,
        ),
        (
            "inspiring the team about where the product could be in five years",
            Mode::Leadership,
        ),
        (
            "breaking a large feature into smaller shippable stories",
            Mode::Management,
        ),
    ] {
        assert_eq!(model.diagnose(situation).hat, Some(hat), "{situation}");
    }
}

#[test]
fn the_reasons_are_the_words_that_were_typed() {
    let diagnosis = model().diagnose("Grooming the backlog in Jira before sprint planning");
    assert_eq!(diagnosis.hat, Some(Mode::Management));
    let cues = diagnosis.cues_for(Mode::Management);
    assert!(cues.iter().any(|cue| cue.contains("backlog")), "{cues:?}");
    let typed = "grooming the backlog in jira before sprint planning";
    assert!(cues.iter().all(|cue| typed.contains(cue)), "{cues:?}");
}

#[test]
fn nothing_recognisable_is_undecided() {
    let unclear = model().diagnose("zorp blivet quux");
    assert_eq!(unclear.hat, None, "{unclear:?}");
    assert!(unclear.evidence.is_empty());
}

#[test]
fn case_and_word_order_do_not_change_the_answer() {
    let model = model();
    let first = model.diagnose("write the PRD and pitch the vision to execs");
    let shuffled = model.diagnose("PITCH THE VISION TO EXECS, and write the prd");
    assert_eq!(shuffled.hat, first.hat);
    assert!(first.hat.is_some(), "{first:?}");
}
