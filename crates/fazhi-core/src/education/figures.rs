//! The figures of legal education, each defined once: what it counts, in which
//! measure word, and which records it counts (so every number links to them). The
//! annual report, the statistics page and the API all take them from [`tally`] over
//! one township (or village) and one year.

use serde::Serialize;

use super::codes::{EventKind, RosterRole, StudyKind};
use crate::stats::percent;

/// 法律明白人 per administrative village: at least three (rules-2.md §6).
pub const LEGAL_LITERATE_TARGET: i64 = 3;

/// Which records a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Records {
    Events,
    StudySessions,
    Roster,
    Statements,
    Villages,
    Visits,
    Emergency,
    /// The villages' 积分 (the points page).
    Points,
    /// Rescue teams and campaigns.
    Rescue,
}

/// A figure of the education work stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EduFigure {
    Events,
    Participants,
    Reached,
    Materials,
    StudySessions,
    StudyHours,
    AttendanceRate,
    LegalLiterate,
    VillagesShort,
    Statements,
    ModelVillages,
    VillagesWithAdviser,
    EnterpriseVisits,
    RectificationRate,
    EmergencyPlans,
    Drills,
    VillagePoints,
    RescueTeams,
    RescueMembers,
}

impl EduFigure {
    pub const ALL: [EduFigure; 19] = [
        EduFigure::Events,
        EduFigure::Participants,
        EduFigure::Reached,
        EduFigure::Materials,
        EduFigure::StudySessions,
        EduFigure::StudyHours,
        EduFigure::AttendanceRate,
        EduFigure::LegalLiterate,
        EduFigure::VillagesShort,
        EduFigure::Statements,
        EduFigure::ModelVillages,
        EduFigure::VillagesWithAdviser,
        EduFigure::EnterpriseVisits,
        EduFigure::RectificationRate,
        EduFigure::EmergencyPlans,
        EduFigure::Drills,
        EduFigure::VillagePoints,
        EduFigure::RescueTeams,
        EduFigure::RescueMembers,
    ];

