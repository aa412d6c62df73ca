//! The enforcement workflow: thresholds, the gates before a decision, working days
//! across holidays and 调休, the 90-day clock with pauses, and the late surcharge.

use fazhi_core::calendar::Calendar;
use fazhi_core::enforcement::money::YUAN;
use fazhi_core::enforcement::*;
use time::Date;
use time::macros::date;

fn item(review_catalogue: bool) -> ItemRef {
    ItemRef {
        id: 1,
        version: 1,
        spec: ItemSpec {
            code: "T-001".into(),
            name: "对擅自占用道路堆放物料的处罚".into(),
            source: PowerSource::Empowered,
            deciding_document: "省政府赋权决定".into(),
            legal_basis: "《城市道路管理条例》第二十七条".into(),
            penalty_basis: "《城市道路管理条例》第四十二条".into(),
            penalty_kinds: vec![PenaltyKind::Warning, PenaltyKind::Fine],
            fine_min_fen: 0,
            fine_max_fen: 20_000 * YUAN,
            discretion: vec![],
            hearing_right: false,
            review_catalogue,
        },
    }
}

fn certs(valid_until: Date) -> Vec<OfficerCert> {
    [(1, "甲"), (2, "乙"), (3, "丙")]
        .into_iter()
        .map(|(id, n)| OfficerCert {
            user_id: id,
            name: n.into(),
            number: format!("Z{id:06}"),
            valid_until,
        })
        .collect()
}

fn spec(kind: PartyKind) -> CaseSpec {
    CaseSpec {
        party: CaseParty {
            kind,
            name: "张某".into(),
            address: String::new(),
        },
        facts: "在青石镇主街占道堆放建筑材料".into(),
        act_on: date!(2026 - 05 - 20),
        discovered_on: None,
        safety_harm: false,
        major: false,
        complex: false,
        officers: vec![1, 2],
    }
}

fn fine(yuan: i64) -> Penalty {
    Penalty {
        kinds: vec![PenaltyKind::Fine],
        fine_fen: yuan * 100,
        confiscation_fen: 0,
    }
}

struct Run {
    cal: Calendar,
    rules: EnforcementRules,
    certs: Vec<OfficerCert>,
}

impl Run {
    fn new() -> Run {
        Run {
            cal: Calendar::builtin(),
            rules: EnforcementRules::default(),
            certs: certs(date!(2028 - 12 - 31)),
        }
    }
    fn act(&self, s: &CaseState, a: CaseAction, today: Date) -> Result<CaseState, CaseError> {
        apply_case(
            s,
            &a,
            &CaseContext {
                today,
                calendar: &self.cal,
                rules: &self.rules,
                certs: &self.certs,
                actor: 9,
            },
        )
    }
    fn open(&self, item: &ItemRef, kind: PartyKind, today: Date) -> CaseState {
        open_case(
            item,
            &spec(kind),
            None,
            today,
            &self.cal,
            &self.rules,
            &self.certs,
        )
        .unwrap()
    }
}

fn evidence() -> CaseAction {
    CaseAction::RecordEvidence {
        kind: EvidenceKind::Inspection,
        description: "现场检查，拍照三张".into(),
        place: "主街".into(),
        officers: vec![1, 2],
    }
}

#[test]
fn simple_procedure_refuses_fines_above_the_article_51_limits() {
    let r = Run::new();
    let on_spot = |yuan, collected| OnSpot {
        penalty: fine(yuan),
        reasons: "占道堆放".into(),
        collected_on_spot: collected,
    };
    let today = date!(2026 - 06 - 01);
    let go = |kind, o: OnSpot| {
        decide_on_spot(
            &item(false),
            &spec(kind),
            &o,
            None,
            today,
            &r.cal,
            &r.rules,
            &r.certs,
        )
    };
    assert!(go(PartyKind::Citizen, on_spot(200, false)).is_ok());
    let e = go(PartyKind::Citizen, on_spot(201, false)).unwrap_err();
    assert!(matches!(e, CaseError::Refused(_)), "{e:?}");
    assert!(e.message().contains("200元"), "{}", e.message());
    assert!(go(PartyKind::Organisation, on_spot(3000, false)).is_ok());
    assert!(go(PartyKind::Organisation, on_spot(3001, false)).is_err());
    // On-the-spot collection only up to 100 元 (Art 68).
    let s = go(PartyKind::Citizen, on_spot(100, true)).unwrap();
    assert_eq!(s.status, CaseStatus::Executed);
    let e = go(PartyKind::Citizen, on_spot(150, true)).unwrap_err();
    assert!(e.message().contains("第68条"), "{}", e.message());
    // Only a warning or a fine.
    let o = OnSpot {
        penalty: Penalty {
            kinds: vec![PenaltyKind::StopBusiness],
            ..Penalty::default()
        },
        reasons: "x".into(),
        collected_on_spot: false,
    };
    assert!(go(PartyKind::Citizen, o).is_err());
}

