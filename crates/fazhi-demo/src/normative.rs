//! Normative documents of 青石镇 over the last years: one in force and filed, one
//! near the end of its five years (the reminder) with its renewal review on the desk,
//! a 暂行 one let lapse at its expiry, one renewed after a new review (new number, new
//! period), one repealed in last month's clean-up round, and a draft under review —
//! each with its comments one by one and walked through the same rules as the API, on
//! the day it happened, so the public lists of valid, repealed and expired documents
//! and the round's lists have something in them.

use fazhi_core::calendar::Calendar;
use fazhi_core::decisions::{
    CleanupDecision, LegalOpinion, NormativeAction, NormativeContext, NormativeRules,
    NormativeSpec, NormativeState, ReviewAction, ReviewKind, ReviewRules, ReviewSpec, ReviewState,
    RoundDecision, RoundLists, apply_normative, apply_review, apply_round_decision, open_normative,
    open_review,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::decisions::normative_rounds::{self, RoundWrite};
use fazhi_db::decisions::{normative, reviews};
use time::{Date, Duration};

/// The township the demo's accounts work in.
const TOWN: &str = "500160101000";

/// What happens to a published document later.
#[derive(Clone, Copy, PartialEq)]
enum Later {
    Nothing,
    /// Near expiry: the renewal review is on the desk.
    RenewalPending,
    /// Evaluated 30 days before expiry and let lapse.
    Lapse,
    /// Reviewed again and renewed 20 days ago.
    Renewed,
    /// Repealed in the clean-up round 30 days ago.
    Repealed,
}

/// (title, unit, days ago drafted, number, filed, later).
type Demo = (&'static str, &'static str, i64, Option<u32>, bool, Later);

const DOCUMENTS: [Demo; 6] = [
    (
        "青石镇农村村民住宅建设管理办法",
        "规划建设办",
        300,
        Some(3),
        true,
        Later::Nothing,
    ),
    (
        "青石镇集镇门前三包责任制管理办法",
        "综合行政执法大队",
        1700,
        Some(1),
        true,
        Later::RenewalPending,
    ),
    (
        "青石镇临时救助实施暂行办法",
        "社会事务办",
        900,
        Some(2),
        false,
        Later::Lapse,
    ),
    (
        "青石镇村级公益事业一事一议筹资筹劳管理办法",
        "财政所",
        1200,
        Some(1),
        true,
        Later::Repealed,
    ),
    (
        "青石镇农贸市场管理暂行规定",
        "经济发展办",
        5,
        None,
        false,
        Later::Nothing,
    ),
    (
        "青石镇农村集体经济组织财务公开办法",
        "财政所",
        1850,
        Some(2),
        true,
        Later::Renewed,
    ),
];

/// Two comments a document's draft received, with their answers.
const COMMENTS: [(&str, &str, &str); 2] = [
    (
        "石桥村村民委员会",
        "建议明确办理时限",
        "采纳，已在第五条写明办理时限",
    ),
    (
        "匿名",
        "建议取消申请材料中的村级证明",
        "部分采纳：村级证明改为承诺制，户籍信息由部门共享核验",
    ),
];

/// Seeds 青石镇's normative documents; returns the documents stored.
pub async fn seed(db: &Db, today: Date) -> anyhow::Result<usize> {
    let town = divisions::by_code(db, TOWN).await?;
    let actor = |name: &str, id: i64| Actor {
        id: Some(id),
        name: name.to_string(),
        shown: None,
    };
    let r = users::by_username(db, "reviewer").await?;
    let l = users::by_username(db, "leader").await?;
    let (reviewer, leader) = (actor("reviewer", r.id), actor("leader", l.id));
    let cal = Calendar::builtin();
    let rules = NormativeRules::default();
    let desk = ReviewRules::default();
    let roots = vec![town.path.clone()];
    let mut stored = 0;
    let mut repeal = Vec::new();
    for (title, unit, ago, number, filed, later) in DOCUMENTS {
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
                                    title: if s.published_on.is_some() {
                                        format!("{}（到期评估、延续施行）", s.title)
                                    } else {
                                        s.title.clone()
                                    },
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
                summary: "在政务公开栏和村（社区）公示栏公开征求意见7日，收到意见2条，逐条答复。"
                    .into(),
            },
        )
        .await?;
        for (author, content, answer) in COMMENTS {
            let c = NormativeAction::RecordComment {
                author: author.into(),
                content: content.into(),
                answer: answer.into(),
            };
            step(day, c).await?;
        }
        let row = step(
            day,
            NormativeAction::SubmitReview {
                materials: String::new(),
            },
        )
        .await?;
        let Some(number) = number else { continue };
        let lawful = |rid: i64, on: Date| {
            let (db, roots, reviewer) = (db.clone(), roots.clone(), reviewer.clone());
            async move {
                let review = ReviewAction::Review {
                    opinion: LegalOpinion::Lawful,
                    reasons: String::new(),
                    adviser_id: None,
                };
                let done = reviews::act(
                    &db,
                    &reviewer,
                    &roots,
                    rid,
                    None,
                    review.code(),
                    on,
                    |_, s| apply_review(&s, &review, on, r.id).map(|n| (n, review.note())),
                )
                .await?;
                done.map_err(|e| anyhow::anyhow!("demo document review {rid}: {e}"))?;
                anyhow::Ok(())
            }
        };
        let reviewed = cal.working_day_on_or_after(day + Duration::days(6));
        lawful(row.legal_review_id.unwrap_or_default(), reviewed).await?;
        let met = reviewed + Duration::days(3);
        // The township's adviser attended (picked from the roster, when it is seeded).
        let advisers = crate::advisers::township_adviser(db, &town.path, met).await?;
        step(
            met,
            NormativeAction::Deliberate {
                on: met,
                meeting: "镇政府常务会议".into(),
                conclusion: "原则通过，按程序印发".into(),
                adviser_ids: (!advisers.is_empty()).then_some(advisers),
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
        let row = normative::by_id(db, id).await?;
        let expires = row.expires_on.unwrap_or(today);
        match later {
            Later::Nothing => {}
            Later::Repealed => repeal.push(id),
            Later::Lapse => {
                let on = expires - Duration::days(30);
                let lapse = NormativeAction::Lapse {
                    note: "临时救助已纳入区级统一办法，本办法到期不再延续".into(),
                };
                step(on, lapse).await?;
            }
            Later::RenewalPending | Later::Renewed => {
                let submitted = if later == Later::Renewed {
                    today - Duration::days(40)
                } else {
                    today - Duration::days(5)
                };
                let submit = NormativeAction::SubmitReview {
                    materials: String::new(),
                };
                let row = step(submitted, submit).await?;
                if later == Later::Renewed {
                    lawful(
                        row.legal_review_id.unwrap_or_default(),
                        today - Duration::days(34),
                    )
                    .await?;
                    let on = today - Duration::days(20);
                    let renew = NormativeAction::Renew {
                        number: format!("青石府规〔{}〕{}号", on.year(), number + 10),
                        via: "青石镇人民政府网站、政务公开栏".into(),
                        effective_on: None,
                    };
                    step(on, renew).await?;
                    step(
                        on + Duration::days(5),
                        NormativeAction::File {
                            with: "清溪区人民政府".into(),
                        },
                    )
                    .await?;
                }
            }
        }
    }
    cleanup_round(db, &leader, &town, today - Duration::days(30), &repeal).await?;
    Ok(stored)
}

/// Last month's clean-up round: the documents in `repeal` repealed, the others kept,
/// and the round's three lists.
async fn cleanup_round(
    db: &Db,
    leader: &Actor,
    town: &divisions::DivisionRow,
    on: Date,
    repeal: &[i64],
) -> anyhow::Result<()> {
    let done = normative_rounds::record(
        db,
        leader,
        town.id,
        &town.path,
        on,
        "本镇现行有效的行政规范性文件",
        "对照上位法和政策调整逐件清理",
        |round_id, docs| {
            let mut states = Vec::new();
            for d in &docs {
                states.push((d.id, d.version, d.state().map_err(|e| e.to_string())?));
            }
            let mut changed = Vec::new();
            for (id, version, s) in &mut states {
                if !repeal.contains(id) {
                    continue;
                }
                let d = RoundDecision {
                    document_id: *id,
                    decision: CleanupDecision::Repeal,
                    note: "上位政策调整，经清理予以废止".into(),
                };
                let next = apply_round_decision(s, &d, on, round_id).map_err(|e| e.to_string())?;
                *s = next.clone();
                changed.push((*id, *version, next));
            }
            let lists =
                RoundLists::of(states.iter().map(|(id, _, s)| (*id, s)), on, Some(round_id));
            Ok::<_, String>(RoundWrite {
                changed,
                lists: serde_json::to_string(&lists).map_err(|e| e.to_string())?,
            })
        },
    )
    .await?;
    done.map_err(|e| anyhow::anyhow!("demo clean-up round: {e}"))?;
    Ok(())
}
