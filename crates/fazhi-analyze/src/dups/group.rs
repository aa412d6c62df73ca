//! Joining confirmed pairs into groups, and the order groups are listed in.

/// Union–find over paragraph variants.
pub struct UnionFind(Vec<u32>);

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let up = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = up;
            x = up;
        }
        x
    }

    /// Joins the two sets; the smaller id stays the root, so roots are first occurrences.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
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
        let mut uf = UnionFind::new(4);
        uf.union(3, 1);
        uf.union(2, 3);
        assert_eq!(uf.find(2), 1);
    }
}