    /// Key in the API.
    pub const fn key(self) -> &'static str {
        match self {
            EduFigure::Events => "events",
            EduFigure::Participants => "participants",
            EduFigure::Reached => "reached",
            EduFigure::Materials => "materials",
            EduFigure::StudySessions => "study_sessions",
            EduFigure::StudyHours => "study_hours",
            EduFigure::AttendanceRate => "attendance_rate",
            EduFigure::LegalLiterate => "legal_literate",
            EduFigure::VillagesShort => "villages_short",
            EduFigure::Statements => "statements",
            EduFigure::ModelVillages => "model_villages",
            EduFigure::VillagesWithAdviser => "villages_with_adviser",
            EduFigure::EnterpriseVisits => "enterprise_visits",
            EduFigure::RectificationRate => "rectification_rate",
            EduFigure::EmergencyPlans => "emergency_plans",
            EduFigure::Drills => "drills",
            EduFigure::VillagePoints => "village_points",
            EduFigure::RescueTeams => "rescue_teams",
            EduFigure::RescueMembers => "rescue_members",
        }
    }

    /// Chinese name.
    pub const fn label(self) -> &'static str {
        match self {
            EduFigure::Events => "普法活动",
            EduFigure::Participants => "现场参与",
            EduFigure::Reached => "受众",
            EduFigure::Materials => "发放普法资料",
            EduFigure::StudySessions => "学法活动",
            EduFigure::StudyHours => "学法时长",
            EduFigure::AttendanceRate => "参学率",
            EduFigure::LegalLiterate => "法律明白人",
            EduFigure::VillagesShort => "法律明白人不足的村（社区）",
            EduFigure::Statements => "述法报告",
            EduFigure::ModelVillages => "民主法治示范村（社区）",
            EduFigure::VillagesWithAdviser => "配备法律顾问的村（社区）",
            EduFigure::EnterpriseVisits => "法治体检走访企业",
            EduFigure::RectificationRate => "法治体检问题整改率",
            EduFigure::EmergencyPlans => "应急预案",
            EduFigure::Drills => "应急演练",
            EduFigure::VillagePoints => "村（社区）普法积分",
            EduFigure::RescueTeams => "应急救援队伍",
            EduFigure::RescueMembers => "应急救援队员",
        }
    }

    /// Measure word (量词) or unit.
    pub const fn unit(self) -> &'static str {
        match self {
            EduFigure::Events => "场",
            EduFigure::Participants | EduFigure::Reached => "人次",
            EduFigure::Materials => "份",
            EduFigure::StudySessions => "次",
            EduFigure::StudyHours => "学时",
            EduFigure::AttendanceRate => "%",
            EduFigure::LegalLiterate => "名",
            EduFigure::VillagesShort => "个",
            EduFigure::Statements => "份",
            EduFigure::ModelVillages | EduFigure::VillagesWithAdviser => "个",
            EduFigure::EnterpriseVisits => "家次",
            EduFigure::RectificationRate => "%",
            EduFigure::EmergencyPlans => "件",
            EduFigure::Drills => "次",
            EduFigure::VillagePoints => "分",
            EduFigure::RescueTeams => "支",
            EduFigure::RescueMembers => "人",
        }
    }

    /// How it is counted, for the page and the API.
    pub const fn definition(self) -> &'static str {
        match self {
            EduFigure::Events => "年内（按活动日期）登记的普法活动场次",
            EduFigure::Participants => "上述活动现场参与人数之和",
            EduFigure::Reached => "上述活动受众人次之和（含线上；未填时按现场参与人数计）",
            EduFigure::Materials => "上述活动发放普法资料份数之和",
            EduFigure::StudySessions => {
                "年内（按学习日期）登记的中心组学法、会前学法、专题讲座和培训次数"
            }
            EduFigure::StudyHours => "上述学法活动的时长之和（每次按登记的学时计）",
            EduFigure::AttendanceRate => "实到人次 ÷ 应到人次 × 100%（应到、实到按签到名单）",
            EduFigure::LegalLiterate => "在册（未退出）的法律明白人人数",
            EduFigure::VillagesShort => "在册法律明白人少于3名的村（社区）个数",
            EduFigure::Statements => "年内（按述法年度）登记的党政主要负责人述法报告份数",
            EduFigure::ModelVillages => {
                "现有民主法治示范村（社区）称号（任一级别）的村（社区）个数"
            }
            EduFigure::VillagesWithAdviser => "已登记法律顾问的村（社区）个数（一村一法律顾问）",
            EduFigure::EnterpriseVisits => "年内（按走访日期）登记的企业法治体检走访次数",
            EduFigure::RectificationRate => {
                "上述走访中发现的问题已整改完毕的走访数 ÷ 发现问题的走访数 × 100%"
            }
            EduFigure::EmergencyPlans => "登记在册的应急预案件数（按现行版本）",
            EduFigure::Drills => "年内（按演练日期）登记的应急演练次数",
            EduFigure::VillagePoints => {
                "实行积分制的镇（街道）所辖村（社区）年内普法活动按活动类型计得的积分之和（镇街本级活动不计）"
            }
            EduFigure::RescueTeams => "登记在册的应急救援队伍支数",
            EduFigure::RescueMembers => "上述应急救援队伍登记的队员人数之和",
        }
    }

    /// The records the figure counts (its drill-down list).
    pub const fn records(self) -> Records {
        match self {
            EduFigure::Events
            | EduFigure::Participants
            | EduFigure::Reached
            | EduFigure::Materials => Records::Events,
            EduFigure::StudySessions | EduFigure::StudyHours | EduFigure::AttendanceRate => {
                Records::StudySessions
            }
            EduFigure::LegalLiterate | EduFigure::VillagesShort => Records::Roster,
            EduFigure::Statements => Records::Statements,
            EduFigure::ModelVillages | EduFigure::VillagesWithAdviser => Records::Villages,
            EduFigure::EnterpriseVisits | EduFigure::RectificationRate => Records::Visits,
            EduFigure::EmergencyPlans | EduFigure::Drills => Records::Emergency,
            EduFigure::VillagePoints => Records::Points,
            EduFigure::RescueTeams | EduFigure::RescueMembers => Records::Rescue,
        }
    }

    /// Its value in a tally (hours and rates with two decimals; None: nothing to divide).
    pub fn value(self, t: &EducationTally) -> Option<f64> {
        Some(match self {
            EduFigure::Events => t.events as f64,
            EduFigure::Participants => t.participants as f64,
            EduFigure::Reached => t.reached as f64,
            EduFigure::Materials => t.materials as f64,
            EduFigure::StudySessions => t.study_sessions as f64,
            EduFigure::StudyHours => t.study_hours(),
            EduFigure::AttendanceRate => return t.attendance_rate(),
            EduFigure::LegalLiterate => t.legal_literate as f64,
            EduFigure::VillagesShort => t.villages_short().count() as f64,
            EduFigure::Statements => t.statements as f64,
            EduFigure::ModelVillages => t.model_villages as f64,
            EduFigure::VillagesWithAdviser => t.villages_with_adviser as f64,
            EduFigure::EnterpriseVisits => t.visits as f64,
            EduFigure::RectificationRate => {
                return percent(t.visits_rectified, t.visits_with_issues);
            }
            EduFigure::EmergencyPlans => t.emergency_plans as f64,
            EduFigure::Drills => t.drills as f64,
            EduFigure::VillagePoints => t.village_points as f64,
            EduFigure::RescueTeams => t.rescue_teams as f64,
            EduFigure::RescueMembers => t.rescue_members as f64,
        })
    }
}