#[test]
fn every_act_needs_two_officers_with_valid_certificates() {
    let mut r = Run::new();
    let today = date!(2026 - 06 - 01);
    let mut one = spec(PartyKind::Citizen);
    one.officers = vec![1, 1];
    let e = open_case(&item(false), &one, None, today, &r.cal, &r.rules, &r.certs).unwrap_err();
    assert!(e.message().contains("两人"), "{}", e.message());
    let mut unknown = spec(PartyKind::Citizen);
    unknown.officers = vec![1, 7];
    assert!(
        open_case(
            &item(false),
            &unknown,
            None,
            today,
            &r.cal,
            &r.rules,
            &r.certs
        )
        .is_err()
    );
    // An expired certificate.
    r.certs[1].valid_until = date!(2026 - 05 - 31);
    let e = open_case(
        &item(false),
        &spec(PartyKind::Citizen),
        None,
        today,
        &r.cal,
        &r.rules,
        &r.certs,
    )
    .unwrap_err();
    assert!(e.message().contains("过期"), "{}", e.message());
}

#[test]
fn no_decision_without_notice_defence_hearing_and_review() {
    let r = Run::new();
    let opened = date!(2026 - 09 - 01);
    let s = r.open(&item(true), PartyKind::Citizen, opened);
    let decide = |p: Penalty| CaseAction::Decide {
        outcome: CaseOutcome::Penalty,
        penalty: Some(p),
        grade: Some(Grade::Ordinary),
        reasons: "违反第二十七条".into(),
    };
    // No notice yet.
    let e = r.act(&s, decide(fine(1000)), opened).unwrap_err();
    assert!(e.message().contains("第44条"), "{}", e.message());
    // No notice without evidence.
    let notify = |yuan| CaseAction::Notify {
        penalty: fine(yuan),
        grade: Grade::Ordinary,
        officers: vec![1, 2],
    };
    assert!(r.act(&s, notify(1000), opened).is_err());
    let s = r.act(&s, evidence(), opened).unwrap();
    // Notice on 30 September 2026, the day before the 国庆 holiday.
    let notified = date!(2026 - 09 - 30);
    let s = r.act(&s, notify(15_000), notified).unwrap();
    let n = s.notice.clone().unwrap();
    assert!(n.hearing_right, "15,000 元 on a citizen is a large fine");
    // 1–7 October rest, 10 October (Saturday) is a make-up workday.
    assert_eq!(n.defence_due, date!(2026 - 10 - 10));
    assert_eq!(n.hearing_request_due, date!(2026 - 10 - 13));
    // The defence period still runs.
    let e = r
        .act(&s, decide(fine(15_000)), date!(2026 - 10 - 09))
        .unwrap_err();
    assert!(e.message().contains("陈述申辩"), "{}", e.message());
    let s = r
        .act(
            &s,
            CaseAction::RecordDefence {
                summary: "当事人称已清理".into(),
                waived: false,
            },
            date!(2026 - 10 - 09),
        )
        .unwrap();
    // The hearing period still runs.
    let e = r
        .act(&s, decide(fine(15_000)), date!(2026 - 10 - 12))
        .unwrap_err();
    assert!(e.message().contains("听证"), "{}", e.message());
    // Too late to ask for a hearing on 14 October.
    assert!(
        r.act(&s, CaseAction::RequestHearing, date!(2026 - 10 - 14))
            .is_err()
    );
    let s = r
        .act(&s, CaseAction::RequestHearing, date!(2026 - 10 - 13))
        .unwrap();
    assert_eq!(s.status, CaseStatus::Hearing);
    assert!(s.clock.as_ref().unwrap().is_paused());
    // The hearing notice must be 7 working days ahead.
    let e = r
        .act(
            &s,
            CaseAction::ScheduleHearing {
                on: date!(2026 - 10 - 20),
            },
            date!(2026 - 10 - 14),
        )
        .unwrap_err();
    assert!(e.message().contains("2026-10-23"), "{}", e.message());
    let s = r
        .act(
            &s,
            CaseAction::ScheduleHearing {
                on: date!(2026 - 10 - 23),
            },
            date!(2026 - 10 - 14),
        )
        .unwrap();
    assert!(
        r.act(
            &s,
            CaseAction::HoldHearing {
                transcript: "听证".into()
            },
            date!(2026 - 10 - 22)
        )
        .is_err()
    );
    let s = r
        .act(
            &s,
            CaseAction::HoldHearing {
                transcript: "当事人到场陈述".into(),
            },
            date!(2026 - 10 - 23),
        )
        .unwrap();
    assert_eq!(s.status, CaseStatus::Notified);
    // 13 → 23 October paused: ten days added to the 90.
    let clock = s.clock.clone().unwrap();
    assert_eq!(clock.paused_days, 10);
    // Review is required (catalogue, and a hearing was held).
    let e = r
        .act(&s, decide(fine(15_000)), date!(2026 - 10 - 26))
        .unwrap_err();
    assert!(e.message().contains("法制审核"), "{}", e.message());
    let s = r
        .act(&s, CaseAction::SubmitReview, date!(2026 - 10 - 26))
        .unwrap();
    let returned = r
        .act(
            &s,
            CaseAction::Review {
                opinion: ReviewOpinion::Returned,
                checks: vec![],
                note: "证据不足，补充询问笔录".into(),
            },
            date!(2026 - 10 - 27),
        )
        .unwrap();
    assert!(
        r.act(&returned, decide(fine(15_000)), date!(2026 - 10 - 27))
            .is_err()
    );
    let s = r
        .act(&returned, CaseAction::SubmitReview, date!(2026 - 10 - 28))
        .unwrap();
    let s = r
        .act(
            &s,
            CaseAction::Review {
                opinion: ReviewOpinion::Approved,
                checks: ReviewCheck::ALL.to_vec(),
                note: String::new(),
            },
            date!(2026 - 10 - 29),
        )
        .unwrap();
    assert_eq!(s.status, CaseStatus::Ready);
    // No raise after the defence.
    let e = r
        .act(&s, decide(fine(16_000)), date!(2026 - 10 - 30))
        .unwrap_err();
    assert!(e.message().contains("第45条"), "{}", e.message());
    let s = r
        .act(&s, decide(fine(12_000)), date!(2026 - 10 - 30))
        .unwrap();
    assert_eq!(s.status, CaseStatus::Decided);
    assert_eq!(
        s.decision.as_ref().unwrap().service_due,
        date!(2026 - 11 - 10)
    );
}

