//! A year of contracts in 青石镇: reviewed on the desk and signed, one amended first,
//! one signed without review (so the contracts' 审查率 is below 100%), one dropped
//! after an unlawful opinion, milestones done and late, and contracts expiring within
//! the reminder window. Every step goes through the same rules as the API, on the day
//! it happened.

use fazhi_core::calendar::Calendar;
use fazhi_core::decisions::{
    Adoption, ContractAction, ContractSpec, LegalOpinion, ReviewAction, ReviewChange, ReviewRules,
    apply_contract, apply_review, contract_review_spec, open_contract, open_review,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::decisions::contracts::{self, DeskWrite};
use fazhi_db::decisions::reviews;
use time::{Date, Duration};

/// The township the demo's accounts work in.
const TOWN: &str = "500160101000";

/// How a demo contract went through the desk.
#[derive(Clone, Copy, PartialEq)]
enum Path {
    Lawful,
    Amend,
    NoReview,
    Unlawful,
}

/// (title, counterparty, amount in fen, unit, days before today it was registered,
/// term in days, path, milestones (days after signing)).
type Demo = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    i64,
    i64,
    Path,
    &'static [i64],
);

const CONTRACTS: [Demo; 8] = [
    (
        "集镇保洁服务外包合同",
        "清溪某环境服务有限公司",
        36_000_000,
        "环卫所",
        340,
        365,
        Path::Lawful,
        &[90, 180, 270],
    ),
    (
        "镇政府法律顾问服务合同",
        "某律师事务所",
        6_000_000,
        "党政办公室",
        320,
        365,
        Path::Lawful,
        &[180],
    ),
    (
        "青石小学周边道路维修施工合同",
        "某市政建设有限公司",
        128_650_050,
        "建设环保办",
        260,
        120,
        Path::Amend,
        &[30, 90],
    ),
    (
        "农贸市场摊位租赁合同",
        "王某",
        1_850_000,
        "经济发展办",
        220,
        730,
        Path::NoReview,
        &[],
    ),
    (
        "村级光伏项目合作协议",
        "某新能源科技有限公司",
        0,
        "经济发展办",
        180,
        3650,
        Path::Unlawful,
        &[],
    ),
    (
        "镇机关食堂食材配送合同",
        "某农产品配送中心",
        2_400_000,
        "党政办公室",
        150,
        170,
        Path::Lawful,
        &[60],
    ),
    (
        "防汛物资储备采购合同",
        "某应急物资有限公司",
        15_800_000,
        "应急办",
        90,
        100,
        Path::Lawful,
        &[20, 75],
    ),
    (
        "文化广场监控设备维保合同",
        "某信息技术有限公司",
        980_000,
        "综治中心",
        40,
        365,
        Path::Lawful,
        &[],
    ),
];