/// What the tally needs of one event.
#[derive(Debug, Clone)]
pub struct EventFacts {
    pub kind: EventKind,
    /// Theme day key and name, if held for one.
    pub theme: Option<(String, String)>,
    /// Code and name of the division where it was held.
    pub division: (String, String),
    pub participants: i64,
    pub reached: i64,
    pub materials: i64,
}

/// What the tally needs of one study session.
#[derive(Debug, Clone)]
pub struct StudyFacts {
    pub kind: StudyKind,
    pub minutes: i64,
    /// Accounts expected (应到) and present (实到).
    pub expected: i64,
    pub present: i64,
}

/// One active roster entry: its role and village code.
#[derive(Debug, Clone)]
pub struct RosterFacts {
    pub role: RosterRole,
    pub village_code: String,
}

/// Events grouped by one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// Code of the group (event type, theme key, division code); empty for "none".
    pub key: String,
    pub label: String,
    pub events: i64,
    pub participants: i64,
    pub reached: i64,
    pub materials: i64,
}

/// The roster of one village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VillageRoster {
    pub code: String,
    pub name: String,
    pub legal_literate: i64,
    pub mediators: i64,
    pub grid_workers: i64,
    /// 法律明白人 missing to reach [`LEGAL_LITERATE_TARGET`].
    pub short_by: i64,
}

/// Every figure of one place and year, with its breakdowns.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EducationTally {
    pub events: i64,
    pub participants: i64,
    pub reached: i64,
    pub materials: i64,
    pub by_kind: Vec<Group>,
    pub by_theme: Vec<Group>,
    pub by_division: Vec<Group>,
    pub study_sessions: i64,
    pub study_minutes: i64,
    pub attendance_expected: i64,
    pub attendance_present: i64,
    /// Sessions and minutes per form of study.
    pub by_study_kind: Vec<(StudyKind, i64, i64)>,
    pub legal_literate: i64,
    pub mediators: i64,
    pub grid_workers: i64,
    /// Every village of the place, whether it has anyone on the roster or not.
    pub villages: Vec<VillageRoster>,
    /// 述法 statements on the year.
    pub statements: i64,
    /// Villages holding a 民主法治示范村 title, and those with a legal adviser.
    pub model_villages: i64,
    pub villages_with_adviser: i64,
    /// Enterprise visits of the year, those that found issues, and of these the
    /// rectified ones.
    pub visits: i64,
    pub visits_with_issues: i64,
    pub visits_rectified: i64,
    /// Emergency plans on file, and drills of the year.
    pub emergency_plans: i64,
    pub drills: i64,
    /// The villages' 积分 of the year, where the township uses 积分制.
    pub village_points: i64,
    /// Rescue teams on file and their members.
    pub rescue_teams: i64,
    pub rescue_members: i64,
}

