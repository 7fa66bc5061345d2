//! The shipped content loads and meets the bar; broken content is refused with the file,
//! the entry and the problem named.

use std::collections::HashSet;
use std::path::Path;

use mentorbot::content::{FILES, Library, Mode, TIP_BODY_MAX};

fn shipped() -> Library {
    Library::shipped().expect("the shipped content is valid")
}

#[test]
fn shipped_content_has_enough_of_everything() {
    let library = shipped();
    assert!(library.tips.len() >= 60, "tips: {}", library.tips.len());
    assert!(
        library.stages.len() >= 5,
        "stages: {}",
        library.stages.len()
    );
    assert!(
        library.prompts.len() >= 30,
        "prompts: {}",
        library.prompts.len()
    );
    assert!(
        library.challenges.len() >= 12,
        "challenges: {}",
        library.challenges.len()
    );
    for mode in Mode::ALL {
        assert!(
            library.tips.iter().filter(|tip| tip.mode == mode).count() >= 15,
            "{mode} tips"
        );
    }
    assert!(
        library
            .tips
            .iter()
            .all(|tip| tip.body.chars().count() <= TIP_BODY_MAX)
    );
}

#[test]
fn the_named_stages_and_prompts_are_there() {
    let library = shipped();
    for (query, id) in [
        ("associate", "associate"),
        ("PM II", "associate"),
        ("senior pm", "senior"),
        ("staff pm", "staff"),
        ("group pm", "principal"),
        ("Head of Product", "director"),
        ("cpo", "vp"),
    ] {
        assert_eq!(
            library.stage(query).map(|s| s.id.as_str()),
            Some(id),
            "{query}"
        );
    }
    let questions: Vec<&str> = library
        .prompts
        .iter()
        .map(|p| p.question.as_str())
        .collect();
    assert!(questions.contains(&"What is one reason this project might fail?"));
    assert!(questions.contains(&"What dissenting opinion have we not heard yet?"));
}

#[test]
fn stages_move_from_management_toward_leadership() {
    let library = shipped();
    let first = library.stages.first().expect("a first stage");
    let last = library.stages.last().expect("a last stage");
    assert_eq!(first.target_management, 70);
    assert!(last.target_management <= 30);
    let targets: Vec<u8> = library.stages.iter().map(|s| s.target_management).collect();
    assert!(
        targets.windows(2).all(|w| w[0] >= w[1]),
        "targets should not rise: {targets:?}"
    );
    assert!(library.stages.iter().all(|s| s.next_actions.len() >= 3));
}

#[test]
fn every_stage_and_topic_has_tips() {
    let library = shipped();
    for stage in &library.stages {
        for mode in Mode::ALL {
            let count = library
                .tips
                .iter()
                .filter(|t| t.mode == mode && t.stages.contains(&stage.id))
                .count();
            assert!(count >= 3, "only {count} {mode} tips for {}", stage.id);
        }
    }
    let used: HashSet<&str> = library
        .tips
        .iter()
        .flat_map(|t| t.topics.iter().map(String::as_str))
        .collect();
    for topic in &library.topics {
        assert!(
            used.contains(topic.id.as_str()),
            "no tip for topic {}",
            topic.id
        );
    }
}

#[test]
fn the_shipped_content_follows_the_seeds() {
    let library = shipped();
    let stage = |id: &str| library.stage(id).unwrap_or_else(|| panic!("stage {id}"));
    // Seed 000: about 70/30 for associate and mid-level PMs, about 30/70 from senior PM on.
    assert_eq!(stage("associate").target_management, 70);
    for later in library.stages.iter().skip(1) {
        assert!(later.target_management <= 30, "{}", later.id);
    }
    assert!(
        stage("staff").name.contains("IC"),
        "leading without reports is a path of its own"
    );
    // Every stage has a year of weekly questions without a repeat, in both hats.
    for stage in &library.stages {
        let pool: Vec<_> = library
            .prompts
            .iter()
            .filter(|p| p.follows_up.is_none() && p.stages.contains(&stage.id))
            .collect();
        assert!(pool.len() >= 52, "{}: {} prompts", stage.id, pool.len());
        for mode in Mode::ALL {
            assert!(
                pool.iter().filter(|p| p.mode == mode).count() >= 10,
                "{}: too few {mode} prompts",
                stage.id
            );
        }
        assert!(
            library
                .challenges
                .iter()
                .any(|c| c.stages.contains(&stage.id)),
            "no challenge for {}",
            stage.id
        );
    }
    // A VP or director is never asked about next sprint's readiness.
    for prompt in &library.prompts {
        let about_sprints = prompt.question.to_lowercase().contains("sprint");
        let senior_leader = prompt.stages.iter().any(|s| s == "vp" || s == "director");
        assert!(!(about_sprints && senior_leader), "{}", prompt.id);
    }
    // Every entry names where its idea comes from, and some go knowingly beyond the seeds.
    let sources: Vec<&str> = library
        .tips
        .iter()
        .map(|t| t.seed.as_str())
        .chain(library.prompts.iter().map(|p| p.seed.as_str()))
        .chain(library.challenges.iter().map(|c| c.seed.as_str()))
        .collect();
    assert!(sources.iter().all(|s| !s.is_empty()));
    assert!(sources.contains(&"beyond"));
}

