//! The matter workflow: transitions, validation messages, invariants (property tests),
//! string codes and tracking codes.

use fazhi_core::calendar::{Calendar, Warning};
use fazhi_core::matter::{
    Action, ActionCode, Assignee, AssigneeKind, Channel, ClosureType, DEFAULT_CATEGORIES,
    DeadlineKind, DeadlineRules, Kind, MatterState, MediationOutcome, Route, Satisfaction, Status,
    SupervisionLevel, TRACKING_ALPHABET, TRACKING_CODE_LEN, TrackingCode, TrackingCodeError,
    TransitionError, apply,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::{Date, Duration, macros::date};

const UNIT: Assignee = Assignee {
    kind: AssigneeKind::Unit,
    id: 7,
};
const VILLAGE: Assignee = Assignee {
    kind: AssigneeKind::Division,
    id: 42,
};

struct World {
    cal: Calendar,
    rules: DeadlineRules,
}

impl World {
    fn new() -> World {
        World {
            cal: Calendar::builtin(),
            rules: DeadlineRules::default(),
        }
    }

    fn register(&self, kind: Kind, channel: Channel, on: Date) -> MatterState {
        MatterState::register(kind, channel, on, &self.cal, &self.rules)
    }

    fn apply(
        &self,
        m: &MatterState,
        a: Action,
        today: Date,
    ) -> Result<MatterState, TransitionError> {
        let t = apply(m, &a, today, &self.cal, &self.rules)?;
        assert_eq!(t.to, t.state.status);
        assert_eq!(t.from, m.status);
        assert_eq!(t.action, a.code());
        t.state.check_invariants(&self.rules).unwrap();
        Ok(t.state)
    }

    fn ok(&self, m: &MatterState, a: Action, today: Date) -> MatterState {
        self.apply(m, a.clone(), today)
            .unwrap_or_else(|e| panic!("{a:?}: {e}"))
    }
}

fn reason(s: &str) -> String {
    s.to_string()
}

#[test]
fn dispute_happy_path() {
    let w = World::new();
    let d0 = date!(2026 - 03 - 02);
    let m = w.register(Kind::Dispute, Channel::GridReport, d0);
    assert_eq!(m.status, Status::Registered);
    assert!(m.acceptance.is_none());
    let m = w.ok(&m, Action::Accept, d0);
    // Dispute default: 30 calendar days from acceptance → 2026-04-01 (Wed).
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 04 - 01));
    let m = w.ok(
        &m,
        Action::Assign {
            assignee: VILLAGE,
            co_handlers: vec![UNIT, VILLAGE],
            due: None,
        },
        d0,
    );
    assert_eq!(m.status, Status::Assigned);
    let a = m.assignment.as_ref().unwrap();
    assert_eq!(a.co_handlers, vec![UNIT], "lead is not its own co-handler");
    assert_eq!(a.due, date!(2026 - 04 - 01));
    let m = w.ok(&m, Action::Acknowledge, d0);
    assert_eq!(m.status, Status::InProgress);
    let m = w.ok(
        &m,
        Action::RecordMediation {
            held_on: date!(2026 - 03 - 05),
            summary: reason("双方到场"),
            outcome: None,
        },
        date!(2026 - 03 - 06),
    );
    assert_eq!(m.mediation_sessions, 1);
    let close = Action::Close {
        closure_type: ClosureType::Substantive,
        resolved: true,
        outcome: Some(MediationOutcome::Success),
        directed_to: None,
        opinion: None,
    };
    let m = w.ok(&m, close, date!(2026 - 03 - 10));
    let c = m.closure.as_ref().unwrap();
    assert!(c.on_time && c.resolved);
    assert_eq!(m.next_due(), None);
    let m = w.ok(
        &m,
        Action::FollowUp {
            satisfaction: Satisfaction::Satisfied,
        },
        date!(2026 - 03 - 12),
    );
    let err = w
        .apply(
            &m,
            Action::Reopen {
                reason: reason("x"),
            },
            date!(2026 - 03 - 12),
        )
        .unwrap_err();
    assert!(err.is_conflict());
    assert!(err.message().contains("不满意"));
    let m = w.ok(&m, Action::Archive, date!(2026 - 03 - 13));
    assert_eq!(m.status, Status::Archived);
    assert!(m.status.is_terminal());
}

