//! Units at work: who holds a matter (the assignment decides, not the place), the
//! centre's review of closings, and no second closing without a new handling step.

use fazhi_core::calendar::Calendar;
use fazhi_core::matter::{
    Action, ActionCode, Assignee, AssigneeKind, Channel, ClosureType, DeadlineRules, Hands, Kind,
    MatterState, MediationOutcome, Member, Satisfaction, Status, allowed_actions, apply, apply_as,
};
use fazhi_core::role::{Grant, Role};
use fazhi_core::stats::Figure;
use time::macros::date;

const TOWN: &str = "/1/2/";
const VILLAGE_PATH: &str = "/1/2/5/";
const SIFASUO: Assignee = Assignee {
    kind: AssigneeKind::Unit,
    id: 7,
};
const BRIGADE: Assignee = Assignee {
    kind: AssigneeKind::Unit,
    id: 8,
};

fn grant(role: Role, id: i64, path: &str) -> Grant {
    Grant {
        id: 0,
        role,
        division_id: id,
        division_path: path.into(),
    }
}

struct World {
    cal: Calendar,
    rules: DeadlineRules,
}

impl World {
    fn as_(&self, m: &MatterState, who: Hands, a: Action) -> Result<MatterState, String> {
        let today = date!(2026 - 03 - 10);
        apply_as(m, &a, who, today, &self.cal, &self.rules)
            .map(|t| {
                t.state.check_invariants(&self.rules).unwrap();
                t.state
            })
            .map_err(|e| e.message().to_string())
    }
}

fn close() -> Action {
    Action::Close {
        closure_type: ClosureType::Substantive,
        resolved: true,
        outcome: Some(MediationOutcome::Success),
        directed_to: None,
        opinion: None,
    }
}

/// A dispute in the village, assigned to the 司法所 with the brigade supporting.
fn assigned(w: &World) -> MatterState {
    let d0 = date!(2026 - 03 - 02);
    let m = MatterState::register(Kind::Dispute, Channel::Visit, d0, &w.cal, &w.rules);
    let m = apply(&m, &Action::Accept, d0, &w.cal, &w.rules)
        .unwrap()
        .state;
    let a = Action::Assign {
        assignee: SIFASUO,
        co_handlers: vec![BRIGADE],
        due: None,
    };
    apply(&m, &a, d0, &w.cal, &w.rules).unwrap().state
}

#[test]
fn the_assignment_decides_who_acts() {
    let w = World {
        cal: Calendar::builtin(),
        rules: DeadlineRules::default(),
    };
    let m = assigned(&w);
    let mediator = [grant(Role::VillageMediator, 5, VILLAGE_PATH)];
    let centre = [grant(Role::CenterStaff, 2, TOWN)];
    let leader = [grant(Role::TownshipLeader, 2, TOWN)];
    let unit_staff = [grant(Role::UnitStaff, 2, TOWN)];
    let hands = |grants: &[Grant], unit| {
        let who = Member {
            grants,
            unit_id: unit,
        };
        Hands::of(who, VILLAGE_PATH, &m, Some(TOWN))
    };
    // The village mediator reads but does not act on the 司法所's matter.
    let h = hands(&mediator, None);
    assert_eq!(h, Hands::default());
    assert!(allowed_actions(&m, &w.rules, h).is_empty());
    let err = w
        .as_(
            &m,
            h,
            Action::Pause {
                reason: "等待鉴定".into(),
            },
        )
        .unwrap_err();
    assert!(err.contains("承办单位"), "{err}");
    // The 司法所's member holds it; the brigade's member supports; the centre manages.
    let member = hands(&unit_staff, Some(SIFASUO.id));
    assert!(member.handle && !member.manage && !member.support);
    let support = hands(&unit_staff, Some(BRIGADE.id));
    assert!(support.support && !support.handle);
    assert_eq!(
        allowed_actions(&m, &w.rules, support),
        vec![ActionCode::Feedback]
    );
    let c = hands(&centre, Some(99));
    assert!(c.manage && c.handle);
    let l = hands(&leader, None);
    assert!(l.manage && !l.handle);
    // A member without a handling role holds nothing, whatever their unit.
    let officer_only = [grant(Role::Admin, 2, TOWN)];
    assert_eq!(hands(&officer_only, Some(SIFASUO.id)), Hands::default());
    // When the matter is assigned to the village, the mediator holds it.
    let v = Assignee {
        kind: AssigneeKind::Division,
        id: 5,
    };
    let mut mv = m.clone();
    mv.assignment.as_mut().unwrap().assignee = v;
    let who = Member {
        grants: &mediator,
        unit_id: None,
    };
    assert!(Hands::of(who, VILLAGE_PATH, &mv, Some(VILLAGE_PATH)).handle);
}

