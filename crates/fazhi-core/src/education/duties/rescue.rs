//! The rest of 突发事件应对法's township duties (rules-2 §8): the grass-roots rescue
//! teams (应急救援队伍, Art 39: team, members, leader, a phone sealed like the
//! rosters') and the campaigns (专项行动: name, period, results).

use time::Date;

use super::{optional_ahead, optional_past};
use crate::education::input::{FieldErrors, count, date_of, optional_text, text};
use crate::validate;

/// Most members a team record may give.
pub const MAX_TEAM_MEMBERS: i64 = 10_000;

/// A rescue team as entered.
#[derive(Debug, Clone, Default)]
pub struct RescueTeamDraft {
    pub name: String,
    pub members: Option<i64>,
    pub leader: String,
    pub leader_phone: String,
    /// What it is for (防汛, 森林防火, 综合 …).
    pub specialty: String,
    /// When it was formed (optional).
    pub formed_on: String,
}

/// A checked rescue team; the phone is canonical digits (sealed when stored).
#[derive(Debug, Clone, PartialEq)]
pub struct RescueTeamFields {
    pub name: String,
    pub members: i64,
    pub leader: String,
    pub leader_phone: Option<String>,
    pub specialty: Option<String>,
    pub formed_on: Option<Date>,
}

/// Checks a rescue team: a name, at least one member, a leader.
pub fn check_rescue_team(
    d: &RescueTeamDraft,
    today: Date,
) -> Result<RescueTeamFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let name = text(&mut e, "name", "队伍名称", &d.name, 100);
    let members = match d.members {
        None => {
            e.add("members", "请填写队员人数");
            0
        }
        Some(n) if !(1..=MAX_TEAM_MEMBERS).contains(&n) => {
            e.add("members", format!("队员人数须在1到{MAX_TEAM_MEMBERS}之间"));
            0
        }
        n => count(&mut e, "members", "队员人数", n),
    };
    let leader = text(&mut e, "leader", "队长", &d.leader, 30);
    let leader_phone = match validate::staff_phone(Some(&d.leader_phone)) {
        Ok(p) => p,
        Err(m) => {
            e.add("leader_phone", m);
            None
        }
    };
    let specialty = optional_text(&mut e, "specialty", "队伍类别", &d.specialty, 50);
    let formed_on = optional_past(&mut e, "formed_on", "组建日期", &d.formed_on, today);
    e.or(|| RescueTeamFields {
        name,
        members,
        leader,
        leader_phone,
        specialty,
        formed_on,
    })
}

/// A campaign (专项行动) as entered.
#[derive(Debug, Clone, Default)]
pub struct CampaignDraft {
    pub name: String,
    pub starts_on: String,
    /// Empty while it runs with no set end.
    pub ends_on: String,
    pub results: String,
}

/// A checked campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignFields {
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub results: Option<String>,
}

/// Checks a campaign: a name, a start (2000 to today), an end not before it (it may lie
/// ahead), results as text.
pub fn check_campaign(d: &CampaignDraft, today: Date) -> Result<CampaignFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let name = text(&mut e, "name", "行动名称", &d.name, 100);
    if d.starts_on.trim().is_empty() {
        e.add("starts_on", "请填写开始日期");
    }
    let starts_on = date_of(&mut e, "starts_on", "开始日期", &d.starts_on, today);
    let ends_on = optional_ahead(&mut e, "ends_on", "结束日期", &d.ends_on, today);
    if ends_on.is_some_and(|end| end < starts_on) {
        e.add("ends_on", "结束日期不能早于开始日期");
    }
    let results = optional_text(&mut e, "results", "行动成效", &d.results, 2000);
    e.or(|| CampaignFields {
        name,
        starts_on,
        ends_on,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_calendar_date(2026, time::Month::December, 6).unwrap()
    }

    #[test]
    fn a_team_needs_a_name_members_and_a_leader() {
        let ok = check_rescue_team(
            &RescueTeamDraft {
                name: "青石镇防汛抢险队".into(),
                members: Some(24),
                leader: "王强".into(),
                leader_phone: "138 1234 5678".into(),
                ..RescueTeamDraft::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(ok.leader_phone.as_deref(), Some("13812345678"));
        let bad = check_rescue_team(
            &RescueTeamDraft {
                members: Some(0),
                leader_phone: "12".into(),
                ..RescueTeamDraft::default()
            },
            today(),
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "members", "leader", "leader_phone"]);
    }

    #[test]
    fn a_campaign_ends_after_it_starts() {
        let d = |s: &str, e: &str| CampaignDraft {
            name: "安全生产大检查".into(),
            starts_on: s.into(),
            ends_on: e.into(),
            results: String::new(),
        };
        assert!(check_campaign(&d("2026-06-01", "2027-01-31"), today()).is_ok());
        let e = check_campaign(&d("2026-06-01", "2026-05-01"), today()).unwrap_err();
        assert_eq!(e.0[0].0, "ends_on");
        assert!(check_campaign(&d("", ""), today()).is_err());
    }
}
