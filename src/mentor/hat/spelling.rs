//! Reading a misspelt word as the known word it was meant to be: one edit apart.

/// True when `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours.
pub(super) fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return false;
    }
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[common..], &b[common..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::one_edit_apart;

    #[test]
    fn one_edit_is_one_insertion_deletion_substitution_or_swap() {
        assert!(one_edit_apart("reciev", "receiv"));
        assert!(one_edit_apart("enginer", "engineer"));
        assert!(one_edit_apart("calender", "calendar"));
        assert!(one_edit_apart("roadmaps", "roadmap"));
        assert!(!one_edit_apart("roadmap", "roadmap"));
        assert!(!one_edit_apart("pricing", "princes"));
    }
}