#[test]
fn petition_deadlines_extension_and_pause() {
    let w = World::new();
    // Received Sunday 2026-02-01 through the petition system.
    let m = w.register(
        Kind::Petition,
        Channel::PetitionSystem,
        date!(2026 - 02 - 01),
    );
    // Acceptance notice 15 days → 2/16 in 春节 → 2/24.
    assert_eq!(m.acceptance.as_ref().unwrap().due, date!(2026 - 02 - 24));
    // Out-of-remit objection 5 working days: 2/2–2/6.
    assert_eq!(m.objection.as_ref().unwrap().due, date!(2026 - 02 - 06));
    assert_eq!(
        m.next_due(),
        Some((DeadlineKind::Objection, date!(2026 - 02 - 06)))
    );
    assert_eq!(m.warning(date!(2026 - 02 - 04), &w.rules), Warning::Yellow);
    assert_eq!(m.warning(date!(2026 - 02 - 07), &w.rules), Warning::Red);

    let m = w.ok(&m, Action::Accept, date!(2026 - 03 - 02));
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 05 - 06));
    let m = w.ok(
        &m,
        Action::Assign {
            assignee: UNIT,
            co_handlers: vec![],
            due: Some(date!(2026 - 04 - 30)),
        },
        date!(2026 - 03 - 02),
    );
    assert_eq!(
        m.next_due(),
        Some((DeadlineKind::Assignment, date!(2026 - 04 - 30)))
    );
    // Hearing from 3/10 to 3/20: clock stops, unit due shifts by 10 days.
    let m = w.ok(
        &m,
        Action::Pause {
            reason: reason("等待听证"),
        },
        date!(2026 - 03 - 10),
    );
    assert!(m.is_paused());
    assert_eq!(m.warning(date!(2026 - 06 - 30), &w.rules), Warning::None);
    let err = w.apply(
        &m,
        Action::Pause {
            reason: reason("再次"),
        },
        date!(2026 - 03 - 11),
    );
    assert!(err.unwrap_err().is_conflict());
    let m = w.ok(&m, Action::Resume, date!(2026 - 03 - 20));
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 05 - 11));
    assert_eq!(m.assignment.as_ref().unwrap().due, date!(2026 - 05 - 10));

    // Extension: reason and approver required, at most 30 days, only once.
    let ext = |days: u32, r: &str, by: &str| Action::Extend {
        days,
        reason: reason(r),
        approved_by: reason(by),
    };
    let e = w
        .apply(&m, ext(31, "复杂", "镇长"), date!(2026 - 04 - 01))
        .unwrap_err();
    assert!(
        matches!(e, TransitionError::Field { field: "days", .. }),
        "{e:?}"
    );
    let e = w
        .apply(&m, ext(30, " ", "镇长"), date!(2026 - 04 - 01))
        .unwrap_err();
    assert!(
        matches!(
            e,
            TransitionError::Field {
                field: "reason",
                ..
            }
        ),
        "{e:?}"
    );
    let e = w
        .apply(&m, ext(30, "复杂", ""), date!(2026 - 04 - 01))
        .unwrap_err();
    assert!(
        matches!(
            e,
            TransitionError::Field {
                field: "approved_by",
                ..
            }
        ),
        "{e:?}"
    );
    let m = w.ok(&m, ext(30, "涉及多个部门", "镇长"), date!(2026 - 04 - 01));
    // 60 + 10 paused + 30 = 100 days from 3/2 → 6/10.
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 06 - 10));
    let e = w
        .apply(&m, ext(5, "再延", "镇长"), date!(2026 - 04 - 02))
        .unwrap_err();
    assert!(
        e.is_conflict() && e.message().contains("只能延期一次"),
        "{e}"
    );

    // Overdue: red warning, no pause possible.
    assert_eq!(m.warning(date!(2026 - 06 - 11), &w.rules), Warning::Red);
    assert!(m.is_overdue(date!(2026 - 06 - 11)));
    let e = w
        .apply(
            &m,
            Action::Pause {
                reason: reason("x"),
            },
            date!(2026 - 06 - 11),
        )
        .unwrap_err();
    assert!(e.message().contains("已届满"));
    let m = w.ok(
        &m,
        Action::Supervise {
            level: SupervisionLevel::RedCard,
            reason: reason("逾期"),
        },
        date!(2026 - 06 - 11),
    );
    let m = w.ok(
        &m,
        Action::Supervise {
            level: SupervisionLevel::Normal,
            reason: reason("再催"),
        },
        date!(2026 - 06 - 12),
    );
    assert_eq!(
        m.supervision,
        Some(SupervisionLevel::RedCard),
        "highest level kept"
    );
    let m = w.ok(
        &m,
        Action::Close {
            closure_type: ClosureType::Substantive,
            resolved: false,
            outcome: None,
            directed_to: None,
            opinion: Some(fazhi_core::matter::PetitionOpinion::Explain),
        },
        date!(2026 - 06 - 15),
    );
    assert!(!m.closure.as_ref().unwrap().on_time);
}

