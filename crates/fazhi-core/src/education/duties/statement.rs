//! 述法: the heads' yearly statements and the district's rating.

use time::Date;

use super::{MAX_STATEMENT_CHARS, year_of};
use crate::education::codes::{HeadPost, StatementOccasion, StatementRating};
use crate::education::input::{FieldErrors, code_of, date_of, optional_text, text};

/// A 述法 statement as entered (the head is checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct StatementDraft {
    pub year: Option<i32>,
    pub post: String,
    pub delivered_on: String,
    pub occasion: String,
    pub title: String,
    pub text: String,
}

/// A checked 述法 statement.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementFields {
    /// The year whose duties it reports on.
    pub year: i32,
    pub post: HeadPost,
    pub delivered_on: Date,
    pub occasion: StatementOccasion,
    pub title: String,
    pub text: String,
}

/// Checks a statement: it reports on a year up to this one and was delivered in that
/// year or the next (year-end statements are often given in January or February).
pub fn check_statement(d: &StatementDraft, today: Date) -> Result<StatementFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let year = year_of(&mut e, "year", d.year, today);
    let post = code_of::<HeadPost>(&mut e, "post", &d.post);
    let delivered_on = if d.delivered_on.trim().is_empty() {
        e.add("delivered_on", "请填写述法日期");
        today
    } else {
        date_of(&mut e, "delivered_on", "述法日期", &d.delivered_on, today)
    };
    if !(year..=year + 1).contains(&delivered_on.year()) {
        e.add(
            "delivered_on",
            format!("述法日期须在{year}年或{}年内", year + 1),
        );
    }
    let occasion = code_of::<StatementOccasion>(&mut e, "occasion", &d.occasion);
    let title = optional_text(&mut e, "title", "标题", &d.title, 100)
        .unwrap_or_else(|| format!("{year}年度履行推进法治建设第一责任人职责情况述法报告"));
    let text = text(&mut e, "text", "述法内容", &d.text, MAX_STATEMENT_CHARS);
    e.or(|| StatementFields {
        year,
        post: post.expect("checked"),
        delivered_on,
        occasion: occasion.expect("checked"),
        title,
        text,
    })
}

/// The district's rating as entered.
#[derive(Debug, Clone, Default)]
pub struct RatingDraft {
    pub rating: String,
    pub note: String,
}

/// Checks a rating: a grade and an optional comment.
pub fn check_rating(d: &RatingDraft) -> Result<(StatementRating, Option<String>), FieldErrors> {
    let mut e = FieldErrors::default();
    let rating = code_of::<StatementRating>(&mut e, "rating", &d.rating);
    let note = optional_text(&mut e, "rating_note", "评价意见", &d.note, 1000);
    e.or(|| (rating.expect("checked"), note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    #[test]
    fn statements_are_delivered_in_their_year_or_the_next() {
        let d = StatementDraft {
            year: Some(2025),
            post: "party_secretary".into(),
            delivered_on: "2026-01-20".into(),
            occasion: "year_end".into(),
            text: "一、履职情况……".into(),
            ..StatementDraft::default()
        };
        let f = check_statement(&d, TODAY).unwrap();
        assert_eq!(f.post, HeadPost::PartySecretary);
        assert!(f.title.starts_with("2025年度"));
        let bad = StatementDraft {
            year: Some(2024),
            post: "king".into(),
            ..d.clone()
        };
        let e = check_statement(&bad, TODAY).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["post", "delivered_on"]);
        assert!(
            check_rating(&RatingDraft {
                rating: "good".into(),
                note: String::new()
            })
            .is_ok()
        );
    }
}