#[test]
fn sign_feedback_review_and_no_second_closing() {
    let w = World {
        cal: Calendar::builtin(),
        rules: DeadlineRules::default(),
    };
    let m = assigned(&w);
    let member = Hands {
        manage: false,
        handle: true,
        support: false,
    };
    let support = Hands {
        support: true,
        ..Hands::default()
    };
    let centre = Hands {
        manage: true,
        handle: true,
        support: false,
    };
    let m = w.as_(&m, member, Action::Acknowledge).unwrap();
    assert_eq!(m.status, Status::InProgress);
    assert_eq!(
        m.assignment.as_ref().unwrap().acknowledged_on,
        Some(date!(2026 - 03 - 10))
    );
    // The supporting unit reports on its own part; it cannot close.
    let m = w
        .as_(
            &m,
            support,
            Action::Feedback {
                summary: "已现场核查".into(),
                result: false,
                by: Some(BRIGADE),
            },
        )
        .unwrap();
    assert_eq!(m.feedbacks, 1);
    assert!(w.as_(&m, support, close()).is_err());
    // Feedback on behalf of a handler that is not on the matter is refused.
    let stranger = Assignee {
        kind: AssigneeKind::Unit,
        id: 99,
    };
    let fb = Action::Feedback {
        summary: "x".into(),
        result: false,
        by: Some(stranger),
    };
    assert!(w.as_(&m, support, fb).is_err());
    // The unit's closing waits for review and counts nowhere yet.
    let m = w.as_(&m, member, close()).unwrap();
    assert_eq!(m.status, Status::Reviewing);
    assert!(!Figure::Closed.counts(&m, false));
    assert!(!Figure::Resolved.counts(&m, false));
    assert!(w.as_(&m, member, close()).is_err(), "closed twice");
    assert!(w.as_(&m, member, Action::ApproveClosure).is_err());
    // Rejected with a reason (required): back to the 司法所.
    let err = w
        .as_(&m, centre, Action::RejectClosure { reason: " ".into() })
        .unwrap_err();
    assert!(err.contains("退回理由"));
    let m = w
        .as_(
            &m,
            centre,
            Action::RejectClosure {
                reason: "缺少调解协议".into(),
            },
        )
        .unwrap();
    assert_eq!(m.status, Status::InProgress);
    assert!(m.closure.is_none() && m.closure_rejections == 1);
    // Not closed again before a new handling step.
    assert!(!allowed_actions(&m, &w.rules, member).contains(&ActionCode::Close));
    let err = w.as_(&m, member, close()).unwrap_err();
    assert!(err.contains("新的办理情况"), "{err}");
    let m = w
        .as_(
            &m,
            member,
            Action::Feedback {
                summary: "补充调解协议".into(),
                result: true,
                by: Some(SIFASUO),
            },
        )
        .unwrap();
    let m = w.as_(&m, member, close()).unwrap();
    let m = w.as_(&m, centre, Action::ApproveClosure).unwrap();
    assert_eq!(m.status, Status::Closed);
    assert!(Figure::Closed.counts(&m, false) && Figure::ClosedOnTime.counts(&m, false));
    // A dissatisfied follow-up: re-handled (counted), and a new step before closing.
    let m = w
        .as_(
            &m,
            centre,
            Action::FollowUp {
                satisfaction: Satisfaction::Dissatisfied,
            },
        )
        .unwrap();
    let m = w
        .as_(
            &m,
            centre,
            Action::Reopen {
                reason: "当事人不满意".into(),
            },
        )
        .unwrap();
    assert_eq!((m.status, m.reopened), (Status::InProgress, 1));
    assert!(w.as_(&m, centre, close()).is_err());
    // The centre's own closing needs no review.
    let m = w
        .as_(
            &m,
            centre,
            Action::RecordMediation {
                held_on: date!(2026 - 03 - 10),
                summary: "再次调解".into(),
                outcome: Some(MediationOutcome::Success),
            },
        )
        .unwrap();
    let m = w.as_(&m, centre, close()).unwrap();
    assert_eq!(m.status, Status::Closed);
}

#[test]
fn the_centre_assesses_risk_and_pressing_matters_come_first() {
    use fazhi_core::matter::RiskLevel;
    let w = World {
        cal: Calendar::builtin(),
        rules: DeadlineRules::default(),
    };
    let m = assigned(&w);
    assert!(!m.is_pressing());
    let centre = Hands {
        manage: true,
        handle: true,
        support: false,
    };
    let member = Hands {
        handle: true,
        ..Hands::default()
    };
    let assess = |risk, urgent, people: Option<u32>, note: &str| Action::Assess {
        risk,
        urgent,
        group_people: people,
        summary: note.into(),
    };
    // Only the centre assesses.
    assert!(
        w.as_(&m, member, assess(RiskLevel::Red, false, None, "x"))
            .is_err()
    );
    let err = w
        .as_(&m, centre, assess(RiskLevel::Red, false, None, " "))
        .unwrap_err();
    assert!(err.contains("研判意见"), "{err}");
    let err = w
        .as_(
            &m,
            centre,
            assess(RiskLevel::Orange, false, Some(1), "群体"),
        )
        .unwrap_err();
    assert!(err.contains("不少于2人"), "{err}");
    let m2 = w
        .as_(
            &m,
            centre,
            assess(RiskLevel::Orange, false, Some(30), "三十余户联名反映"),
        )
        .unwrap();
    let a = m2.assessment.as_ref().unwrap();
    assert_eq!((a.risk, a.group_people), (RiskLevel::Orange, Some(30)));
    assert!(!m2.is_pressing());
    let m3 = w
        .as_(
            &m2,
            centre,
            assess(RiskLevel::Yellow, true, None, "当事人情绪激动"),
        )
        .unwrap();
    assert!(m3.is_pressing(), "urgent");
    let m4 = w
        .as_(
            &m,
            centre,
            assess(RiskLevel::Red, false, None, "扬言极端行为"),
        )
        .unwrap();
    assert!(m4.is_pressing(), "red");
    assert_eq!(
        m4.status, m.status,
        "an assessment does not move the matter"
    );
}
