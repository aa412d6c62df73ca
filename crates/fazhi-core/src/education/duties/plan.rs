//! The yearly 普法 plan (谁执法谁普法) and its progress from the recorded events.

use time::Date;

use crate::education::codes::EventKind;
use crate::education::input::{FieldErrors, check_laws, code_of, count, optional_text};

/// A plan item as entered (the responsible unit is checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct PlanItemDraft {
    pub year: Option<i32>,
    pub laws: Vec<String>,
    /// Empty: activities of any type count.
    pub kind: String,
    pub planned: Option<i64>,
    pub note: String,
}

/// A checked plan item.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItemFields {
    pub year: i32,
    pub laws: Vec<String>,
    pub kind: Option<EventKind>,
    /// Activities planned (场).
    pub planned: i64,
    pub note: Option<String>,
}

/// Checks a plan item: a year up to next year, at least one law, a planned count ≥ 1.
pub fn check_plan_item(d: &PlanItemDraft, today: Date) -> Result<PlanItemFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let year = match d.year {
        Some(y) if (2000..=today.year() + 1).contains(&y) => y,
        Some(_) => {
            e.add("year", "年度须在2000年至明年之间");
            today.year()
        }
        None => {
            e.add("year", "请填写年度");
            today.year()
        }
    };
    let laws = check_laws(&mut e, &d.laws);
    if laws.is_empty() {
        e.add("laws", "请填写负责宣传的法律法规");
    }
    let kind = match d.kind.trim() {
        "" => None,
        _ => code_of::<EventKind>(&mut e, "kind", &d.kind),
    };
    if d.planned.is_none() {
        e.add("planned", "请填写计划开展的活动场次");
    }
    let planned = count(&mut e, "planned", "计划场次", d.planned);
    if d.planned.is_some() && planned == 0 && !e.0.iter().any(|(f, _)| f == "planned") {
        e.add("planned", "计划场次至少为1");
    }
    let note = optional_text(&mut e, "note", "备注", &d.note, 500);
    e.or(|| PlanItemFields {
        year,
        laws,
        kind,
        planned,
        note,
    })
}

/// What progress needs of a plan item.
#[derive(Debug, Clone)]
pub struct PlanFacts {
    pub unit_id: i64,
    pub kind: Option<EventKind>,
    pub laws: Vec<String>,
}

/// What progress needs of an event of the same township and year.
#[derive(Debug, Clone)]
pub struct PlanEvent {
    pub unit_id: Option<i64>,
    pub kind: EventKind,
    pub laws: Vec<String>,
}

/// Whether an event counts for a plan item: organised by the item's unit, of its type
/// when one is set, and covering at least one of its laws.
pub fn counts_for(item: &PlanFacts, ev: &PlanEvent) -> bool {
    ev.unit_id == Some(item.unit_id)
        && item.kind.is_none_or(|k| k == ev.kind)
        && ev.laws.iter().any(|l| item.laws.contains(l))
}

/// The activities done for each item (an event may count for several items).
pub fn plan_progress(items: &[PlanFacts], events: &[PlanEvent]) -> Vec<i64> {
    items
        .iter()
        .map(|i| events.iter().filter(|e| counts_for(i, e)).count() as i64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::education::codes::EventKind;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    #[test]
    fn plan_progress_counts_the_units_events_on_its_laws() {
        let items = [
            PlanFacts {
                unit_id: 1,
                kind: None,
                laws: vec!["民法典".into()],
            },
            PlanFacts {
                unit_id: 1,
                kind: Some(EventKind::Schools),
                laws: vec!["未成年人保护法".into()],
            },
        ];
        let ev = |unit, kind, law: &str| PlanEvent {
            unit_id: unit,
            kind,
            laws: vec![law.into()],
        };
        let events = [
            ev(Some(1), EventKind::Villages, "民法典"),
            ev(Some(2), EventKind::Villages, "民法典"),
            ev(None, EventKind::Villages, "民法典"),
            ev(Some(1), EventKind::Villages, "未成年人保护法"),
            ev(Some(1), EventKind::Schools, "未成年人保护法"),
        ];
        assert_eq!(plan_progress(&items, &events), [1, 1]);
        let e = check_plan_item(
            &PlanItemDraft {
                year: Some(2026),
                planned: Some(0),
                ..PlanItemDraft::default()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["laws", "planned"]);
    }
}
