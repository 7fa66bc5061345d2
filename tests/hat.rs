//! The "which hat?" model judged on situations it was not trained on: 10-fold cross-validation
//! over the labelled corpus. Each fold trains on the other nine (plus the tips and prompts)
//! and reads the held-out tenth.

use mentorbot::content::{Library, Mode};
use mentorbot::mentor::hat::Model;
use mentorbot::mentor::hat::model::examples;

const FOLDS: usize = 10;

#[derive(Debug, Default)]
struct Confusion {
    /// [true hat][answer]: answers are management, leadership, undecided.
    counts: [[usize; 3]; 2],
}

impl Confusion {
    fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    fn correct(&self) -> usize {
        self.counts[0][0] + self.counts[1][1]
    }

    fn undecided(&self) -> usize {
        self.counts[0][2] + self.counts[1][2]
    }
}

fn index(mode: Option<Mode>) -> usize {
    match mode {
        Some(Mode::Management) => 0,
        Some(Mode::Leadership) => 1,
        None => 2,
    }
}

#[test]
fn ten_fold_cross_validation_gets_nine_in_ten_right() {
    let library = Library::shipped().expect("the shipped content loads");
    let all = examples(&library);
    let situations = library.situations.len();
    assert!(situations >= 300, "at least 300 labelled situations");
    let mut confusion = Confusion::default();
    for fold in 0..FOLDS {
        // Situations come first in `examples`; every tenth one is held out in turn.
        let held_out = |i: usize| i < situations && i % FOLDS == fold;
        let training: Vec<_> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| !held_out(*i))
            .map(|(_, example)| example.clone())
            .collect();
        let model = Model::train(&training);
        for situation in library
            .situations
            .iter()
            .enumerate()
            .filter(|(i, _)| held_out(*i))
            .map(|(_, s)| s)
        {
            let answer = model.diagnose(&situation.text).hat;
            confusion.counts[index(Some(situation.mode))][index(answer)] += 1;
        }
    }
    let accuracy = confusion.correct() as f64 / confusion.total() as f64;
    let undecided = confusion.undecided() as f64 / confusion.total() as f64;
    eprintln!(
        "10-fold: {} of {} right ({:.1}%), {} undecided ({:.1}%); management read as [manage, lead, undecided] {:?}, leadership {:?}",
        confusion.correct(),
        confusion.total(),
        accuracy * 100.0,
        confusion.undecided(),
        undecided * 100.0,
        confusion.counts[0],
        confusion.counts[1]
    );
    assert_eq!(confusion.total(), situations);
    assert!(accuracy >= 0.90, "accuracy {accuracy:.3}: {confusion:?}");
    assert!(undecided <= 0.05, "undecided {undecided:.3}: {confusion:?}");
}