#[test]
fn deadlines_follow_a_calendar_edit() {
    let w = World::new();
    let d0 = date!(2026 - 12 - 01);
    let m = w.ok(
        &w.register(Kind::Dispute, Channel::Visit, d0),
        Action::Accept,
        d0,
    );
    let mut m = w.ok(
        &m,
        Action::Assign {
            assignee: UNIT,
            co_handlers: vec![],
            due: None,
        },
        d0,
    );
    // 30 days → 2026-12-31 (Thu); a new 2027 notice adds nothing there, but a
    // hypothetical block on 12/31 moves it to the next working day.
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 12 - 31));
    let mut text = w.cal.to_text();
    text.push_str("\n[[year]]\nyear = 2027\nholidays = [\n  { name = \"元旦\", from = \"2026-12-31\", to = \"2027-01-03\" },\n]\n");
    let cal = Calendar::parse(&text).unwrap();
    m.recompute_deadlines(&cal);
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2027 - 01 - 04));
    assert_eq!(m.assignment.as_ref().unwrap().due, date!(2027 - 01 - 04));
    m.check_invariants(&w.rules).unwrap();
}

#[test]
fn extension_only_for_petitions() {
    let w = World::new();
    let d0 = date!(2026 - 03 - 02);
    let m = w.ok(
        &w.register(Kind::Dispute, Channel::Visit, d0),
        Action::Accept,
        d0,
    );
    let e = w
        .apply(
            &m,
            Action::Extend {
                days: 10,
                reason: reason("r"),
                approved_by: reason("a"),
            },
            d0,
        )
        .unwrap_err();
    assert!(e.is_conflict());
    assert_eq!(e.message(), "「矛盾纠纷」类事项不能延期");
}