#[test]
fn collective_discussion_needs_a_passed_review_and_complex_cases_need_it() {
    let r = Run::new();
    let mut sp = spec(PartyKind::Organisation);
    sp.complex = true;
    sp.major = true;
    let today = date!(2026 - 06 - 01);
    let s = open_case(&item(false), &sp, None, today, &r.cal, &r.rules, &r.certs).unwrap();
    let s = r.act(&s, evidence(), today).unwrap();
    let s = r
        .act(
            &s,
            CaseAction::Notify {
                penalty: fine(2000),
                grade: Grade::Ordinary,
                officers: vec![2, 3],
            },
            today,
        )
        .unwrap();
    let s = r
        .act(
            &s,
            CaseAction::RecordDefence {
                summary: String::new(),
                waived: true,
            },
            today,
        )
        .unwrap();
    let discuss = CaseAction::Discuss {
        conclusion: "同意罚款2000元".into(),
        dissent: String::new(),
    };
    let e = r.act(&s, discuss.clone(), today).unwrap_err();
    assert!(e.message().contains("法制审核"), "{}", e.message());
    let s = r.act(&s, CaseAction::SubmitReview, today).unwrap();
    let s = r
        .act(
            &s,
            CaseAction::Review {
                opinion: ReviewOpinion::Approved,
                checks: ReviewCheck::ALL.to_vec(),
                note: String::new(),
            },
            today,
        )
        .unwrap();
    let decide = CaseAction::Decide {
        outcome: CaseOutcome::Penalty,
        penalty: Some(fine(2000)),
        grade: None,
        reasons: "x".into(),
    };
    let e = r.act(&s, decide.clone(), today).unwrap_err();
    assert!(e.message().contains("集体讨论"), "{}", e.message());
    let s = r.act(&s, discuss, today).unwrap();
    assert!(r.act(&s, decide, today).is_ok());
}

