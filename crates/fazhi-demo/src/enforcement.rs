//! A year of enforcement in 青石镇: the item list, the officers' certificates, and
//! cases in every state — on-the-spot fines, ordinary cases stopped at each step, a
//! hearing, a review returned and resubmitted, a collective discussion, late payment.
//! Every step goes through the same workflow as the API, on the day it happened.

use fazhi_core::calendar::Calendar;
use fazhi_core::enforcement::{
    CaseAction, CaseContext, CaseOutcome, CaseParty, CaseSpec, CaseState, EnforcementRules,
    EvidenceKind, Grade, ItemRef, ItemSpec, OfficerCert, OnSpot, PartyKind, Penalty, PenaltyKind,
    PowerSource, ReviewCheck, ReviewOpinion, ServiceMethod, apply_case, decide_on_spot, open_case,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::enforcement::cases::{self, NewCase};
use fazhi_db::enforcement::{items, officers};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration};

/// Cases `fazhi demo` adds to 青石镇.
pub const DEFAULT_CASES: usize = 100;

/// The township the demo's enforcement accounts work in.
const TOWN: &str = "500160101000";

/// (code, name, source, deciding document, violated, penalty basis, kinds, min, max 元, hearing, catalogue)
type ItemData = (
    &'static str,
    &'static str,
    PowerSource,
    &'static str,
    &'static str,
    &'static str,
    &'static [PenaltyKind],
    i64,
    i64,
    bool,
    bool,
);

/// A fictional list in the shape of a township's 赋权 list (wording written for the demo).
const ITEMS: [ItemData; 6] = [
    (
        "QS-CG-001",
        "对占用道路从事经营活动的处罚",
        PowerSource::Empowered,
        "示范省人民政府关于向乡镇赋予部分县级行政执法权的决定",
        "《城市市容和环境卫生管理条例》第十四条",
        "《城市市容和环境卫生管理条例》第三十六条",
        &[PenaltyKind::Warning, PenaltyKind::Fine],
        0,
        500,
        false,
        false,
    ),
    (
        "QS-CG-002",
        "对随意倾倒建筑垃圾的处罚",
        PowerSource::Empowered,
        "示范省人民政府关于向乡镇赋予部分县级行政执法权的决定",
        "《城市建筑垃圾管理规定》第十五条",
        "《城市建筑垃圾管理规定》第二十六条",
        &[PenaltyKind::Warning, PenaltyKind::Fine],
        5_000,
        50_000,
        true,
        true,
    ),
    (
        "QS-HB-001",
        "对露天焚烧秸秆、落叶等产生烟尘污染物质的处罚",
        PowerSource::Empowered,
        "示范省人民政府关于向乡镇赋予部分县级行政执法权的决定",
        "《中华人民共和国大气污染防治法》第七十七条",
        "《中华人民共和国大气污染防治法》第一百一十九条第一款",
        &[PenaltyKind::Fine],
        500,
        2_000,
        false,
        false,
    ),
    (
        "QS-GH-001",
        "对在乡村规划区内未依法取得乡村建设规划许可证进行建设的处罚",
        PowerSource::Empowered,
        "示范省人民政府关于向乡镇赋予部分县级行政执法权的决定",
        "《中华人民共和国城乡规划法》第四十一条",
        "《中华人民共和国城乡规划法》第六十五条",
        &[
            PenaltyKind::Warning,
            PenaltyKind::Fine,
            PenaltyKind::Confiscation,
        ],
        1_000,
        100_000,
        true,
        true,
    ),
    (
        "QS-SR-001",
        "对擅自设置大型户外广告的处罚",
        PowerSource::Entrusted,
        "区城市管理局行政执法委托书",
        "《城市市容和环境卫生管理条例》第十一条",
        "《城市市容和环境卫生管理条例》第三十六条",
        &[PenaltyKind::Warning, PenaltyKind::Fine],
        0,
        2_000,
        false,
        false,
    ),
    (
        "QS-FD-001",
        "对违反森林防火规定野外用火的处罚",
        PowerSource::Statutory,
        "",
        "《森林防火条例》第二十五条",
        "《森林防火条例》第五十条",
        &[PenaltyKind::Warning, PenaltyKind::Fine],
        200,
        3_000,
        false,
        false,
    ),
];