#[test]
fn refused_actions_say_why() {
    let w = World::new();
    let d0 = date!(2026 - 03 - 02);
    let m = w.register(Kind::Dispute, Channel::Visit, d0);
    let e = w.apply(&m, Action::Acknowledge, d0).unwrap_err();
    assert_eq!(e.message(), "事项当前状态为「已登记」，不能签收");
    let e = w
        .apply(
            &m,
            Action::Reject {
                reason: String::new(),
            },
            d0,
        )
        .unwrap_err();
    assert_eq!(
        e,
        TransitionError::Field {
            field: "reason",
            message: "请填写不予受理的理由".into()
        }
    );
    let r = w.ok(
        &m,
        Action::Reject {
            reason: reason("不属于受理范围"),
        },
        d0,
    );
    assert_eq!(r.status, Status::NotAccepted);
    assert!(w.apply(&r, Action::Accept, d0).unwrap_err().is_conflict());

    // Closing a dispute needs an outcome; a failed mediation needs a route.
    let m = w.ok(&m, Action::Accept, d0);
    let close = |outcome, directed_to, resolved| Action::Close {
        closure_type: ClosureType::Procedural,
        resolved,
        outcome,
        directed_to,
        opinion: None,
    };
    let e = w.apply(&m, close(None, None, false), d0).unwrap_err();
    assert!(matches!(
        e,
        TransitionError::Field {
            field: "outcome",
            ..
        }
    ));
    let e = w
        .apply(&m, close(Some(MediationOutcome::Failed), None, false), d0)
        .unwrap_err();
    assert!(matches!(
        e,
        TransitionError::Field {
            field: "directed_to",
            ..
        }
    ));
    let e = w
        .apply(
            &m,
            close(
                Some(MediationOutcome::Failed),
                Some(Route::Litigation),
                true,
            ),
            d0,
        )
        .unwrap_err();
    assert!(matches!(
        e,
        TransitionError::Field {
            field: "resolved",
            ..
        }
    ));
    let c = w.ok(
        &m,
        close(
            Some(MediationOutcome::Failed),
            Some(Route::Arbitration),
            false,
        ),
        d0,
    );
    assert_eq!(
        c.closure.as_ref().unwrap().directed_to,
        Some(Route::Arbitration)
    );

    // Consultations are not mediated.
    let q = w.ok(
        &w.register(Kind::Consultation, Channel::Phone, d0),
        Action::Accept,
        d0,
    );
    let q = w.ok(
        &q,
        Action::Assign {
            assignee: UNIT,
            co_handlers: vec![],
            due: None,
        },
        d0,
    );
    let e = w
        .apply(
            &q,
            Action::RecordMediation {
                held_on: d0,
                summary: reason("s"),
                outcome: None,
            },
            d0,
        )
        .unwrap_err();
    assert!(e.is_conflict());
}

#[test]
fn public_submission_register_reject_and_reclassify() {
    let w = World::new();
    let d0 = date!(2026 - 03 - 02);
    let p = MatterState::submit(Kind::Complaint, d0, &w.cal, &w.rules);
    assert_eq!((p.status, p.channel), (Status::Pending, Channel::Online));
    let r = w.ok(
        &p,
        Action::Reject {
            reason: reason("内容无法核实"),
        },
        d0,
    );
    assert_eq!(r.status, Status::Rejected);
    let m = w.ok(
        &p,
        Action::Register {
            kind: Some(Kind::Petition),
        },
        d0,
    );
    assert_eq!(m.kind, Kind::Petition);
    assert!(
        m.acceptance.is_some(),
        "petition acceptance deadline starts on reclassification"
    );
    assert!(m.objection.is_none(), "the public form is not a transfer");
    let direct = w.ok(&p, Action::Accept, d0);
    assert_eq!(direct.status, Status::Accepted);
}

