//! A year of the 复议 and 诉讼 register in 青石镇: cases upheld, dismissed, revoked and
//! lost, a withdrawal, a 复议意见书 with its correction, hearings the township head
//! attended and hearings staff attended with the head's excuse — and cases still open,
//! one with a hearing ahead. Every step goes through the same rules as the API, on the
//! day it happened.

use fazhi_core::calendar::Calendar;
use fazhi_core::decisions::{
    AttendeeRole, Instance, LitigationAction, LitigationKind, LitigationOutcome, LitigationRules,
    LitigationSpec, apply_litigation, open_litigation,
};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::decisions::litigation;
use fazhi_db::enforcement::cases::{self, CaseFilter};
use time::{Date, Duration};

/// The township the demo's accounts work in.
const TOWN: &str = "500160101000";

/// Who attended a demo hearing.
#[derive(Clone, Copy)]
enum Att {
    Head,
    Staff,
}

/// One demo case: (kind, instance, claimant, challenged act, days before today it was
/// received, outcome, hearings (days after receipt, who), opinion letter).
type Demo = (
    LitigationKind,
    Option<Instance>,
    &'static str,
    &'static str,
    i64,
    Option<LitigationOutcome>,
    &'static [(i64, Att)],
    bool,
);

const CASES: [Demo; 10] = [
    (
        LitigationKind::Reconsideration,
        None,
        "青石镇某建材经营部",
        "对倾倒建筑垃圾作出的罚款决定",
        330,
        Some(LitigationOutcome::Upheld),
        &[],
        false,
    ),
    (
        LitigationKind::Reconsideration,
        None,
        "刘某",
        "政府信息公开申请答复（不予公开）",
        285,
        Some(LitigationOutcome::Revoked),
        &[],
        true,
    ),
    (
        LitigationKind::Reconsideration,
        None,
        "某餐馆",
        "对占道经营作出的警告决定",
        210,
        Some(LitigationOutcome::Dismissed),
        &[],
        false,
    ),
    (
        LitigationKind::Reconsideration,
        None,
        "陈某",
        "限期拆除违法建筑决定",
        125,
        Some(LitigationOutcome::Withdrawn),
        &[],
        false,
    ),
    (
        LitigationKind::Lawsuit,
        Some(Instance::First),
        "某养殖场",
        "责令停止排放污水并处罚款的决定",
        300,
        Some(LitigationOutcome::Dismissed),
        &[(55, Att::Head)],
        false,
    ),
    (
        LitigationKind::Lawsuit,
        Some(Instance::First),
        "王某",
        "强制拆除围墙的行为",
        255,
        Some(LitigationOutcome::DeclaredUnlawful),
        &[(48, Att::Staff), (75, Att::Head)],
        false,
    ),
    (
        LitigationKind::Lawsuit,
        Some(Instance::Second),
        "某建材公司",
        "对倾倒建筑垃圾作出的罚款决定（上诉）",
        160,
        Some(LitigationOutcome::Upheld),
        &[(40, Att::Head)],
        false,
    ),
    (
        LitigationKind::Lawsuit,
        Some(Instance::First),
        "李某",
        "土地权属争议处理决定",
        62,
        None,
        &[(76, Att::Head)],
        false,
    ),
    (
        LitigationKind::Reconsideration,
        None,
        "某物流公司",
        "对超限运输作出的罚款决定",
        12,
        None,
        &[],
        false,
    ),
    (
        LitigationKind::Reconsideration,
        None,
        "赵某",
        "最低生活保障停发决定",
        2,
        None,
        &[],
        false,
    ),
];