/// The facts of the duties beside publicity (述法, villages, visits, emergency) that
/// [`count_duties`] adds to a tally.
#[derive(Debug, Clone, Default)]
pub struct DutyFacts {
    pub statements: i64,
    /// Per village with a recorded standing: (holds a title, has an adviser).
    pub villages: Vec<(bool, bool)>,
    /// Per visit of the year: (issues found, rectified).
    pub visits: Vec<(i64, bool)>,
    pub emergency_plans: i64,
    pub drills: i64,
    /// Points earned by villages (counted with `points::village_points`).
    pub village_points: i64,
    /// Members of each rescue team on file.
    pub rescue_teams: Vec<i64>,
}

/// Adds the duty figures to a tally (one definition, used by every caller).
pub fn count_duties(t: &mut EducationTally, d: &DutyFacts) {
    t.statements = d.statements;
    t.model_villages = d.villages.iter().filter(|v| v.0).count() as i64;
    t.villages_with_adviser = d.villages.iter().filter(|v| v.1).count() as i64;
    t.visits = d.visits.len() as i64;
    t.visits_with_issues = d.visits.iter().filter(|v| v.0 > 0).count() as i64;
    t.visits_rectified = d.visits.iter().filter(|v| v.0 > 0 && v.1).count() as i64;
    t.emergency_plans = d.emergency_plans;
    t.drills = d.drills;
    t.village_points = d.village_points;
    t.rescue_teams = d.rescue_teams.len() as i64;
    t.rescue_members = d.rescue_teams.iter().sum();
}

impl EducationTally {
    /// Hours of study, two decimals.
    pub fn study_hours(&self) -> f64 {
        (self.study_minutes as f64 / 60.0 * 100.0).round() / 100.0
    }

    /// 参学率 in percent.
    pub fn attendance_rate(&self) -> Option<f64> {
        percent(self.attendance_present, self.attendance_expected)
    }

    /// The villages with fewer 法律明白人 than the target (the gap list).
    pub fn villages_short(&self) -> impl Iterator<Item = &VillageRoster> {
        self.villages.iter().filter(|v| v.short_by > 0)
    }
}

fn add(groups: &mut Vec<Group>, key: &str, label: &str, e: &EventFacts) {
    let g = match groups.iter_mut().position(|g| g.key == key) {
        Some(i) => &mut groups[i],
        None => {
            groups.push(Group {
                key: key.into(),
                label: label.into(),
                events: 0,
                participants: 0,
                reached: 0,
                materials: 0,
            });
            groups.last_mut().expect("just pushed")
        }
    };
    g.events += 1;
    g.participants += e.participants;
    g.reached += e.reached;
    g.materials += e.materials;
}