#[test]
fn transfer_return_escalate_reopen() {
    let w = World::new();
    let d0 = date!(2026 - 03 - 02);
    let m = w.ok(
        &w.register(Kind::Complaint, Channel::Hotline12345, d0),
        Action::Accept,
        d0,
    );
    // Complaint default: 15 working days from Mon 3/2 → Mon 3/23.
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 03 - 23));
    let m = w.ok(
        &m,
        Action::Assign {
            assignee: UNIT,
            co_handlers: vec![],
            due: None,
        },
        d0,
    );
    let e = w
        .apply(
            &m,
            Action::Transfer {
                assignee: UNIT,
                reason: reason("r"),
                due: None,
            },
            d0,
        )
        .unwrap_err();
    assert!(matches!(
        e,
        TransitionError::Field {
            field: "assignee",
            ..
        }
    ));
    let e = w
        .apply(
            &m,
            Action::Assign {
                assignee: VILLAGE,
                co_handlers: vec![],
                due: None,
            },
            d0,
        )
        .unwrap_err();
    assert!(e.is_conflict());
    let m = w.ok(
        &m,
        Action::Transfer {
            assignee: VILLAGE,
            reason: reason("属地"),
            due: None,
        },
        d0,
    );
    assert_eq!((m.status, m.transfers), (Status::Assigned, 1));
    let m = w.ok(
        &m,
        Action::Return {
            reason: reason("不属于本村职责"),
        },
        d0,
    );
    assert_eq!((m.status, m.returns), (Status::Accepted, 1));
    assert!(m.assignment.is_none());
    let m = w.ok(
        &m,
        Action::Escalate {
            reason: reason("涉及区级部门"),
        },
        d0,
    );
    assert!(m.escalated);
    assert!(
        w.apply(
            &m,
            Action::Escalate {
                reason: reason("again")
            },
            d0
        )
        .unwrap_err()
        .is_conflict()
    );
    let e = w
        .apply(
            &m,
            Action::Assign {
                assignee: UNIT,
                co_handlers: vec![],
                due: Some(date!(2026 - 04 - 30)),
            },
            d0,
        )
        .unwrap_err();
    assert!(e.message().contains("不能晚于办理期限"), "{e}");
    let m = w.ok(
        &m,
        Action::Assign {
            assignee: UNIT,
            co_handlers: vec![],
            due: None,
        },
        d0,
    );
    let m = w.ok(
        &m,
        Action::Close {
            closure_type: ClosureType::Substantive,
            resolved: true,
            outcome: None,
            directed_to: None,
            opinion: None,
        },
        date!(2026 - 03 - 20),
    );
    let m = w.ok(
        &m,
        Action::FollowUp {
            satisfaction: Satisfaction::Dissatisfied,
        },
        date!(2026 - 03 - 25),
    );
    let m = w.ok(
        &m,
        Action::Reopen {
            reason: reason("诉求未解决"),
        },
        date!(2026 - 03 - 25),
    );
    assert_eq!((m.status, m.reopened), (Status::InProgress, 1));
    assert!(m.closure.is_none() && m.follow_up.is_none());
    // New round: 15 working days from 3/25 → 4/16 (清明 4/4–4/6).
    assert_eq!(m.handling.as_ref().unwrap().due, date!(2026 - 04 - 16));
    assert_eq!(m.assignment.as_ref().unwrap().due, date!(2026 - 04 - 16));
}

#[test]
fn closing_while_paused_ends_the_pause() {
    let w = World::new();
    let d0 = date!(2026 - 03 - 02);
    let m = w.ok(
        &w.register(Kind::Dispute, Channel::Visit, d0),
        Action::Accept,
        d0,
    );
    let m = w.ok(
        &m,
        Action::Pause {
            reason: reason("等待鉴定"),
        },
        date!(2026 - 03 - 10),
    );
    let m = w.ok(
        &m,
        Action::Close {
            closure_type: ClosureType::Interim,
            resolved: false,
            outcome: Some(MediationOutcome::Partial),
            directed_to: None,
            opinion: None,
        },
        date!(2026 - 04 - 20),
    );
    assert!(!m.is_paused());
    assert!(
        m.closure.as_ref().unwrap().on_time,
        "41 paused days extended 4/1 to 5/12"
    );
}

#[test]
fn codes_round_trip_and_serde_uses_them() {
    for k in Kind::ALL {
        assert_eq!(k.as_str().parse::<Kind>().unwrap(), *k);
    }
    for c in Channel::ALL {
        assert_eq!(c.as_str().parse::<Channel>().unwrap(), *c);
        assert!(!c.label_zh().is_empty());
    }
    for s in Status::ALL {
        assert_eq!(s.as_str().parse::<Status>().unwrap(), *s);
    }
    assert_eq!(Channel::Hotline12345.as_str(), "hotline_12345");
    assert_eq!(Kind::Dispute.label_zh(), "矛盾纠纷");
    assert!(
        "x".parse::<Status>()
            .unwrap_err()
            .to_string()
            .contains("事项状态")
    );
    let codes: std::collections::HashSet<_> = DEFAULT_CATEGORIES.iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), DEFAULT_CATEGORIES.len());
    for a in ActionCode::ALL {
        assert_eq!(a.as_str().parse::<ActionCode>().unwrap(), *a);
    }
}