#[test]
fn the_90_day_clock_stops_for_testing_and_extends_within_the_setting() {
    let r = Run::new();
    let opened = date!(2026 - 06 - 01);
    let s = r.open(&item(false), PartyKind::Citizen, opened);
    // 1 June + 90 = 30 August, a Sunday: moves to Monday 31 August.
    assert_eq!(s.clock.as_ref().unwrap().due, date!(2026 - 08 - 31));
    let s = r
        .act(
            &s,
            CaseAction::Pause {
                reason: PauseReason::Testing,
                note: "送检".into(),
            },
            date!(2026 - 07 - 01),
        )
        .unwrap();
    assert_eq!(
        s.warning(date!(2026 - 12 - 01), 10),
        fazhi_core::calendar::Warning::None
    );
    let s = r
        .act(&s, CaseAction::Resume, date!(2026 - 07 - 21))
        .unwrap();
    // 19 September is a Saturday; Sunday 20 September is a make-up workday (调休).
    assert_eq!(s.clock.as_ref().unwrap().due, date!(2026 - 09 - 20));
    assert_eq!(s.pauses.len(), 1);
    assert_eq!(s.pauses[0].to, Some(date!(2026 - 07 - 21)));
    let s = r
        .act(
            &s,
            CaseAction::Extend {
                days: 30,
                reason: "案情复杂".into(),
            },
            date!(2026 - 07 - 22),
        )
        .unwrap();
    assert_eq!(s.clock.as_ref().unwrap().due, date!(2026 - 10 - 19));
    let e = r
        .act(
            &s,
            CaseAction::Extend {
                days: 1,
                reason: "再延".into(),
            },
            date!(2026 - 07 - 22),
        )
        .unwrap_err();
    assert!(e.message().contains("30日"), "{}", e.message());
    assert_eq!(
        s.warning(date!(2026 - 10 - 20), 10),
        fazhi_core::calendar::Warning::Red
    );
}

#[test]
fn limitation_blocks_penalties_after_two_years_or_five_with_harm() {
    let r = Run::new();
    let mut sp = spec(PartyKind::Citizen);
    sp.act_on = date!(2024 - 05 - 31);
    sp.discovered_on = Some(date!(2026 - 06 - 01));
    let s = open_case(
        &item(false),
        &sp,
        None,
        date!(2026 - 06 - 01),
        &r.cal,
        &r.rules,
        &r.certs,
    )
    .unwrap();
    assert!(s.limitation_expired(&r.rules));
    let s2 = r.act(&s, evidence(), date!(2026 - 06 - 01)).unwrap();
    let e = r
        .act(
            &s2,
            CaseAction::Notify {
                penalty: fine(100),
                grade: Grade::Ordinary,
                officers: vec![1, 2],
            },
            date!(2026 - 06 - 02),
        )
        .unwrap_err();
    assert!(e.message().contains("第36条"), "{}", e.message());
    // Ending without a penalty is still possible.
    assert!(
        r.act(
            &s2,
            CaseAction::Decide {
                outcome: CaseOutcome::NoPenalty,
                penalty: None,
                grade: None,
                reasons: "超过追责时效".into()
            },
            date!(2026 - 06 - 02)
        )
        .is_ok()
    );
    sp.safety_harm = true;
    let s = open_case(
        &item(false),
        &sp,
        None,
        date!(2026 - 06 - 01),
        &r.cal,
        &r.rules,
        &r.certs,
    )
    .unwrap();
    assert!(!s.limitation_expired(&r.rules));
}