/// Counts the figures of a place and year from its records. `villages` are (code,
/// name) of every village in the place, so a village with nobody on the roster shows.
pub fn tally(
    events: &[EventFacts],
    study: &[StudyFacts],
    roster: &[RosterFacts],
    villages: &[(String, String)],
) -> EducationTally {
    let mut t = EducationTally::default();
    for e in events {
        t.events += 1;
        t.participants += e.participants;
        t.reached += e.reached;
        t.materials += e.materials;
        add(&mut t.by_kind, e.kind.as_str(), e.kind.label_zh(), e);
        match &e.theme {
            Some((key, name)) => add(&mut t.by_theme, key, name, e),
            None => add(&mut t.by_theme, "", "非主题日", e),
        }
        add(&mut t.by_division, &e.division.0, &e.division.1, e);
    }
    // Types in their display order; themes and places by their key (calendar order of
    // keys is not known here, the caller may reorder).
    t.by_kind
        .sort_by_key(|g| EventKind::ALL.iter().position(|k| k.as_str() == g.key));
    t.by_division.sort_by(|a, b| a.key.cmp(&b.key));
    for s in study {
        t.study_sessions += 1;
        t.study_minutes += s.minutes;
        t.attendance_expected += s.expected;
        t.attendance_present += s.present;
        match t.by_study_kind.iter_mut().find(|(k, _, _)| *k == s.kind) {
            Some(row) => {
                row.1 += 1;
                row.2 += s.minutes;
            }
            None => t.by_study_kind.push((s.kind, 1, s.minutes)),
        }
    }
    t.by_study_kind.sort_by_key(|(k, _, _)| *k);
    t.villages = villages
        .iter()
        .map(|(code, name)| {
            let n = |role| {
                roster
                    .iter()
                    .filter(|r| r.role == role && r.village_code == *code)
                    .count() as i64
            };
            let legal_literate = n(RosterRole::LegalLiterate);
            VillageRoster {
                code: code.clone(),
                name: name.clone(),
                legal_literate,
                mediators: n(RosterRole::Mediator),
                grid_workers: n(RosterRole::GridWorker),
                short_by: (LEGAL_LITERATE_TARGET - legal_literate).max(0),
            }
        })
        .collect();
    for r in roster {
        match r.role {
            RosterRole::LegalLiterate => t.legal_literate += 1,
            RosterRole::Mediator => t.mediators += 1,
            RosterRole::GridWorker => t.grid_workers += 1,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, theme: Option<&str>, village: &str, n: i64) -> EventFacts {
        EventFacts {
            kind,
            theme: theme.map(|t| (t.to_string(), format!("{t}名"))),
            division: (village.into(), format!("{village}村")),
            participants: n,
            reached: n * 2,
            materials: 10,
        }
    }

    #[test]
    fn figures_add_up_and_the_gap_list_names_short_villages() {
        let events = [
            ev(EventKind::Lecture, None, "v2", 30),
            ev(EventKind::ThemeDay, Some("constitution_day"), "v1", 100),
            ev(EventKind::ThemeDay, Some("constitution_day"), "v2", 50),
        ];
        let study = [
            StudyFacts {
                kind: StudyKind::PreMeeting,
                minutes: 30,
                expected: 4,
                present: 3,
            },
            StudyFacts {
                kind: StudyKind::CentralGroup,
                minutes: 90,
                expected: 2,
                present: 2,
            },
        ];
        let r = |role, v: &str| RosterFacts {
            role,
            village_code: v.into(),
        };
        let roster = [
            r(RosterRole::LegalLiterate, "v1"),
            r(RosterRole::LegalLiterate, "v1"),
            r(RosterRole::LegalLiterate, "v1"),
            r(RosterRole::LegalLiterate, "v2"),
            r(RosterRole::Mediator, "v2"),
        ];
        let villages = [("v1".into(), "一村".into()), ("v2".into(), "二村".into())];
        let t = tally(&events, &study, &roster, &villages);
        assert_eq!(
            (t.events, t.participants, t.reached, t.materials),
            (3, 180, 360, 30)
        );
        assert_eq!(t.by_kind[0].key, "theme_day");
        assert_eq!(t.by_kind[0].events, 2);
        let theme = t
            .by_theme
            .iter()
            .find(|g| g.key == "constitution_day")
            .unwrap();
        assert_eq!(theme.reached, 300);
        assert_eq!(t.study_hours(), 2.0);
        assert_eq!(t.attendance_rate(), Some(83.33));
        assert_eq!(t.by_study_kind[0], (StudyKind::CentralGroup, 1, 90));
        let short: Vec<_> = t
            .villages_short()
            .map(|v| (&v.code[..], v.short_by))
            .collect();
        assert_eq!(short, [("v2", 2)]);
        assert_eq!(EduFigure::VillagesShort.value(&t), Some(1.0));
        assert_eq!(
            EduFigure::AttendanceRate.value(&EducationTally::default()),
            None
        );
    }
}