const PARTIES: [(&str, PartyKind); 10] = [
    ("张某某", PartyKind::Citizen),
    ("李某", PartyKind::Citizen),
    ("王某某", PartyKind::Citizen),
    ("刘某", PartyKind::Citizen),
    ("陈某某", PartyKind::Citizen),
    ("杨某", PartyKind::Citizen),
    ("示范建材有限公司", PartyKind::Organisation),
    ("青石镇某某餐馆", PartyKind::Organisation),
    ("某某建筑劳务有限公司", PartyKind::Organisation),
    ("某某广告传媒有限公司", PartyKind::Organisation),
];

struct World {
    db: Db,
    cal: Calendar,
    rules: EnforcementRules,
    certs: Vec<OfficerCert>,
    officer: Actor,
    reviewer: Actor,
    leader: Actor,
    roots: Vec<String>,
    today: Date,
    /// Steps the current case may still take: recent cases stop part-way, so the
    /// demo has cases waiting at every step.
    steps: std::cell::Cell<u32>,
}

impl World {
    /// Applies `a` on `day` through the workflow and the store; false when refused or
    /// in the future (the case then stays where it is, as real cases do).
    async fn act(&self, id: i64, who: &Actor, a: CaseAction, day: Date) -> anyhow::Result<bool> {
        if day > self.today || self.steps.get() == 0 {
            return Ok(false);
        }
        self.steps.set(self.steps.get() - 1);
        let ctx = CaseContext {
            today: day,
            calendar: &self.cal,
            rules: &self.rules,
            certs: &self.certs,
            actor: who.id.unwrap_or_default(),
        };
        let note = a.note();
        let row = cases::get(&self.db, &self.roots, id).await?;
        let done = cases::act(
            &self.db,
            who,
            row,
            None,
            a.code(),
            day,
            |_, s| apply_case(&s, &a, &ctx).map(|n| (n, note)),
            |s| s.publication_due(&self.rules, &self.cal),
        )
        .await?;
        if let Err(fazhi_core::enforcement::CaseError::Refused(m)) = &done {
            cases::log_refusal(&self.db, who, id, a.code(), m).await?;
        }
        Ok(done.is_ok())
    }
}

fn penalty(kinds: &[PenaltyKind], fine_yuan: i64) -> Penalty {
    Penalty {
        kinds: kinds.to_vec(),
        fine_fen: if kinds.contains(&PenaltyKind::Fine) {
            fine_yuan * 100
        } else {
            0
        },
        confiscation_fen: 0,
    }
}

