//! Joining confirmed pairs into groups, and the likely source of a group.

/// The group of every variant: its leader. Variants are taken in `rank` order (most
/// often used first, so a template's own wording leads rather than an edited copy of
/// it); one joins the group of the earlier-ranked leader it is most alike, else leads
/// a group of its own. Unlike joining every confirmed pair (union–find), this cannot
/// chain paragraphs that are each a little alike into one group of unrelated text:
/// every member is within the threshold of its leader. `edges` are confirmed
/// `(a, b, overlap)`; `rank[v]` is the position of variant `v` in that order.
pub fn leaders(rank: &[u32], edges: &mut [(u32, u32, f32)]) -> Vec<u32> {
    for e in edges.iter_mut() {
        if rank[e.0 as usize] > rank[e.1 as usize] {
            (e.0, e.1) = (e.1, e.0);
        }
    }
    edges.sort_unstable_by_key(|e| (rank[e.1 as usize], rank[e.0 as usize]));
    let mut leader: Vec<u32> = (0..rank.len() as u32).collect();
    for run in edges.chunk_by(|x, y| x.1 == y.1) {
        let v = run[0].1 as usize;
        let best = run
            .iter()
            .filter(|e| leader[e.0 as usize] == e.0)
            .max_by(|x, y| {
                x.2.total_cmp(&y.2)
                    .then(rank[y.0 as usize].cmp(&rank[x.0 as usize]))
            });
        if let Some(e) = best {
            leader[v] = e.0;
        }
    }
    leader
}

/// The likely source among members given as (date, reference): a template or an
/// earlier year's report given with `--against` first, else the one strictly earliest
/// issue date when at least two members are dated. `None` when nothing tells.
pub fn source(members: &[(Option<&str>, bool)]) -> Option<usize> {
    if let Some(i) = members.iter().position(|m| m.1) {
        // Among references, the earliest dated one.
        let best = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.1 && m.0.is_some())
            .min_by_key(|(i, m)| (m.0, *i))
            .map(|(i, _)| i);
        return Some(best.unwrap_or(i));
    }
    let mut dated: Vec<(&str, usize)> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.0.map(|d| (d, i)))
        .collect();
    if dated.len() < 2 {
        return None;
    }
    dated.sort();
    (dated[0].0 < dated[1].0).then_some(dated[0].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_date_or_reference_is_the_source() {
        assert_eq!(
            source(&[(Some("2025-02-01"), false), (Some("2025-01-20"), false)]),
            Some(1)
        );
        assert_eq!(source(&[(Some("2025-01-20"), false), (None, false)]), None);
        assert_eq!(
            source(&[(Some("2025-01-20"), false), (Some("2025-01-20"), false)]),
            None
        );
        assert_eq!(
            source(&[(Some("2025-01-20"), false), (None, true)]),
            Some(1)
        );
        // 2 is like 1 and 3 like 2 (but not enough like 1): no chain.
        let l = leaders(&[0, 1, 2, 3], &mut [(1, 2, 0.8), (2, 3, 0.9), (0, 3, 0.6)]);
        assert_eq!(l, [0, 1, 1, 0]);
        // The most used variant leads, though it occurs later.
        let l = leaders(&[1, 0], &mut [(0, 1, 0.9)]);
        assert_eq!(l, [1, 1]);
    }
}