/// A copy of the shipped folder with one file replaced by `edit` of itself.
fn broken(
    file: &str,
    edit: impl Fn(String) -> String,
) -> (tempfile::TempDir, Result<Library, String>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
    for name in FILES {
        let text = std::fs::read_to_string(shipped.join(name)).expect("a shipped file");
        let text = if name == file { edit(text) } else { text };
        std::fs::write(dir.path().join(name), text).expect("the copy is written");
    }
    let result = Library::from_dir(dir.path()).map_err(|e| e.to_string());
    (dir, result)
}

fn problem(file: &str, edit: impl Fn(String) -> String) -> String {
    match broken(file, edit).1 {
        Ok(_) => panic!("broken {file} was accepted"),
        Err(message) => message,
    }
}

#[test]
fn an_unchanged_copy_loads() {
    assert!(broken("tips.toml", |text| text).1.is_ok());
}

#[test]
fn duplicate_ids_are_named() {
    let message = problem("tips.toml", |text| {
        text.replace("id = \"prune-the-backlog\"", "id = \"two-sprints-ready\"")
    });
    assert!(
        message.contains("tips.toml: tip 'two-sprints-ready': duplicate id"),
        "{message}"
    );
}

#[test]
fn unknown_stage_topic_mode_and_seed_are_named() {
    let message = problem("tips.toml", |text| {
        text.replacen("stages = [\"associate\"]", "stages = [\"intern\"]", 1)
            .replacen("topics = [\"requirements\"]", "topics = [\"astrology\"]", 1)
            .replacen("seed = \"003\"", "seed = \"999\"", 1)
    });
    assert!(message.contains("unknown stage 'intern'"), "{message}");
    assert!(message.contains("unknown topic 'astrology'"), "{message}");
    assert!(message.contains("unknown seed '999'"), "{message}");
    let message = problem("reflections.toml", |text| {
        text.replacen("mode = \"leadership\"", "mode = \"wizardry\"", 1)
    });
    assert!(
        message.contains("reflections.toml: prompt 'might-fail'"),
        "{message}"
    );
    assert!(message.contains("wizardry"), "{message}");
}

#[test]
fn empty_and_over_long_text_is_named() {
    let long = "x".repeat(TIP_BODY_MAX + 1);
    let message = problem("tips.toml", |text| {
        text.replacen(
            "title = \"Keep two sprints of work ready\"",
            "title = \"   \"",
            1,
        )
        .replacen(
            "body = \"Once a month",
            &format!("body = \"{long} Once a month"),
            1,
        )
    });
    assert!(
        message.contains("tip 'two-sprints-ready': title is empty"),
        "{message}"
    );
    assert!(
        message.contains("tip 'prune-the-backlog': body is"),
        "{message}"
    );
    assert!(message.contains("(at most 600)"), "{message}");
}

#[test]
fn missing_fields_files_and_bad_toml_are_named() {
    let message = problem("challenges.toml", |text| text.replacen("days = 7\n", "", 1));
    assert!(
        message.contains("challenges.toml: challenge 'press-release': missing field `days`"),
        "{message}"
    );
    let message = problem("stages.toml", |text| format!("{text}\n[[stage]\nid = "));
    assert!(message.contains("stages.toml: line"), "{message}");
    assert!(message.contains("not valid TOML"), "{message}");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let message = Library::from_dir(dir.path())
        .expect_err("an empty folder is refused")
        .to_string();
    for name in FILES {
        assert!(message.contains(name), "{name} missing from: {message}");
    }
}

#[test]
fn a_stage_needs_three_actions_and_a_sane_mix() {
    let message = problem("stages.toml", |text| {
        text.replacen("target_management = 70", "target_management = 170", 1)
    });
    assert!(
        message.contains("stage 'associate': target_management must be a percentage"),
        "{message}"
    );
}

#[test]
fn a_follow_up_must_name_another_prompt() {
    let message = problem("reflections.toml", |text| {
        text.replacen(
            "follows_up = \"might-fail\"",
            "follows_up = \"no-such-prompt\"",
            1,
        )
    });
    assert!(
        message.contains("prompt 'might-fail-since': follows_up names 'no-such-prompt'"),
        "{message}"
    );
}

#[test]
fn help_names_every_shipped_stage() {
    let library = Library::shipped().expect("the shipped content loads");
    let (_, line) = mentorbot::mentor::messages::COMMANDS
        .iter()
        .find(|(usage, _)| usage.starts_with("/stage set"))
        .expect("the stage line in /help");
    for stage in &library.stages {
        assert!(line.contains(&stage.id), "/help leaves out {}", stage.id);
    }
}
