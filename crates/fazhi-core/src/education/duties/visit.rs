//! Enterprise visits (法治体检) and their follow-up.

use time::Date;

use super::{optional_ahead, optional_past};
use crate::education::input::{FieldErrors, count, date_of, optional_text, text};
use crate::validate;

/// An enterprise visit (法治体检) as entered.
#[derive(Debug, Clone, Default)]
pub struct VisitDraft {
    pub enterprise: String,
    pub visited_on: String,
    pub visitors: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub issues: String,
    /// Issues found; 1 when issues are described and this is empty.
    pub issue_count: Option<i64>,
    pub advice: String,
    pub rectify_by: String,
    pub rectified_on: String,
}

/// A checked visit; the phone is canonical digits (sealed when stored).
#[derive(Debug, Clone, PartialEq)]
pub struct VisitFields {
    pub enterprise: String,
    pub visited_on: Date,
    pub visitors: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub issues: Option<String>,
    pub issue_count: i64,
    pub advice: Option<String>,
    pub rectify_by: Option<Date>,
    pub rectified_on: Option<Date>,
}

impl VisitFields {
    /// Issues found and not yet rectified.
    pub fn open(&self) -> bool {
        self.issue_count > 0 && self.rectified_on.is_none()
    }
}

/// Whether a visit's issues are still open past the day they were to be rectified by.
pub fn visit_overdue(
    issue_count: i64,
    rectify_by: Option<Date>,
    rectified_on: Option<Date>,
    today: Date,
) -> bool {
    issue_count > 0 && rectified_on.is_none() && rectify_by.is_some_and(|d| d < today)
}

/// Checks a visit: issues found need a day to rectify them by (not before the visit);
/// a rectification day only for a visit with issues, between the visit and today.
pub fn check_visit(d: &VisitDraft, today: Date) -> Result<VisitFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let enterprise = text(&mut e, "enterprise", "企业名称", &d.enterprise, 100);
    let visited_on = date_of(&mut e, "visited_on", "走访日期", &d.visited_on, today);
    let visitors = text(&mut e, "visitors", "走访人员", &d.visitors, 100);
    let contact_name = optional_text(&mut e, "contact_name", "企业联系人", &d.contact_name, 30);
    let contact_phone = match validate::staff_phone(Some(&d.contact_phone)) {
        Ok(p) => p,
        Err(m) => {
            e.add("contact_phone", m);
            None
        }
    };
    let issues = optional_text(&mut e, "issues", "发现的问题", &d.issues, 2000);
    let issue_count = match (&issues, d.issue_count) {
        (None, None) => 0,
        (None, Some(n)) if n > 0 => {
            e.add("issues", "填写了问题个数，请描述发现的问题");
            0
        }
        (None, Some(n)) => count(&mut e, "issue_count", "问题个数", Some(n)),
        (Some(_), None) => 1,
        (Some(_), Some(n)) if n < 1 => {
            e.add("issue_count", "发现了问题时，问题个数至少为1");
            1
        }
        (Some(_), Some(n)) => count(&mut e, "issue_count", "问题个数", Some(n)),
    };
    let advice = optional_text(&mut e, "advice", "法律意见建议", &d.advice, 2000);
    let rectify_by = optional_ahead(&mut e, "rectify_by", "整改期限", &d.rectify_by, today);
    let rectified_on = optional_past(
        &mut e,
        "rectified_on",
        "整改完成日期",
        &d.rectified_on,
        today,
    );
    if issue_count > 0 && rectify_by.is_none() && d.rectify_by.trim().is_empty() {
        e.add("rectify_by", "发现了问题，请填写整改期限");
    }
    if rectify_by.is_some_and(|r| r < visited_on) {
        e.add("rectify_by", "整改期限不能早于走访日期");
    }
    if let Some(r) = rectified_on {
        if issue_count == 0 {
            e.add("rectified_on", "未发现问题的走访不填整改完成日期");
        } else if r < visited_on {
            e.add("rectified_on", "整改完成日期不能早于走访日期");
        }
    }
    e.or(|| VisitFields {
        enterprise,
        visited_on,
        visitors,
        contact_name,
        contact_phone,
        issues,
        issue_count,
        advice,
        rectify_by,
        rectified_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    #[test]
    fn visits_with_issues_need_a_deadline() {
        let d = VisitDraft {
            enterprise: "青石建材有限公司".into(),
            visited_on: "2026-05-10".into(),
            visitors: "司法所 周敏".into(),
            issues: "劳动合同未续签".into(),
            rectify_by: "2026-06-10".into(),
            contact_phone: "13812345678".into(),
            ..VisitDraft::default()
        };
        let f = check_visit(&d, TODAY).unwrap();
        assert_eq!(f.issue_count, 1);
        assert!(f.open());
        assert!(visit_overdue(
            f.issue_count,
            f.rectify_by,
            f.rectified_on,
            TODAY
        ));
        let e = check_visit(
            &VisitDraft {
                rectify_by: String::new(),
                rectified_on: "2026-05-01".into(),
                ..d.clone()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["rectify_by", "rectified_on"]);
        let e = check_visit(
            &VisitDraft {
                issues: String::new(),
                rectified_on: "2026-05-20".into(),
                ..d
            },
            TODAY,
        )
        .unwrap_err();
        assert_eq!(e.0[0].0, "rectified_on");
    }
}