/// Seeds 青石镇's register for the year before `today`; returns the cases stored.
pub async fn seed(db: &Db, today: Date) -> anyhow::Result<usize> {
    let town = divisions::by_code(db, TOWN).await?;
    let l = users::by_username(db, "leader").await?;
    let leader = Actor {
        id: Some(l.id),
        name: "leader".into(),
        shown: None,
    };
    let cal = Calendar::builtin();
    let rules = LitigationRules::default();
    let roots = vec![town.path.clone()];
    let case_ids: Vec<i64> = cases::list(db, &roots, &CaseFilter::default(), 0, 10)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let mut stored = 0;
    for (i, (kind, instance, claimant, act, ago, outcome, hearings, letter)) in
        CASES.into_iter().enumerate()
    {
        let received = cal.working_day_on_or_after(today - Duration::days(ago));
        let received = received.min(today);
        let spec = LitigationSpec {
            kind,
            instance,
            simple: false,
            case_number: match kind {
                LitigationKind::Reconsideration => {
                    format!("清溪府复〔{}〕{}号", received.year(), i + 1)
                }
                LitigationKind::Lawsuit => {
                    format!("（{}）渝0160行初{}号", received.year(), 100 + i)
                }
            },
            claimant: claimant.into(),
            body: match kind {
                LitigationKind::Reconsideration => "清溪区人民政府".into(),
                LitigationKind::Lawsuit => "清溪区人民法院".into(),
            },
            challenged_act: act.into(),
            enforcement_case_id: (act.contains("罚款") && !case_ids.is_empty())
                .then(|| case_ids[i % case_ids.len()]),
            major_decision_id: None,
            received_on: received,
            filed_on: None,
        };
        let s = match open_litigation(&spec, received, &cal, &rules) {
            Ok(s) => s,
            Err(e) => anyhow::bail!("demo litigation {act}: {e}"),
        };
        let row = litigation::create(db, &leader, town.id, &town.path, &s, received).await?;
        stored += 1;
        let id = row.id;
        let step = |on: Date, a: LitigationAction| {
            let (db, roots, who, cal) = (db.clone(), roots.clone(), leader.clone(), cal.clone());
            async move {
                let code = a.code();
                let note = a.note();
                let done = litigation::act(&db, &who, &roots, id, None, code, on, |s| {
                    apply_litigation(&s, &a, on, &cal, &rules).map(|n| (n, note))
                })
                .await?;
                done.map_err(|e| anyhow::anyhow!("demo litigation {id}: {e}"))?;
                anyhow::Ok(())
            }
        };
        if ago <= 3 {
            continue; // Just received: the answer is being written.
        }
        let answered = cal
            .working_day_on_or_after(received + Duration::days(6))
            .min(today);
        step(
            answered,
            LitigationAction::Answer {
                on: Some(answered),
                evidence_submitted: true,
                note: "经法律顾问审核后提交".into(),
            },
        )
        .await?;
        for (n, (after, who)) in hearings.iter().enumerate() {
            let on = cal.working_day_on_or_after(received + Duration::days(*after));
            step(
                answered,
                LitigationAction::ScheduleHearing {
                    on,
                    summoned: n == 0,
                },
            )
            .await?;
            if on > today {
                continue; // Ahead: the attendance is recorded after it.
            }
            // The township's adviser (when the roster is seeded) went with the township.
            let advisers = crate::advisers::township_adviser(db, &town.path, on).await?;
            let advisers = (!advisers.is_empty()).then_some(advisers);
            let a = match who {
                Att::Head => LitigationAction::RecordAttendance {
                    index: n,
                    attendee: AttendeeRole::PrincipalHead,
                    attendee_name: l.display_name.clone(),
                    head_user_id: Some(l.id),
                    excuse: String::new(),
                    proof: String::new(),
                    spoke_on_resolution: true,
                    adviser_ids: advisers.clone(),
                },
                Att::Staff => LitigationAction::RecordAttendance {
                    index: n,
                    attendee: AttendeeRole::Staff,
                    attendee_name: "司法所 周敏".into(),
                    head_user_id: None,
                    excuse: "同日参加区防汛抗旱紧急会议".into(),
                    proof: "区防汛办会议通知及镇政府盖章说明".into(),
                    spoke_on_resolution: false,
                    adviser_ids: advisers,
                },
            };
            step(on, a).await?;
        }
        let Some(outcome) = outcome else { continue };
        let last = hearings.iter().map(|(d, _)| *d).max().unwrap_or(30);
        let concluded = cal
            .working_day_on_or_after(received + Duration::days(last + 20))
            .min(today);
        step(
            concluded,
            LitigationAction::Conclude {
                outcome,
                on: Some(concluded),
                note: String::new(),
            },
        )
        .await?;
        if letter {
            let got = (concluded + Duration::days(3)).min(today);
            step(
                got,
                LitigationAction::RecordOpinionLetter {
                    on: Some(got),
                    content: "依法规范政府信息公开答复的说理和救济途径告知".into(),
                },
            )
            .await?;
            let fixed = (got + Duration::days(35)).min(today);
            step(
                fixed,
                LitigationAction::RecordCorrection {
                    on: Some(fixed),
                    summary: "重新作出答复并修订政府信息公开答复文书模板，组织一次专题学习".into(),
                },
            )
            .await?;
        }
    }
    Ok(stored)
}
