//! 积分制: a township may give its villages points for their publicity events, so many
//! per event type; a village's points of a year are counted from the events recorded
//! there, never typed.

use std::collections::BTreeMap;

use super::codes::EventKind;
use super::input::FieldErrors;

/// Most points one event may earn.
pub const MAX_EVENT_POINTS: i64 = 100;

/// A township's points setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsRule {
    pub enabled: bool,
    /// Points per event of each type (types not listed earn none).
    pub points: BTreeMap<EventKind, i64>,
}

impl Default for PointsRule {
    /// Off; when turned on, a theme-day event or a lecture earns 2, the rest 1.
    fn default() -> PointsRule {
        PointsRule {
            enabled: false,
            points: EventKind::ALL
                .iter()
                .map(|k| {
                    let p = match k {
                        EventKind::ThemeDay | EventKind::Lecture => 2,
                        _ => 1,
                    };
                    (*k, p)
                })
                .collect(),
        }
    }
}

/// The points as stored: one `kind=points` per line.
pub fn points_lines(points: &BTreeMap<EventKind, i64>) -> String {
    points
        .iter()
        .map(|(k, p)| format!("{}={p}", k.as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stored lines read back (lines that do not read are left out).
pub fn parse_points_lines(s: &str) -> BTreeMap<EventKind, i64> {
    s.lines()
        .filter_map(|l| {
            let (k, p) = l.split_once('=')?;
            Some((k.trim().parse().ok()?, p.trim().parse().ok()?))
        })
        .collect()
}

/// Checks points per type as entered (type code → points): each a whole number from 0
/// to `MAX_EVENT_POINTS`, every type known.
pub fn check_points(raw: &BTreeMap<String, i64>) -> Result<BTreeMap<EventKind, i64>, FieldErrors> {
    let mut e = FieldErrors::default();
    let mut out = BTreeMap::new();
    for (k, p) in raw {
        match k.parse::<EventKind>() {
            Err(_) => e.add(&format!("points.{k}"), format!("没有“{k}”这种活动类型")),
            Ok(kind) if !(0..=MAX_EVENT_POINTS).contains(p) => e.add(
                &format!("points.{k}"),
                format!("{}的积分须在0到{MAX_EVENT_POINTS}之间", kind.label_zh()),
            ),
            Ok(kind) => {
                out.insert(kind, *p);
            }
        }
    }
    e.or(|| out)
}

/// A village's events of a year and the points they earn.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VillagePoints {
    pub events: i64,
    pub points: i64,
    /// Events and points per type, types with events only.
    pub by_kind: BTreeMap<EventKind, (i64, i64)>,
}

/// Points of each village from its events' types (`(village, kind, count)` rows).
pub fn village_points<V: Ord + Clone>(
    rule: &PointsRule,
    counts: &[(V, EventKind, i64)],
) -> BTreeMap<V, VillagePoints> {
    let mut out: BTreeMap<V, VillagePoints> = BTreeMap::new();
    for (v, kind, n) in counts {
        let each = rule.points.get(kind).copied().unwrap_or(0);
        let e = out.entry(v.clone()).or_default();
        e.events += n;
        e.points += n * each;
        let k = e.by_kind.entry(*kind).or_default();
        k.0 += n;
        k.1 += n * each;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_counted_from_the_events_types() {
        let mut rule = PointsRule {
            enabled: true,
            ..PointsRule::default()
        };
        rule.points.insert(EventKind::Online, 0);
        let counts = [
            ("a", EventKind::ThemeDay, 2),
            ("a", EventKind::Villages, 3),
            ("a", EventKind::Online, 5),
            ("b", EventKind::Lecture, 1),
        ];
        let p = village_points(&rule, &counts);
        assert_eq!((p["a"].events, p["a"].points), (10, 7));
        assert_eq!(p["a"].by_kind[&EventKind::Online], (5, 0));
        assert_eq!(p["b"].points, 2);
    }

    #[test]
    fn points_are_checked_and_stored_as_lines() {
        let raw: BTreeMap<String, i64> = [("lecture".to_string(), 3), ("online".to_string(), 0)]
            .into_iter()
            .collect();
        let ok = check_points(&raw).unwrap();
        assert_eq!(parse_points_lines(&points_lines(&ok)), ok);
        let bad: BTreeMap<String, i64> = [("lecture".to_string(), 101), ("dance".to_string(), 1)]
            .into_iter()
            .collect();
        assert_eq!(check_points(&bad).unwrap_err().0.len(), 2);
    }
}