#[test]
fn late_payment_surcharge_is_three_percent_a_day_capped_at_the_fine() {
    let r = Run::new();
    let today = date!(2026 - 06 - 01);
    let o = OnSpot {
        penalty: fine(200),
        reasons: "x".into(),
        collected_on_spot: false,
    };
    let s = decide_on_spot(
        &item(false),
        &spec(PartyKind::Citizen),
        &o,
        None,
        today,
        &r.cal,
        &r.rules,
        &r.certs,
    )
    .unwrap();
    assert_eq!(s.status, CaseStatus::Served);
    let due = s.service.as_ref().unwrap().payment_due;
    assert_eq!(due, date!(2026 - 06 - 16));
    assert_eq!(s.surcharge(due, &r.rules), 0);
    assert_eq!(s.surcharge(date!(2026 - 06 - 18), &r.rules), 2 * 600);
    assert_eq!(s.surcharge(date!(2027 - 06 - 18), &r.rules), 200 * YUAN);
    // Paying less than due keeps it open; paying the whole closes execution.
    let s = r
        .act(
            &s,
            CaseAction::RecordPayment {
                amount_fen: 100 * YUAN,
            },
            date!(2026 - 06 - 10),
        )
        .unwrap();
    assert_eq!(s.status, CaseStatus::Served);
    assert!(
        r.act(
            &s,
            CaseAction::RecordPayment {
                amount_fen: 100 * YUAN + 1
            },
            date!(2026 - 06 - 10)
        )
        .is_err()
    );
    let s = r
        .act(
            &s,
            CaseAction::RecordPayment {
                amount_fen: 100 * YUAN,
            },
            date!(2026 - 06 - 10),
        )
        .unwrap();
    assert_eq!(s.status, CaseStatus::Executed);
    // A simple-procedure case is filed (备案) before it closes.
    let hands = CaseHands {
        officer: true,
        ..CaseHands::default()
    };
    assert!(!allowed_case_actions(&s, hands).contains(&CaseActionCode::Close));
    let s = r.act(&s, CaseAction::File, date!(2026 - 06 - 10)).unwrap();
    assert!(allowed_case_actions(&s, hands).contains(&CaseActionCode::Close));
}

#[test]
fn actions_follow_the_hand() {
    let r = Run::new();
    let s = r.open(&item(false), PartyKind::Citizen, date!(2026 - 06 - 01));
    let officer = CaseHands {
        officer: true,
        ..CaseHands::default()
    };
    let leader = CaseHands {
        leader: true,
        ..CaseHands::default()
    };
    let a = allowed_case_actions(&s, officer);
    assert!(a.contains(&CaseActionCode::RecordEvidence) && !a.contains(&CaseActionCode::Decide));
    let a = allowed_case_actions(&s, leader);
    assert!(a.contains(&CaseActionCode::Decide) && !a.contains(&CaseActionCode::RecordEvidence));
    assert!(allowed_case_actions(&s, CaseHands::default()).is_empty());
}

#[test]
fn item_entries_are_validated() {
    let mut i = item(false).spec;
    assert!(i.validate().is_ok());
    i.deciding_document.clear();
    assert!(i.validate().unwrap_err().contains("赋权"));
    let mut i = item(false).spec;
    i.fine_min_fen = 500;
    i.fine_max_fen = 100;
    assert!(i.validate().is_err());
    let mut i = item(false).spec;
    i.discretion.push(DiscretionStep {
        grade: Grade::Heavier,
        circumstances: "多次".into(),
        fine_min_fen: 10_000 * YUAN,
        fine_max_fen: 30_000 * YUAN,
    });
    assert!(i.validate().unwrap_err().contains("超出"));
}
