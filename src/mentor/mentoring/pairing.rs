//! Making one round's pairs: a more senior member with a less senior one, no recent pair
//! repeated where the team allows it, and a fair choice of whom to leave out.

use std::collections::HashSet;

use super::Round;

/// How far the pairing may bend, tried in order: first only pairs of different stages that
/// were not made recently, then equal stages too, then recent pairs as a last resort.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bend {
    Strict,
    EqualStages,
    Repeats,
}

/// The most steps one pairing search may take (teams are small; this bounds the odd case).
const SEARCH_BUDGET: u32 = 200_000;

/// Pairs members given as (id, stage rank, higher is more senior): each pair a more senior
/// member with a less senior one where the stages allow, and no pair from `recent` (each as
/// (lower id, higher id)) where that is possible. With an odd number, one is left out: never
/// one left out last time (`left_out_last`), and otherwise the one nearest the middle.
pub fn pair(
    members: &[(i64, usize)],
    recent: &HashSet<(i64, i64)>,
    left_out_last: &HashSet<i64>,
) -> Round {
    let mut pool = members.to_vec();
    pool.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let sitters: Vec<Option<usize>> = match pool.len() % 2 {
        0 => vec![None],
        _ => {
            let middle = pool.len() / 2;
            let mut order: Vec<usize> = (0..pool.len()).collect();
            order.sort_by_key(|&i| (left_out_last.contains(&pool[i].0), i.abs_diff(middle), i));
            order.into_iter().map(Some).collect()
        }
    };
    for bend in [Bend::Strict, Bend::EqualStages, Bend::Repeats] {
        for sitter in &sitters {
            if bend != Bend::Repeats && sitter.is_some_and(|i| left_out_last.contains(&pool[i].0)) {
                continue;
            }
            let rest: Vec<(i64, usize)> = pool
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != *sitter)
                .map(|(_, m)| *m)
                .collect();
            let mut used = vec![false; rest.len()];
            let mut pairs = Vec::new();
            let mut budget = SEARCH_BUDGET;
            if search(&rest, recent, bend, &mut used, &mut pairs, &mut budget) {
                return Round {
                    pairs,
                    left_out: sitter.map(|i| pool[i].0),
                };
            }
        }
    }
    Round::default()
}

/// Pairs the first unpaired member (the most senior left) with someone allowed, trying the
/// least senior first, and backtracks when the rest cannot be paired.
fn search(
    members: &[(i64, usize)],
    recent: &HashSet<(i64, i64)>,
    bend: Bend,
    used: &mut [bool],
    pairs: &mut Vec<(i64, i64)>,
    budget: &mut u32,
) -> bool {
    let Some(first) = used.iter().position(|u| !u) else {
        return true;
    };
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    used[first] = true;
    let (senior, rank) = members[first];
    for other in (first + 1..members.len()).rev() {
        let (junior, junior_rank) = members[other];
        let repeat = recent.contains(&(senior.min(junior), senior.max(junior)));
        let allowed = !used[other]
            && (bend == Bend::Repeats || !repeat)
            && (bend != Bend::Strict || junior_rank < rank);
        if !allowed {
            continue;
        }
        used[other] = true;
        pairs.push((senior, junior));
        if search(members, recent, bend, used, pairs, budget) {
            return true;
        }
        pairs.pop();
        used[other] = false;
    }
    used[first] = false;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(a: i64, b: i64) -> (i64, i64) {
        (a.min(b), a.max(b))
    }

    #[test]
    fn seven_members_over_three_rounds_repeat_no_pair_and_pair_senior_with_junior() {
        // (id, rank): two directors, two principals, three seniors/associates.
        let members = [(1, 4), (2, 4), (3, 3), (4, 3), (5, 1), (6, 0), (7, 0)];
        let rank = |id: i64| members.iter().find(|m| m.0 == id).map(|m| m.1).unwrap_or(0);
        let mut history: Vec<Round> = Vec::new();
        for _ in 0..3 {
            let recent: HashSet<(i64, i64)> = history
                .iter()
                .rev()
                .take(2)
                .flat_map(|r| r.pairs.iter().map(|&(a, b)| key(a, b)))
                .collect();
            let left_out_last: HashSet<i64> = history
                .last()
                .and_then(|r| r.left_out)
                .into_iter()
                .collect();
            let round = pair(&members, &recent, &left_out_last);
            assert_eq!(round.pairs.len(), 3);
            let alone = round.left_out.expect("seven members leave one out");
            assert!(!left_out_last.contains(&alone), "left out twice running");
            for &(senior, junior) in &round.pairs {
                assert_ne!(senior, junior);
                assert!(rank(senior) >= rank(junior));
                assert!(
                    !recent.contains(&key(senior, junior)),
                    "repeated {senior}-{junior}"
                );
            }
            history.push(round);
        }
        let all: Vec<(i64, i64)> = history
            .iter()
            .flat_map(|r| r.pairs.iter().map(|&(a, b)| key(a, b)))
            .collect();
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!(
            unique.len(),
            all.len(),
            "no pair twice in three rounds: {history:?}"
        );
    }
}
