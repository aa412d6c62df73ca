//! The demo catalogue of major decisions (重大行政决策) in 青石镇: agreed by the Party
//! committee and published, with decisions at different steps — one walked to the end,
//! one open for public comment (with comments), one at the legality review, one planned.
//! Every step goes through `fazhi_core::decisions::apply_decision` on its own day.

use fazhi_core::calendar::Calendar;
use fazhi_core::decisions::{
    DecisionAction, DecisionContext, DecisionPlan, DecisionRules, DecisionState, LegalOpinion,
    ReviewAction, ReviewKind, ReviewRules, ReviewSpec, apply_decision, apply_review, open_review,
    sign_for_decision,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::decisions::{major, reviews};
use time::{Date, Duration};

const TOWN: &str = "500160101000";

struct World {
    db: Db,
    roots: Vec<String>,
    township_id: i64,
    leader: Actor,
    reviewer: Actor,
}

impl World {
    /// One step of decision `id` on `on`.
    async fn step(&self, id: i64, on: Date, a: DecisionAction) -> anyhow::Result<()> {
        let rules = DecisionRules::default();
        let row = major::by_id(&self.db, id).await?;
        let s = row.state()?;
        let (settled, passed) = match s.legal_review_id {
            Some(r) => {
                let r = reviews::by_id(&self.db, r).await?.state()?;
                (r.opinion.is_some(), r.passed())
            }
            None => (false, false),
        };
        let mut new_review_id = None;
        if matches!(a, DecisionAction::SubmitReview { .. }) {
            let spec = ReviewSpec {
                kind: ReviewKind::MajorDecision,
                title: s.plan.title.clone(),
                drafting_unit: s.plan.lead_unit.clone(),
                materials: s
                    .consultation
                    .as_ref()
                    .map(|c| format!("{}\n{}", c.draft, c.explanation))
                    .unwrap_or_else(|| s.plan.title.clone()),
                enforcement_case_id: None,
                major_decision_id: Some(id),
                due_on: None,
                urgent_reason: String::new(),
                signed_on: None,
            };
            let rs = open_review(&spec, on, &Calendar::builtin(), &ReviewRules::default())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let item = reviews::create(
                &self.db,
                &self.leader,
                self.township_id,
                &row.division_path,
                &rs,
                on,
            )
            .await?;
            new_review_id = Some(item.id);
        }
        let ctx = DecisionContext {
            today: on,
            rules: &rules,
            review_passed: passed,
            review_settled: settled,
            new_review_id,
        };
        let code = a.code();
        let done = major::act(
            &self.db,
            &self.leader,
            &self.roots,
            id,
            None,
            code,
            on,
            |s| apply_decision(&s, &a, &ctx).map(|n| (n, String::new())),
            None,
        )
        .await?;
        done.map_err(|e| anyhow::anyhow!("demo decision {id} {code}: {e}"))?;
        if code == fazhi_core::decisions::DecisionActionCode::Discuss
            && let Some(rid) = s.legal_review_id
        {
            reviews::act(
                &self.db,
                &self.leader,
                &self.roots,
                rid,
                None,
                fazhi_core::decisions::ReviewActionCode::Sign,
                on,
                |_, s| sign_for_decision(&s, on).map(|n| (n, "经集体讨论决定".to_string())),
            )
            .await?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        Ok(())
    }

    /// The reviewer's opinion on the desk item of decision `id`.
    async fn review(&self, id: i64, on: Date) -> anyhow::Result<()> {
        let s = major::by_id(&self.db, id).await?.state()?;
        let rid = s.legal_review_id.expect("submitted");
        let a = ReviewAction::Review {
            opinion: LegalOpinion::Lawful,
            reasons: "决策主体、程序和内容合法".into(),
            adviser_id: None,
        };
        let note = a.note();
        let who = self.reviewer.id.unwrap_or_default();
        let done = reviews::act(
            &self.db,
            &self.reviewer,
            &self.roots,
            rid,
            None,
            a.code(),
            on,
            |_, s| apply_review(&s, &a, on, who).map(|n| (n, note)),
        )
        .await?;
        done.map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    }
}

fn plan(title: &str, unit: &str, experts: bool, risk: bool, steps: &str) -> DecisionPlan {
    DecisionPlan {
        title: title.into(),
        lead_unit: unit.into(),
        needs_experts: experts,
        needs_risk: risk,
        secret: false,
        planned_steps: steps.into(),
    }
}

fn draft(text: &str) -> DecisionAction {
    DecisionAction::PublishDraft {
        draft: format!("{text}（征求意见稿）\n第一条 为……，制定本方案。"),
        explanation: format!("关于《{text}》的起草说明：依据、必要性和主要内容。"),
        days: None,
        shorter_reason: String::new(),
    }
}

fn comment(author: &str, content: &str) -> DecisionAction {
    DecisionAction::RecordComment {
        author: author.into(),
        content: content.into(),
    }
}

/// Seeds the catalogue of the year 200 days before `today`; returns the decisions.
pub async fn seed(db: &Db, today: Date) -> anyhow::Result<usize> {
    let town = divisions::by_code(db, TOWN).await?;
    let l = users::by_username(db, "leader").await?;
    let r = users::by_username(db, "reviewer").await?;
    let w = World {
        db: db.clone(),
        roots: vec![town.path.clone()],
        township_id: town.id,
        leader: Actor {
            id: Some(l.id),
            name: "leader".into(),
            shown: None,
        },
        reviewer: Actor {
            id: Some(r.id),
            name: "reviewer".into(),
            shown: None,
        },
    };
    let b = today - Duration::days(200);
    let day = |n: i64| b + Duration::days(n);
    let cat = major::catalogue_for(db, &w.leader, town.id, &town.path, b.year()).await?;
    let plans = [
        plan(
            "青石镇集镇污水管网改造方案",
            "建设环保办",
            true,
            true,
            "一季度征求意见，二季度决定",
        ),
        plan(
            "青石镇农村人居环境整治三年行动方案",
            "农业农村办",
            false,
            false,
            "下半年征求意见",
        ),
        plan(
            "青石镇集镇停车收费方案",
            "规划建设办",
            false,
            true,
            "下半年提交审查",
        ),
        plan("村级公益林管护办法", "农业农村办", true, false, "年内启动"),
    ];
    let mut ids = Vec::new();
    for p in &plans {
        let cat = major::catalogue(db, &w.roots, cat.id).await?;
        let cs = cat.state()?;
        let s = DecisionState::plan(b.year(), p).map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push(
            major::add_decision(db, &w.leader, &cat, &cs, &s, b)
                .await?
                .id,
        );
    }
    let cat = major::catalogue(db, &w.roots, cat.id).await?;
    let mut cs = cat.state()?;
    cs.agree(day(1), today)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    cs.publish(day(3)).map_err(|e| anyhow::anyhow!("{e}"))?;
    major::save_catalogue(db, &w.leader, &cat, &cs, "publish").await?;

    // 1: the whole walk.
    let d = ids[0];
    w.step(d, day(5), DecisionAction::Start).await?;
    w.step(d, day(10), draft("青石镇集镇污水管网改造方案"))
        .await?;
    w.step(
        d,
        day(15),
        comment("集镇居民王某", "施工期间请保障沿街商户出入"),
    )
    .await?;
    w.step(d, day(20), comment("匿名", "建议同步改造雨水管网"))
        .await?;
    for (i, a) in [
        "采纳：分段施工，每段不超过15天",
        "部分采纳：雨水管网纳入二期",
    ]
    .iter()
    .enumerate()
    {
        let ans = DecisionAction::AnswerComment {
            index: i,
            answer: (*a).into(),
        };
        w.step(d, day(41), ans).await?;
    }
    w.step(d, day(41), DecisionAction::CloseConsultation)
        .await?;
    let experts = DecisionAction::RecordExperts {
        summary: "三名给排水专家论证：管径与坡度设计可行".into(),
        dissent: "一名专家建议增加检查井".into(),
    };
    w.step(d, day(45), experts).await?;
    let risk = DecisionAction::RecordRisk {
        summary: "社会稳定风险评估：低风险".into(),
    };
    w.step(d, day(47), risk).await?;
    let submit = DecisionAction::SubmitReview {
        materials: String::new(),
    };
    w.step(d, day(50), submit.clone()).await?;
    w.review(d, day(60)).await?;
    // The township's adviser attended, picked from the roster (when it is seeded).
    let advisers = crate::advisers::township_adviser(db, &town.path, day(62)).await?;
    let advisers = (!advisers.is_empty()).then_some(advisers);
    let discuss = DecisionAction::Discuss {
        on: day(62),
        attendees: "镇长、副镇长、党政办主任等9人，法律顾问列席".into(),
        majority_view: "同意实施".into(),
        dissent: "一人建议延后至汛期后施工".into(),
        head_decision: "同意实施，汛期后开工".into(),
        head_against_majority: false,
        head_reasons: String::new(),
        adviser_ids: advisers,
    };
    w.step(d, day(62), discuss).await?;
    w.step(d, day(65), DecisionAction::ReportToParty).await?;
    let publish = DecisionAction::Publish {
        text: "青石镇集镇污水管网改造方案（全文）".into(),
    };
    w.step(d, day(70), publish).await?;
    w.step(d, day(80), DecisionAction::Archive).await?;

    // 2: open for comments now, with comments.
    let d = ids[1];
    w.step(d, today - Duration::days(10), DecisionAction::Start)
        .await?;
    w.step(
        d,
        today - Duration::days(5),
        draft("青石镇农村人居环境整治三年行动方案"),
    )
    .await?;
    w.step(
        d,
        today - Duration::days(3),
        comment("石桥村村民", "建议增加公厕"),
    )
    .await?;
    w.step(
        d,
        today - Duration::days(1),
        comment("匿名", "垃圾清运频次偏低"),
    )
    .await?;

    // 3: at the legality review.
    let d = ids[2];
    w.step(d, day(20), DecisionAction::Start).await?;
    w.step(d, day(25), draft("青石镇集镇停车收费方案")).await?;
    w.step(d, day(56), DecisionAction::CloseConsultation)
        .await?;
    let risk = DecisionAction::RecordRisk {
        summary: "风险评估：中风险，已调整收费时段".into(),
    };
    w.step(d, today - Duration::days(4), risk).await?;
    w.step(d, today - Duration::days(3), submit).await?;
    Ok(ids.len())
}