/// Seeds 青石镇's enforcement for the year before `today`; returns the cases stored.
pub async fn seed(db: &Db, today: Date, count: usize) -> anyhow::Result<usize> {
    let town = divisions::by_code(db, TOWN).await?;
    let system = Actor::system("demo");
    let who = |name: &str| {
        let db = db.clone();
        let name = name.to_string();
        async move {
            let u = users::by_username(&db, &name).await?;
            anyhow::Ok((
                u.id,
                Actor {
                    id: Some(u.id),
                    name,
                    shown: None,
                },
            ))
        }
    };
    let (e1, officer) = who("enforcer").await?;
    let (e2, _) = who("enforcer2").await?;
    let (_, reviewer) = who("reviewer").await?;
    let (_, leader) = who("leader").await?;
    officers::put(
        db,
        &system,
        e1,
        "50016001000123",
        today + Duration::days(700),
    )
    .await?;
    officers::put(
        db,
        &system,
        e2,
        "50016001000124",
        today + Duration::days(400),
    )
    .await?;
    let mut refs: Vec<ItemRef> = Vec::new();
    for (code, name, source, doc, basis, pbasis, kinds, min, max, hearing, catalogue) in ITEMS {
        let spec = ItemSpec {
            code: code.into(),
            name: name.into(),
            source,
            deciding_document: doc.into(),
            legal_basis: basis.into(),
            penalty_basis: pbasis.into(),
            penalty_kinds: kinds.to_vec(),
            fine_min_fen: min * 100,
            fine_max_fen: max * 100,
            discretion: vec![],
            hearing_right: hearing,
            review_catalogue: catalogue,
        };
        let row = items::save(db, &system, town.id, &town.path, &spec).await?;
        refs.push(row.item()?);
    }
    let w = World {
        db: db.clone(),
        cal: Calendar::builtin(),
        rules: EnforcementRules::default(),
        certs: officers::of_users(db, &[e1, e2])
            .await?
            .iter()
            .map(|o| o.cert())
            .collect(),
        officer,
        reviewer,
        leader,
        roots: vec![town.path.clone()],
        today,
        steps: std::cell::Cell::new(u32::MAX),
    };
    let villages: Vec<_> = divisions::tree(db, std::slice::from_ref(&town.path))
        .await?
        .into_iter()
        .filter(|d| d.parent_id == Some(town.id))
        .collect();
    let mut rng = StdRng::seed_from_u64(20_261_206);
    let mut days: Vec<Date> = (0..count)
        .map(|_| today - Duration::days(rng.random_range(0..365)))
        .collect();
    days.sort();
    let mut stored = 0;
    for (i, day) in days.into_iter().enumerate() {
        let item = &refs[rng.random_range(0..refs.len())];
        let (name, kind) = PARTIES[rng.random_range(0..PARTIES.len())];
        let place = &villages[rng.random_range(0..villages.len())];
        let spec = CaseSpec {
            party: CaseParty {
                kind,
                name: name.into(),
                address: String::new(),
            },
            facts: format!("{}{}", place.name, fact_of(&item.spec.code)),
            act_on: day - Duration::days(rng.random_range(0..5)),
            discovered_on: Some(day),
            safety_harm: false,
            major: item.spec.review_catalogue && rng.random_bool(0.5),
            complex: item.spec.review_catalogue && rng.random_bool(0.4),
            officers: vec![e1, e2],
        };
        let simple = item.spec.fine_min_fen <= 20_000 && i % 3 == 0;
        let state: CaseState = if simple {
            let limit = match kind {
                PartyKind::Citizen => 200,
                PartyKind::Organisation => 1_000,
            };
            let fine = (item.spec.fine_min_fen / 100).max(50) + rng.random_range(0..=2) * 50;
            let fine = fine.min(limit).min(item.spec.fine_max_fen / 100);
            let on_spot = OnSpot {
                penalty: penalty(&[PenaltyKind::Fine], fine),
                reasons: format!(
                    "当事人{}，依据{}",
                    fact_of(&item.spec.code),
                    item.spec.penalty_basis
                ),
                collected_on_spot: fine <= 100 && rng.random_bool(0.5),
            };
            decide_on_spot(item, &spec, &on_spot, None, day, &w.cal, &w.rules, &w.certs)
        } else {
            open_case(item, &spec, None, day, &w.cal, &w.rules, &w.certs)
        }
        .map_err(|e| anyhow::anyhow!("demo case: {}", e.message()))?;
        let row = cases::create(
            db,
            &w.officer,
            &NewCase {
                division_id: place.id,
                division_path: place.path.clone(),
                township_path: town.path.clone(),
                number_prefix: "青石".into(),
                publish_due: state.publication_due(&w.rules, &w.cal),
                state,
                today: day,
            },
        )
        .await?;
        stored += 1;
        let recent = (today - day).whole_days() < 120;
        w.steps.set(if recent {
            rng.random_range(0..16)
        } else {
            u32::MAX
        });
        if simple {
            simple_course(&w, row.id, day, row.fine_fen, &mut rng).await?;
        } else {
            // Some recent cases wait for the reviewer or the head, as real ones do.
            let hold = match (recent, rng.random_range(0..3)) {
                (true, 0) => Hold::InReview,
                (true, 1) => Hold::BeforeDecision,
                _ => Hold::No,
            };
            ordinary_course(&w, row.id, item, kind, day, &mut rng, hold).await?;
        }
    }
    inspections(&w, &villages, e1, e2, &mut rng).await?;
    file_reviews(&w, &mut rng).await?;
    Ok(stored)
}

/// 公示 of a decision, usually within the 7 working days, sometimes late.
async fn publish(w: &World, id: i64, decided: Date, rng: &mut StdRng) -> anyhow::Result<()> {
    let days = if rng.random_bool(0.85) {
        rng.random_range(1..7)
    } else {
        rng.random_range(8..15)
    };
    let steps = w.steps.get();
    w.steps.set(u32::MAX);
    w.act(
        id,
        &w.officer,
        CaseAction::Publish,
        w.cal.add_working_days(decided, days),
    )
    .await?;
    w.steps.set(steps);
    Ok(())
}

/// Where a recent ordinary case stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hold {
    No,
    InReview,
    BeforeDecision,
}

