//! A year of the review desk (合法性审查) in 青石镇: items of every kind, reviewed
//! lawful, unlawful or with amendments, answered, signed — and some signed without
//! review, so 审查率 is below 100% and the skipped list is not empty. Every step goes
//! through the same rules as the API, on the day it happened.

use fazhi_core::calendar::Calendar;
use fazhi_core::decisions::{
    Adoption, LegalOpinion, ReviewAction, ReviewKind, ReviewRules, ReviewSpec, apply_review,
    open_review,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::decisions::reviews;
use fazhi_db::enforcement::cases::{self, CaseFilter};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration};

/// The township the demo's review accounts work in.
const TOWN: &str = "500160101000";

/// (kind, title, drafting unit) of the demo items, one year's worth.
const ITEMS: [(ReviewKind, &str, &str); 18] = [
    (
        ReviewKind::MajorDecision,
        "青石镇集镇污水管网改造方案",
        "建设环保办",
    ),
    (
        ReviewKind::MajorDecision,
        "青石镇农村人居环境整治三年行动方案",
        "农业农村办",
    ),
    (
        ReviewKind::NormativeDocument,
        "青石镇农村建房管理办法",
        "规划建设办",
    ),
    (
        ReviewKind::NormativeDocument,
        "青石镇临时救助实施细则",
        "社会事务办",
    ),
    (
        ReviewKind::NormativeDocument,
        "青石镇村级财务管理规定",
        "财政所",
    ),
    (ReviewKind::Contract, "集镇保洁服务外包合同", "环卫所"),
    (ReviewKind::Contract, "镇政府法律顾问服务合同", "党政办公室"),
    (
        ReviewKind::Contract,
        "青石小学周边道路维修施工合同",
        "建设环保办",
    ),
    (ReviewKind::Contract, "农贸市场租赁合同", "经济发展办"),
    (ReviewKind::Contract, "村级光伏项目合作协议", "经济发展办"),
    (
        ReviewKind::EnforcementDecision,
        "对某建材公司倾倒建筑垃圾的处罚决定",
        "综合执法大队",
    ),
    (
        ReviewKind::EnforcementDecision,
        "对某餐馆占道经营的处罚决定",
        "综合执法大队",
    ),
    (
        ReviewKind::EnforcementDecision,
        "对某养殖场排放污水的处罚决定",
        "综合执法大队",
    ),
    (
        ReviewKind::PetitionReply,
        "关于某村征地补偿信访事项的答复意见",
        "信访办",
    ),
    (
        ReviewKind::PetitionReply,
        "关于拖欠农民工工资信访事项的答复意见",
        "信访办",
    ),
    (
        ReviewKind::PetitionReply,
        "关于邻里排水纠纷信访事项的答复意见",
        "信访办",
    ),
    (
        ReviewKind::Other,
        "青石镇政府信息公开申请答复",
        "党政办公室",
    ),
    (
        ReviewKind::Other,
        "关于收回某村闲置宅基地的决定",
        "自然资源所",
    ),
];

/// Seeds 青石镇's review desk for the year before `today`; returns the items stored.
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
    let rules = ReviewRules::default();
    let roots = vec![town.path.clone()];
    let case_ids: Vec<i64> = cases::list(db, &roots, &CaseFilter::default(), 0, 10)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(20_261_207);
    let mut stored = 0;
    for (i, (kind, title, unit)) in ITEMS.into_iter().enumerate() {
        // Spread over the year, oldest first; the last two are still open.
        let day = cal.working_day_on_or_after(today - Duration::days(350 - 19 * i as i64));
        let skipped = i % 6 == 4;
        let spec = ReviewSpec {
            kind,
            title: title.into(),
            drafting_unit: unit.into(),
            materials: format!("{title}（草案）及起草说明、法律政策依据、征求意见及采纳情况。"),
            enforcement_case_id: (kind == ReviewKind::EnforcementDecision)
                .then(|| case_ids.get(i % case_ids.len().max(1)).copied())
                .flatten(),
            major_decision_id: None,
            due_on: None,
            urgent_reason: String::new(),
            // Signed without review, registered when found in the year-end check.
            signed_on: (skipped && i % 12 == 4).then_some(day),
        };
        let s = match open_review(&spec, day, &cal, &rules) {
            Ok(s) => s,
            Err(e) => anyhow::bail!("demo review item {title}: {e}"),
        };
        let row = reviews::create(db, &leader, town.id, &town.path, &s, day).await?;
        stored += 1;
        if spec.signed_on.is_some() {
            continue;
        }
        let rid = row.id;
        let step = |who: &Actor, on: Date, a: ReviewAction| {
            let (db, roots, who) = (db.clone(), roots.clone(), who.clone());
            async move {
                let code = a.code();
                let note = a.note();
                let done = reviews::act(&db, &who, &roots, rid, None, code, on, |_, s| {
                    apply_review(&s, &a, on, who.id.unwrap_or_default()).map(|n| (n, note))
                })
                .await?;
                done.map_err(|e| anyhow::anyhow!("demo review {rid}: {e}"))?;
                anyhow::Ok(())
            }
        };
        if i >= ITEMS.len() - 2 {
            continue; // Still waiting for the reviewer.
        }
        if skipped {
            // Signed while the review was still pending.
            step(
                &leader,
                day + Duration::days(2),
                ReviewAction::Sign {
                    note: "会议要求当日印发".into(),
                },
            )
            .await?;
            continue;
        }
        let took = rng.random_range(2..9);
        let reviewed = cal.working_day_on_or_after(day + Duration::days(took));
        let opinion = match i % 5 {
            1 => LegalOpinion::Amend,
            3 if kind == ReviewKind::Contract => LegalOpinion::Unlawful,
            _ => LegalOpinion::Lawful,
        };
        let reasons = match opinion {
            LegalOpinion::Lawful => String::new(),
            LegalOpinion::Amend => {
                "第五条设定的收费事项无法律依据，建议删除；第八条表述不规范。".into()
            }
            LegalOpinion::Unlawful => "该合同未经政府采购程序，主体与程序不合法。".into(),
        };
        step(
            &reviewer,
            reviewed,
            ReviewAction::Review {
                opinion,
                reasons,
                adviser_id: None,
            },
        )
        .await?;
        let answered = reviewed + Duration::days(1);
        match opinion {
            LegalOpinion::Unlawful => {
                step(
                    &leader,
                    answered,
                    ReviewAction::Withdraw {
                        reason: "按审查意见停止签订，重新组织采购".into(),
                    },
                )
                .await?;
                continue;
            }
            LegalOpinion::Amend => {
                let (adoption, reason) = if i % 2 == 0 {
                    (
                        Adoption::Partly,
                        "第五条已删除，第八条按原表述保留".to_string(),
                    )
                } else {
                    (Adoption::Adopted, String::new())
                };
                step(
                    &leader,
                    answered,
                    ReviewAction::RecordAdoption { adoption, reason },
                )
                .await?;
            }
            LegalOpinion::Lawful => {}
        }
        step(
            &leader,
            answered + Duration::days(1),
            ReviewAction::Sign {
                note: String::new(),
            },
        )
        .await?;
    }
    Ok(stored)
}
