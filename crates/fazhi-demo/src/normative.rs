//! Normative documents of 青石镇 over the last years: one in force and filed, one
//! near the end of its five years (the reminder), a 暂行 one that ran out without a
//! clean-up, one repealed in the clean-up, and a draft under review — each walked
//! through the same rules as the API, on the day it happened, so the public lists of
//! valid, repealed and expired documents have something in them.

use fazhi_core::calendar::Calendar;
use fazhi_core::decisions::{
    CleanupDecision, LegalOpinion, NormativeAction, NormativeContext, NormativeRules,
    NormativeSpec, NormativeState, ReviewAction, ReviewKind, ReviewRules, ReviewSpec, ReviewState,
    apply_normative, apply_review, open_normative, open_review,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::decisions::{normative, reviews};
use time::{Date, Duration};

/// The township the demo's accounts work in.
const TOWN: &str = "500160101000";

/// (title, unit, days ago drafted, number, filed, repealed days after publication).
type Demo = (
    &'static str,
    &'static str,
    i64,
    Option<u32>,
    bool,
    Option<i64>,
);

const DOCUMENTS: [Demo; 5] = [
    (
        "青石镇农村村民住宅建设管理办法",
        "规划建设办",
        300,
        Some(3),
        true,
        None,
    ),
    (
        "青石镇集镇门前三包责任制管理办法",
        "综合行政执法大队",
        1700,
        Some(1),
        true,
        None,
    ),
    (
        "青石镇临时救助实施暂行办法",
        "社会事务办",
        900,
        Some(2),
        false,
        None,
    ),
    (
        "青石镇村级公益事业一事一议筹资筹劳管理办法",
        "财政所",
        1200,
        Some(1),
        true,
        Some(700),
    ),
    (
        "青石镇农贸市场管理暂行规定",
        "经济发展办",
        5,
        None,
        false,
        None,
    ),
];

/// Seeds 青石镇's normative documents; returns the documents stored.
pub async fn seed(db: &Db, today: Date) -> anyhow::Result<usize> {
    let town = divisions::by_code(db, TOWN).await?;
    let actor = |name: &str, id: i64| Actor {
        id: Some(id),
        name: name.to_string(),
    };
    let r = users::by_username(db, "reviewer").await?;
    let l = users::by_username(db, "leader").await?;
    let (reviewer, leader) = (actor("reviewer", r.id), actor("leader", l.id));
    let cal = Calendar::builtin();
    let rules = NormativeRules::default();
    let desk = ReviewRules::default();
    let roots = vec![town.path.clone()];
    let mut stored = 0;
    for (title, unit, ago, number, filed, repealed) in DOCUMENTS {
        let day = cal.working_day_on_or_after(today - Duration::days(ago));
        let s = open_normative(&NormativeSpec {
            title: title.into(),
            drafting_unit: unit.into(),
            text: format!(
                "{title}\n\n第一条 为规范本镇相关管理工作，根据有关法律法规，结合本镇实际，制定本办法。\n第二条 本办法适用于本镇行政区域内的相关管理活动。\n第三条 本办法自公布之日起三十日后施行。"
            ),
            explanation: "依据上位法和本镇实际起草，已征求各村（社区）意见。".into(),
        })
        .map_err(|e| anyhow::anyhow!("demo document {title}: {e}"))?;
        let row = normative::create(db, &leader, town.id, &town.path, &s, day).await?;
        stored += 1;
        let id = row.id;
        let step = |on: Date, a: NormativeAction| {
            let (db, roots, who, cal) = (db.clone(), roots.clone(), leader.clone(), cal.clone());
            let desk = desk.clone();
            async move {
                let code = a.code();
                let note = a.note();
                let done = normative::act(
                    &db,
                    &who,
                    &roots,
                    id,
                    None,
                    code,
                    on,
                    |s: NormativeState, r: Option<ReviewState>| {
                        let ctx = NormativeContext {
                            today: on,
                            rules: &rules,
                            cal: &cal,
                            review_passed: r.as_ref().is_some_and(|r| r.passed()),
                            review_settled: r.as_ref().is_some_and(|r| r.opinion.is_some()),
                        };
                        let next = apply_normative(&s, &a, &ctx)?;
                        let item = match &a {
                            NormativeAction::SubmitReview { .. } => Some(open_review(
                                &ReviewSpec {
                                    kind: ReviewKind::NormativeDocument,
                                    title: s.title.clone(),
                                    drafting_unit: s.drafting_unit.clone(),
                                    materials: s.text.clone(),
                                    enforcement_case_id: None,
                                    major_decision_id: None,
                                    due_on: None,
                                    urgent_reason: String::new(),
                                    signed_on: None,
                                },
                                on,
                                &cal,
                                &desk,
                            )?),
                            _ => None,
                        };
                        Ok::<_, fazhi_core::decisions::ReviewError>((next, item, note))
                    },
                )
                .await?;
                done.map_err(|e| anyhow::anyhow!("demo document {id}: {e}"))
            }
        };
        step(
            day,
            NormativeAction::RecordComments {
                summary: "在政务公开栏和村（社区）公示栏公开征求意见7日，收到意见3条，采纳2条。"
                    .into(),
            },
        )
        .await?;
        let row = step(
            day,
            NormativeAction::SubmitReview {
                materials: String::new(),
            },
        )
        .await?;
        let Some(number) = number else { continue };
        let rid = row.legal_review_id.unwrap_or_default();
        let reviewed = cal.working_day_on_or_after(day + Duration::days(6));
        let review = ReviewAction::Review {
            opinion: LegalOpinion::Lawful,
            reasons: String::new(),
            adviser_id: None,
        };
        let done = reviews::act(
            db,
            &reviewer,
            &roots,
            rid,
            None,
            review.code(),
            reviewed,
            |_, s| apply_review(&s, &review, reviewed, r.id).map(|n| (n, review.note())),
        )
        .await?;
        done.map_err(|e| anyhow::anyhow!("demo document review {rid}: {e}"))?;
        let met = reviewed + Duration::days(3);
        step(
            met,
            NormativeAction::Deliberate {
                on: met,
                meeting: "镇政府常务会议".into(),
                conclusion: "原则通过，按程序印发".into(),
            },
        )
        .await?;
        let issued = met + Duration::days(2);
        step(
            issued,
            NormativeAction::Issue {
                number: format!("青石府规〔{}〕{}号", issued.year(), number),
            },
        )
        .await?;
        step(
            issued,
            NormativeAction::Publish {
                via: "青石镇人民政府网站、政务公开栏".into(),
                effective_on: None,
            },
        )
        .await?;
        if filed {
            step(
                issued + Duration::days(10),
                NormativeAction::File {
                    with: "清溪区人民政府".into(),
                },
            )
            .await?;
        }
        if let Some(after) = repealed {
            let on = issued + Duration::days(after);
            step(
                on,
                NormativeAction::CleanUp {
                    decision: CleanupDecision::Repeal,
                    note: "上位政策调整，经清理予以废止".into(),
                },
            )
            .await?;
        }
    }
    Ok(stored)
}