/// 案卷评查 of about half the archived files, a few with problems, one vetoed.
async fn file_reviews(w: &World, rng: &mut StdRng) -> anyhow::Result<()> {
    use fazhi_core::enforcement::{CaseStatus, Deduction, Rubric};
    let rubric = Rubric::default();
    let f = cases::CaseFilter {
        status: Some(CaseStatus::Archived),
        ..cases::CaseFilter::default()
    };
    for (i, r) in cases::states(&w.db, &w.roots, &f).await?.iter().enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let (vetoes, deductions) = match rng.random_range(0..10) {
            0 if i > 20 => (vec!["v_procedure".to_string()], vec![]),
            0..4 => (
                vec![],
                vec![Deduction {
                    item: "file".into(),
                    points: rng.random_range(2..8),
                    note: "文书页码不全，目录与卷内文书顺序不一致".into(),
                }],
            ),
            4..6 => (
                vec![],
                vec![Deduction {
                    item: "evidence".into(),
                    points: rng.random_range(5..15),
                    note: "询问笔录未逐页签名".into(),
                }],
            ),
            _ => (vec![], vec![]),
        };
        let score = rubric
            .score(&vetoes, &deductions)
            .map_err(anyhow::Error::msg)?;
        let on = r.closed_on.unwrap_or(w.today) + Duration::days(rng.random_range(10..40));
        fazhi_db::enforcement::file_reviews::create(
            &w.db,
            &w.reviewer,
            r.id,
            &r.division_path,
            on.min(w.today),
            i64::from(score.score),
            score.grade,
            &serde_json::to_string(&score)?,
        )
        .await?;
    }
    Ok(())
}

/// Inspections over the year: most find nothing, a quarter end in 纠违.
async fn inspections(
    w: &World,
    villages: &[fazhi_db::admin::divisions::DivisionRow],
    e1: i64,
    e2: i64,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    use fazhi_core::enforcement::{InspectionKind, InspectionOutcome};
    use fazhi_db::enforcement::inspections::{self, NewInspection};
    const TARGETS: [&str; 6] = [
        "场镇主街沿街商户",
        "农贸市场周边",
        "在建农房工地",
        "林区入口及周边农田",
        "临街户外广告设施",
        "建筑垃圾临时堆放点",
    ];
    for _ in 0..150 {
        let place = &villages[rng.random_range(0..villages.len())];
        let outcome = match rng.random_range(0..100) {
            0..70 => InspectionOutcome::Compliant,
            70..95 => InspectionOutcome::Corrected,
            _ => InspectionOutcome::CaseOpened,
        };
        let findings = match outcome {
            InspectionOutcome::Compliant => "现场检查未发现违法行为",
            InspectionOutcome::Corrected => "发现占道堆放物品，责令当场改正，当事人已清理",
            InspectionOutcome::CaseOpened => "发现违法行为，已拍照取证并报请立案",
        };
        let kind = InspectionKind::ALL[rng.random_range(0..InspectionKind::ALL.len())];
        let n = NewInspection {
            division_id: place.id,
            division_path: place.path.clone(),
            on_date: w.today - Duration::days(rng.random_range(0..365)),
            kind,
            outcome,
            target: TARGETS[rng.random_range(0..TARGETS.len())].into(),
            findings: findings.into(),
            officers: vec![e1, e2],
            case_id: None,
            matter_id: None,
        };
        inspections::create(&w.db, &w.officer, &n).await?;
    }
    Ok(())
}

fn fact_of(code: &str) -> &'static str {
    match code {
        "QS-CG-001" => "场镇主街占道摆摊经营，经劝导后仍未撤离",
        "QS-CG-002" => "在公路边随意倾倒建筑垃圾约十余立方米",
        "QS-HB-001" => "在农田内露天焚烧秸秆，产生大量烟尘",
        "QS-GH-001" => "未取得乡村建设规划许可证擅自建设砖混结构房屋",
        "QS-SR-001" => "未经批准在临街建筑外墙设置大型户外广告牌",
        _ => "在林区野外用火烧荒",
    }
}