/// The action JSON of `POST /matters/{id}/actions` (checked with the TOML serde
/// front end, which shares serde's data model).
#[test]
fn actions_deserialise_from_tagged_form() {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(flatten)]
        action: Action,
    }
    let b: Body = toml::from_str(
        "action = \"assign\"\nassignee = { kind = \"unit\", id = 7 }\ndue = \"2026-04-01\"\n",
    )
    .unwrap();
    assert_eq!(
        b.action,
        Action::Assign {
            assignee: UNIT,
            co_handlers: vec![],
            due: Some(date!(2026 - 04 - 01))
        }
    );
    let b: Body = toml::from_str("action = \"accept\"\nnote = \"ok\"\n").unwrap();
    assert_eq!(b.action, Action::Accept);
    let b: Body =
        toml::from_str("action = \"close\"\nclosure_type = \"procedural\"\nresolved = false\n")
            .unwrap();
    assert_eq!(b.action.code(), ActionCode::Close);
    assert!(toml::from_str::<Body>("action = \"fly\"\n").is_err());
    let r: DeadlineRules = toml::from_str("yellow_days = 5\n").unwrap();
    assert_eq!(r.yellow_days, 5);
    assert_eq!(r.petition.handling.days, 60);
}

#[test]
fn tracking_codes() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..2000 {
        let c = TrackingCode::generate(&mut rng);
        assert_eq!(c.as_str().len(), TRACKING_CODE_LEN);
        assert!(c.as_str().bytes().all(|b| TRACKING_ALPHABET.contains(&b)));
        assert_eq!(
            TrackingCode::parse(&c.display_grouped().to_lowercase()).unwrap(),
            c
        );
        assert!(seen.insert(c));
    }
    for bad in b"01ILOBSZU" {
        assert!(!TRACKING_ALPHABET.contains(bad), "{}", *bad as char);
    }
    let c = TrackingCode::parse("k7m3p x9qrt").unwrap();
    assert_eq!(c.as_str(), "K7M3PX9QRT");
    assert_eq!(c.display_grouped(), "K7M3P-X9QRT");
    // Misreadings of look-alikes are folded: S→5, B→8, Z→2, U→V; full-width accepted.
    assert_eq!(
        TrackingCode::parse("ＫSM3P-B9QZU").unwrap().as_str(),
        "K5M3P89Q2V"
    );
    assert_eq!(TrackingCode::parse("K7M3P"), Err(TrackingCodeError::Length));
    assert_eq!(
        TrackingCode::parse("K7M3P-X9QR0"),
        Err(TrackingCodeError::Char('0'))
    );
    assert!(TrackingCodeError::Length.to_string().contains("查询码"));
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---- property tests -------------------------------------------------------

/// Raw random material from which one action is built against the current day.
#[derive(Debug, Clone)]
struct Op {
    variant: u8,
    has_text: bool,
    days: u32,
    id: i64,
    pick: usize,
    resolved: bool,
    outcome: Option<usize>,
    route: Option<usize>,
    offset: i64,
    advance: i64,
}

fn op() -> impl Strategy<Value = Op> {
    (
        0u8..21,
        prop::bool::weighted(0.9),
        0u32..40,
        1i64..4,
        0usize..8,
        any::<bool>(),
        prop::option::of(0usize..3),
        prop::option::of(0usize..3),
        -5i64..40,
        0i64..12,
    )
        .prop_map(
            |(variant, has_text, days, id, pick, resolved, outcome, route, offset, advance)| Op {
                variant,
                has_text,
                days,
                id,
                pick,
                resolved,
                outcome,
                route,
                offset,
                advance,
            },
        )
}