/// Seeds 青石镇's contracts for the year before `today`; returns the contracts stored.
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
    let mut stored = 0;
    for (title, party, fen, unit, ago, term, path, milestones) in CONTRACTS {
        let day = cal.working_day_on_or_after(today - Duration::days(ago));
        let signing = cal
            .working_day_on_or_after(day + Duration::days(10))
            .min(today);
        let spec = ContractSpec {
            title: title.into(),
            counterparty: party.into(),
            amount_fen: fen,
            drafting_unit: unit.into(),
            starts_on: Some(signing),
            expires_on: Some(signing + Duration::days(term)),
            legal_review_id: None,
        };
        let s = match open_contract(&spec) {
            Ok(s) => s,
            Err(e) => anyhow::bail!("demo contract {title}: {e}"),
        };
        let row = contracts::create(db, &leader, town.id, &town.path, &s, day).await?;
        stored += 1;
        let id = row.id;
        let step = |on: Date, a: ContractAction| {
            let (db, roots, who, cal, rules) = (
                db.clone(),
                roots.clone(),
                leader.clone(),
                cal.clone(),
                rules.clone(),
            );
            async move {
                let code = a.code();
                let note = a.note();
                let done = contracts::act(&db, &who, &roots, id, None, code, on, |s, linked| {
                    let rs = linked.as_ref().map(|(_, rs)| rs);
                    let (next, change) = apply_contract(&s, rs, &a, on, who.id.unwrap_or(0))?;
                    let desk = match (&a, change) {
                        (ContractAction::SubmitReview { materials }, _) => DeskWrite::Create(
                            open_review(&contract_review_spec(&s, materials), on, &cal, &rules)?,
                        ),
                        (_, ReviewChange::Keep) => DeskWrite::None,
                        (_, ReviewChange::Update { state, action }) => {
                            DeskWrite::Update(state, action.code(), action.note())
                        }
                        (_, ReviewChange::Register(spec)) => {
                            DeskWrite::Create(open_review(&spec, on, &cal, &rules)?)
                        }
                    };
                    Ok::<_, fazhi_core::decisions::ReviewError>((next, desk, note))
                })
                .await?;
                let row = done.map_err(|e| anyhow::anyhow!("demo contract {id}: {e}"))?;
                anyhow::Ok(row)
            }
        };
        let review_step = |rid: i64, who: Actor, on: Date, a: ReviewAction| {
            let (db, roots) = (db.clone(), roots.clone());
            async move {
                let code = a.code();
                let note = a.note();
                let done = reviews::act(&db, &who, &roots, rid, None, code, on, |_, s| {
                    apply_review(&s, &a, on, who.id.unwrap_or(0)).map(|n| (n, note))
                })
                .await?;
                done.map_err(|e| anyhow::anyhow!("demo contract review {rid}: {e}"))?;
                anyhow::Ok(())
            }
        };
        if path != Path::NoReview {
            let row = step(
                day,
                ContractAction::SubmitReview {
                    materials: String::new(),
                },
            )
            .await?;
            let rid = row.legal_review_id.unwrap_or_default();
            let reviewed = cal
                .working_day_on_or_after(day + Duration::days(3))
                .min(today);
            let (opinion, reasons) = match path {
                Path::Amend => (
                    LegalOpinion::Amend,
                    "第九条违约责任约定不对等，建议增加工期延误违约金条款。",
                ),
                Path::Unlawful => (
                    LegalOpinion::Unlawful,
                    "项目涉及集体土地使用，未经村民会议讨论决定，主体与程序不合法。",
                ),
                _ => (LegalOpinion::Lawful, ""),
            };
            review_step(
                rid,
                reviewer.clone(),
                reviewed,
                ReviewAction::Review {
                    opinion,
                    reasons: reasons.into(),
                    adviser_id: None,
                },
            )
            .await?;
            match path {
                Path::Unlawful => {
                    step(
                        reviewed + Duration::days(1),
                        ContractAction::Drop {
                            reason: "按审查意见不予签订，先提交村民会议讨论".into(),
                        },
                    )
                    .await?;
                    continue;
                }
                Path::Amend => {
                    review_step(
                        rid,
                        leader.clone(),
                        reviewed + Duration::days(1),
                        ReviewAction::RecordAdoption {
                            adoption: Adoption::Adopted,
                            reason: String::new(),
                        },
                    )
                    .await?;
                }
                _ => {}
            }
        }
        if signing > today {
            continue;
        }
        step(signing, ContractAction::Sign { on: Some(signing) }).await?;
        for after in milestones {
            let due = signing + Duration::days(*after);
            step(
                signing,
                ContractAction::AddMilestone {
                    title: format!("第{}期履约验收", after / 90 + 1),
                    due_on: due,
                },
            )
            .await?;
        }
        // Milestones due are done a few days early, except the road works' second,
        // which is late and still open.
        for (i, after) in milestones.iter().enumerate() {
            let due = signing + Duration::days(*after);
            let late = title.contains("道路") && i == 1;
            if due - Duration::days(2) > today || late {
                continue;
            }
            step(
                due - Duration::days(2),
                ContractAction::CompleteMilestone {
                    index: i,
                    on: Some(due - Duration::days(2)),
                    note: "验收合格".into(),
                },
            )
            .await?;
        }
    }
    Ok(stored)
}