/// An on-the-spot decision: filed, paid (on time or late), closed, archived.
async fn simple_course(
    w: &World,
    id: i64,
    day: Date,
    fine_fen: i64,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let filed = day + Duration::days(rng.random_range(0..4));
    if !w.act(id, &w.officer, CaseAction::File, filed).await? {
        return Ok(());
    }
    publish(w, id, day, rng).await?;
    let mut last = filed;
    let row = cases::by_id(&w.db, id).await?;
    if row.paid_fen < fine_fen {
        let pay_day = filed + Duration::days(rng.random_range(1..25));
        let due = row.state()?.amount_due(pay_day, &w.rules);
        let pay = CaseAction::RecordPayment { amount_fen: due };
        if !w.act(id, &w.officer, pay, pay_day).await? {
            return Ok(());
        }
        last = pay_day;
    }
    let close = last + Duration::days(rng.random_range(5..20));
    if w.act(
        id,
        &w.officer,
        CaseAction::Close {
            note: String::new(),
        },
        close,
    )
    .await?
    {
        w.act(
            id,
            &w.leader,
            CaseAction::Archive,
            close + Duration::days(30),
        )
        .await?;
    }
    Ok(())
}

/// An ordinary case from 立案 as far as its age allows.
async fn ordinary_course(
    w: &World,
    id: i64,
    item: &ItemRef,
    kind: PartyKind,
    day: Date,
    rng: &mut StdRng,
    hold: Hold,
) -> anyhow::Result<()> {
    let cal = &w.cal;
    let officers = vec![
        w.officer.id.unwrap_or_default(),
        w.certs.iter().map(|c| c.user_id).max().unwrap_or_default(),
    ];
    let mut d = cal.add_working_days(day, rng.random_range(1..6));
    for (k, text) in [
        (
            EvidenceKind::Inspection,
            "现场检查，拍摄照片并制作现场检查笔录",
        ),
        (
            EvidenceKind::Inquiry,
            "询问当事人，制作询问笔录，当事人对违法事实无异议",
        ),
    ] {
        let a = CaseAction::RecordEvidence {
            kind: k,
            description: text.into(),
            place: String::new(),
            officers: officers.clone(),
        };
        if !w.act(id, &w.officer, a, d).await? {
            return Ok(());
        }
        d = cal.add_working_days(d, rng.random_range(1..4));
    }
    // A few cases end without a penalty (首违不罚, minor and corrected).
    if rng.random_bool(0.12) {
        let a = CaseAction::Decide {
            outcome: CaseOutcome::NoPenalty,
            penalty: None,
            grade: None,
            reasons: "初次违法且危害后果轻微并及时改正，依据行政处罚法第三十三条不予行政处罚，已对当事人进行教育".into(),
        };
        if w.act(id, &w.leader, a, d).await? {
            let close = cal.add_working_days(d, 3);
            if w.act(
                id,
                &w.officer,
                CaseAction::Close {
                    note: String::new(),
                },
                close,
            )
            .await?
            {
                w.act(
                    id,
                    &w.leader,
                    CaseAction::Archive,
                    close + Duration::days(20),
                )
                .await?;
            }
        }
        return Ok(());
    }
    let spec = &item.spec;
    let span = (spec.fine_max_fen - spec.fine_min_fen) / 100;
    let mut fine = spec.fine_min_fen / 100 + (span as f64 * rng.random_range(0.1..0.6)) as i64;
    fine = (fine / 100 * 100).max(spec.fine_min_fen / 100).max(100);
    if kind == PartyKind::Citizen && fine > 20_000 {
        fine = 20_000;
    }
    let kinds: Vec<PenaltyKind> = vec![PenaltyKind::Fine];
    let notify = CaseAction::Notify {
        penalty: penalty(&kinds, fine),
        grade: Grade::Ordinary,
        officers: officers.clone(),
    };
    if !w.act(id, &w.officer, notify, d).await? {
        return Ok(());
    }
    let state = cases::by_id(&w.db, id).await?.state()?;
    let notice = state.notice.clone().expect("notified");
    let mut held = false;
    if notice.hearing_right && rng.random_bool(0.4) {
        let ask = cal.add_working_days(d, 2);
        if !w
            .act(id, &w.officer, CaseAction::RequestHearing, ask)
            .await?
        {
            return Ok(());
        }
        let on = cal.add_working_days(ask, 8);
        let sched = CaseAction::ScheduleHearing { on };
        if !w
            .act(id, &w.officer, sched, cal.add_working_days(ask, 1))
            .await?
        {
            return Ok(());
        }
        let hold = CaseAction::HoldHearing {
            transcript: "当事人到场陈述申辩，主持人由非本案调查人员担任，听证笔录经当事人核对签字"
                .into(),
        };
        if !w.act(id, &w.officer, hold, on).await? {
            return Ok(());
        }
        held = true;
        d = on;
    } else if notice.hearing_right {
        w.act(
            id,
            &w.officer,
            CaseAction::WaiveHearing,
            cal.add_working_days(d, 1),
        )
        .await?;
    }
    let defence = if rng.random_bool(0.5) {
        CaseAction::RecordDefence {
            summary: "当事人陈述已自行整改，请求从轻处理；经复核，事实清楚，维持拟处罚意见".into(),
            waived: false,
        }
    } else {
        CaseAction::RecordDefence {
            summary: String::new(),
            waived: true,
        }
    };
    let dd = if held { d } else { cal.add_working_days(d, 2) };
    if !w.act(id, &w.officer, defence, dd).await? {
        return Ok(());
    }
    d = cal.add_working_days(dd.max(notice.hearing_request_due), 1);
    let st = cases::by_id(&w.db, id).await?.state()?;
    if st.review_required() && rng.random_bool(0.3) {
        // A shortcut tried now and then: deciding before the legal review. Refused
        // and kept in the audit log.
        let early = CaseAction::Decide {
            outcome: CaseOutcome::Penalty,
            penalty: Some(penalty(&kinds, fine)),
            grade: Some(Grade::Ordinary),
            reasons: "拟直接作出决定".into(),
        };
        w.act(id, &w.leader, early, d).await?;
    }
    if st.review_required() {
        if !w.act(id, &w.officer, CaseAction::SubmitReview, d).await? || hold == Hold::InReview {
            return Ok(());
        }
        d = cal.add_working_days(d, rng.random_range(1..4));
        if rng.random_bool(0.3) {
            let back = CaseAction::Review {
                opinion: ReviewOpinion::Returned,
                checks: vec![],
                note: "询问笔录缺少当事人逐页签名，请补正后重新报送".into(),
            };
            if !w.act(id, &w.reviewer, back, d).await? {
                return Ok(());
            }
            d = cal.add_working_days(d, 2);
            if !w.act(id, &w.officer, CaseAction::SubmitReview, d).await? {
                return Ok(());
            }
            d = cal.add_working_days(d, 2);
        }
        let ok = CaseAction::Review {
            opinion: ReviewOpinion::Approved,
            checks: ReviewCheck::ALL.to_vec(),
            note: "主体合法，事实清楚，证据确凿，程序合法，适用依据正确，裁量适当".into(),
        };
        if !w.act(id, &w.reviewer, ok, d).await? {
            return Ok(());
        }
        d = cal.add_working_days(d, 1);
    }
    if st.complex {
        let discuss = CaseAction::Discuss {
            conclusion: format!("经镇政府负责人集体讨论，同意罚款{fine}元"),
            dissent: String::new(),
        };
        if !w.act(id, &w.leader, discuss, d).await? {
            return Ok(());
        }
        d = cal.add_working_days(d, 1);
    }
    if hold == Hold::BeforeDecision {
        return Ok(());
    }
    let decide = CaseAction::Decide {
        outcome: CaseOutcome::Penalty,
        penalty: Some(penalty(&kinds, fine)),
        grade: Some(Grade::Ordinary),
        reasons: format!("违反{}，依据{}", spec.legal_basis, spec.penalty_basis),
    };
    if !w.act(id, &w.leader, decide, d).await? {
        return Ok(());
    }
    publish(w, id, d, rng).await?;
    d = cal.add_working_days(d, rng.random_range(1..5));
    let serve = CaseAction::Serve {
        method: ServiceMethod::Direct,
        electronic_consent: false,
        officers,
    };
    if !w.act(id, &w.officer, serve, d).await? {
        return Ok(());
    }
    // Most pay within 15 days; some late, with the surcharge.
    let pay_day = d + Duration::days(if rng.random_bool(0.8) {
        rng.random_range(2..15)
    } else {
        rng.random_range(17..30)
    });
    if pay_day > w.today {
        return Ok(());
    }
    let due = cases::by_id(&w.db, id)
        .await?
        .state()?
        .amount_due(pay_day, &w.rules);
    if !w
        .act(
            id,
            &w.officer,
            CaseAction::RecordPayment { amount_fen: due },
            pay_day,
        )
        .await?
    {
        return Ok(());
    }
    let close = cal.add_working_days(pay_day, 3);
    if w.act(
        id,
        &w.officer,
        CaseAction::Close {
            note: "罚款已缴清".into(),
        },
        close,
    )
    .await?
    {
        w.act(
            id,
            &w.leader,
            CaseAction::Archive,
            close + Duration::days(30),
        )
        .await?;
    }
    Ok(())
}