fn build(op: &Op, today: Date) -> Action {
    let text = if op.has_text {
        "理由".to_string()
    } else {
        String::new()
    };
    let who = Assignee {
        kind: AssigneeKind::ALL[op.pick % 2],
        id: op.id,
    };
    let date = today + Duration::days(op.offset);
    let due = (op.offset % 3 == 0).then_some(date);
    match op.variant {
        0 => Action::Register {
            kind: (op.pick < 5).then(|| Kind::ALL[op.pick]),
        },
        1 => Action::Accept,
        // Refusal ends a matter, so keep it rare to reach deeper states.
        2 if op.pick == 0 => Action::Reject { reason: text },
        2 => Action::Accept,
        3 => Action::Assign {
            assignee: who,
            co_handlers: vec![UNIT],
            due,
        },
        4 => Action::Acknowledge,
        5 => Action::Transfer {
            assignee: who,
            reason: text,
            due,
        },
        6 => Action::Return { reason: text },
        7 => Action::Escalate { reason: text },
        8 => Action::RecordMediation {
            held_on: today - Duration::days(op.offset),
            summary: text,
            outcome: None,
        },
        9 => Action::Extend {
            days: op.days,
            reason: text.clone(),
            approved_by: text,
        },
        10 => Action::Pause { reason: text },
        11 => Action::Resume,
        12 => Action::Supervise {
            level: SupervisionLevel::ALL[op.pick % 3],
            reason: text,
        },
        13 => Action::Close {
            closure_type: ClosureType::ALL[op.pick % 3],
            resolved: op.resolved,
            outcome: op.outcome.map(|i| MediationOutcome::ALL[i]),
            directed_to: op.route.map(|i| Route::ALL[i]),
            opinion: None,
        },
        14 => Action::FollowUp {
            satisfaction: Satisfaction::ALL[op.pick % 4],
        },
        15 => Action::Reopen { reason: text },
        17 => Action::Feedback {
            summary: text,
            result: op.resolved,
            by: None,
        },
        18 => Action::ApproveClosure,
        19 => Action::RejectClosure { reason: text },
        20 => Action::Assess {
            risk: fazhi_core::matter::RiskLevel::ALL[op.pick % 4],
            urgent: op.resolved,
            group_people: op.outcome.map(|n| n as u32),
            summary: text,
        },
        _ => Action::Archive,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No sequence of actions reaches a state that breaks an invariant
    /// (see `MatterState::check_invariants`): closed matters always have a closure
    /// type, closed disputes an outcome, assigned matters an assignee and deadline,
    /// at most one extension within the allowed length, and so on.
    #[test]
    fn no_action_sequence_breaks_the_invariants(
        kind in prop::sample::select(Kind::ALL),
        channel in prop::sample::select(Channel::ALL),
        public in any::<bool>(),
        start in 0i64..700,
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let w = World::new();
        let mut today = date!(2025 - 01 - 01) + Duration::days(start);
        let mut m = if public {
            MatterState::submit(kind, today, &w.cal, &w.rules)
        } else {
            w.register(kind, channel, today)
        };
        prop_assert!(m.check_invariants(&w.rules).is_ok());
        let mut extensions = 0;
        for op in &ops {
            today += Duration::days(op.advance);
            let action = build(op, today);
            // The centre, or a handler whose closings go to review.
            let hands = fazhi_core::matter::Hands {
                manage: op.advance % 3 != 0,
                handle: true,
                support: false,
            };
            let offered = fazhi_core::matter::allowed_actions(&m, &w.rules, hands);
            match fazhi_core::matter::apply_as(&m, &action, hands, today, &w.cal, &w.rules) {
                Ok(t) => {
                    // What a user may do is exactly what they are offered.
                    prop_assert!(
                        offered.contains(&action.code()),
                        "{:?} accepted in {:?} but not offered",
                        action.code(),
                        m.status
                    );
                    let s = t.state;
                    if let Err(e) = s.check_invariants(&w.rules) {
                        return Err(TestCaseError::fail(format!("{e} after {action:?}")));
                    }
                    prop_assert_eq!(t.to, s.status);
                    if s.status.is_closed() {
                        let c = s.closure.as_ref().unwrap();
                        prop_assert!(ClosureType::ALL.contains(&c.closure_type));
                        prop_assert!(s.kind != Kind::Dispute || c.outcome.is_some());
                    }
                    if matches!(action, Action::Extend { .. }) {
                        extensions += 1;
                        prop_assert_eq!(s.kind, Kind::Petition);
                    }
                    if matches!(action, Action::Reopen { .. }) {
                        extensions = 0;
                    }
                    // Only the centre's closing or approval closes; a handler's waits.
                    if t.to == Status::Closed {
                        prop_assert!(hands.manage);
                    }
                    if matches!(action, Action::Close { .. }) && !hands.manage {
                        prop_assert_eq!(s.status, Status::Reviewing);
                        prop_assert!(s.approved_closure().is_none());
                    }
                    prop_assert!(extensions <= 1);
                    m = s;
                }
                Err(e) => {
                    prop_assert!(!e.message().is_empty());
                    // Messages are Chinese sentences, not codes.
                    prop_assert!(has_chinese(e.message()), "{}", e.message());
                }
            }
        }
    }

    /// A matter driven straight to closing always ends with a valid closure.
    #[test]
    fn every_closed_matter_has_type_and_outcome(
        kind in prop::sample::select(Kind::ALL),
        outcome in prop::sample::select(MediationOutcome::ALL),
        route in prop::sample::select(Route::ALL),
        ct in prop::sample::select(ClosureType::ALL),
        start in 0i64..700,
        gap in 0i64..90,
    ) {
        let w = World::new();
        let d0 = date!(2025 - 01 - 01) + Duration::days(start);
        let m = w.ok(&w.register(kind, Channel::Visit, d0), Action::Accept, d0);
        let m = w.ok(&m, Action::Assign { assignee: VILLAGE, co_handlers: vec![], due: None }, d0);
        let directed_to = (outcome != MediationOutcome::Success).then_some(route);
        let close = Action::Close {
            closure_type: ct,
            resolved: outcome == MediationOutcome::Success,
            outcome: Some(outcome),
            directed_to,
            opinion: None,
        };
        let day = d0 + Duration::days(gap);
        let m = w.ok(&m, close, day);
        let c = m.closure.clone().unwrap();
        prop_assert_eq!(c.closure_type, ct);
        prop_assert_eq!(c.outcome, Some(outcome));
        prop_assert_eq!(c.on_time, day <= m.handling.as_ref().unwrap().due);
    }

    /// Calendar-day deadlines never end on a rest day and never before the period.
    #[test]
    fn calendar_day_periods_end_on_working_days(start in 0i64..720, days in 0u32..90) {
        let cal = Calendar::builtin();
        let s = date!(2025 - 01 - 01) + Duration::days(start);
        let due = cal.add_calendar_days(s, days);
        prop_assert!(cal.is_working_day(due));
        prop_assert!(due >= s + Duration::days(i64::from(days)));
        // Every day between the nominal end and `due` is a rest day.
        let mut d = s + Duration::days(i64::from(days));
        while d < due {
            prop_assert!(cal.is_rest_day(d));
            d = d.next_day().unwrap();
        }
        // Working-day periods end on a working day after exactly `days` working days.
        let wd = cal.add_working_days(s, days);
        prop_assert!(cal.is_working_day(wd));
        if days > 0 {
            let counted = cal.working_days_between(s.next_day().unwrap(), wd.next_day().unwrap());
            prop_assert_eq!(counted, days);
        }
    }
}
