//! Roles, the permissions they carry, and the scope a user acts in.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::division::path_in_subtree;

/// A role granted to a user on a division subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    DistrictSupervisor,
    TownshipLeader,
    CenterStaff,
    VillageMediator,
    GridWorker,
    EnforcementOfficer,
    LegalReviewer,
    /// Staff of a unit (司法所, 派出所, 信访办 …): handles what is assigned to the unit.
    UnitStaff,
    /// An external legal adviser (法律顾问, a contracted lawyer): the review items put to
    /// them and their own work log, in the township of the grant; nothing else.
    LegalAdviser,
}

/// Something a user may do; roles are bundles of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read divisions, grids and units.
    ViewOrg,
    /// Create and change divisions, grids and units.
    ManageOrg,
    /// Create users, reset passwords, grant and revoke roles.
    ManageUsers,
    /// Create and revoke API tokens for integrations.
    ManageTokens,
    /// Read the audit log.
    ViewAudit,
    /// Read matters and their figures.
    ViewMatters,
    /// Register matters at the centre and triage them.
    RegisterMatter,
    /// Report a matter from the field (grid workers).
    ReportMatter,
    /// Work on an assigned matter: mediation, closing.
    HandleMatter,
    /// Assign, supervise, accept and close matters.
    ManageMatters,
    /// See ID numbers and phones in full (each reveal is audited).
    RevealPersonalData,
    /// Edit the holiday calendar and deadline settings.
    ManageSettings,
    /// Read and compare townships' annual reports.
    ReadReports,
    /// Read publicity events, study sessions, rosters and their figures.
    ViewEducation,
    /// Record publicity events (普法活动) at a place.
    RecordEducation,
    /// Record study sessions (学法) and keep the rosters of a place.
    ManageEducation,
    /// Read enforcement cases and their figures.
    ViewCases,
    /// Work on enforcement cases as an officer (立案, 调查取证, 告知, 送达 …).
    HandleCase,
    /// Give the legal review (法制审核) of cases.
    ReviewCase,
    /// Decide cases as the head of the agency (决定, 集体讨论, 延期, 归档).
    DecideCase,
    /// Maintain the enforcement item list.
    ManageItems,
    /// Read the legal review desk and its figures.
    ViewLegalReviews,
    /// Put items on the review desk and answer the opinion (the drafting side).
    SubmitLegalReview,
    /// Give the legality review opinion (合法性审查).
    GiveLegalReview,
    /// Read major decisions and their catalogue.
    ViewDecisions,
    /// Carry a major decision through its steps (the lead unit's work).
    ManageDecisions,
    /// The head's part: the catalogue's agreement and publication, the collective
    /// discussion, the report to the Party committee, publication of a decision.
    DecideMajor,
    /// The district's supervision of townships' annual reports: 督办 notices.
    SuperviseReports,
    /// Rate the heads' 述法 statements (the district's assessment).
    RateStatements,
    /// Act as an external legal adviser: read the review items put to the account's
    /// adviser and its own work log (with `GiveLegalReview` for the opinions).
    ActAsLegalAdviser,
}

pub const ALL_ROLES: [Role; 10] = [
    Role::Admin,
    Role::DistrictSupervisor,
    Role::TownshipLeader,
    Role::CenterStaff,
    Role::VillageMediator,
    Role::GridWorker,
    Role::EnforcementOfficer,
    Role::LegalReviewer,
    Role::UnitStaff,
    Role::LegalAdviser,
];

impl Role {
    /// Stable code used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::DistrictSupervisor => "district_supervisor",
            Role::TownshipLeader => "township_leader",
            Role::CenterStaff => "center_staff",
            Role::VillageMediator => "village_mediator",
            Role::GridWorker => "grid_worker",
            Role::EnforcementOfficer => "enforcement_officer",
            Role::LegalReviewer => "legal_reviewer",
            Role::UnitStaff => "unit_staff",
            Role::LegalAdviser => "legal_adviser",
        }
    }

    /// Chinese label for pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::DistrictSupervisor => "区依法治区办",
            Role::TownshipLeader => "镇（街道）领导",
            Role::CenterStaff => "综治中心工作人员",
            Role::VillageMediator => "村（社区）调解员",
            Role::GridWorker => "网格员",
            Role::EnforcementOfficer => "综合行政执法队员",
            Role::LegalReviewer => "法制审核人员",
            Role::UnitStaff => "部门（站所）工作人员",
            Role::LegalAdviser => "法律顾问（外聘）",
        }
    }

    /// The permissions this role carries.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &[
                ViewOrg,
                ManageOrg,
                ManageUsers,
                ManageTokens,
                ViewAudit,
                ManageSettings,
                ViewMatters,
                ReadReports,
                ManageItems,
                ViewEducation,
            ],
            Role::DistrictSupervisor => &[
                ViewOrg,
                ViewMatters,
                ReadReports,
                SuperviseReports,
                ViewAudit,
                ViewCases,
                ViewEducation,
                ViewLegalReviews,
                ViewDecisions,
                RateStatements,
            ],
            Role::TownshipLeader => &[
                ViewOrg,
                ViewMatters,
                ManageMatters,
                RevealPersonalData,
                ViewCases,
                DecideCase,
                ViewEducation,
                RecordEducation,
                ManageEducation,
                ViewLegalReviews,
                SubmitLegalReview,
                ViewDecisions,
                ManageDecisions,
                DecideMajor,
            ],
            Role::CenterStaff => &[
                ViewOrg,
                ViewMatters,
                RegisterMatter,
                HandleMatter,
                ManageMatters,
                RevealPersonalData,
                ViewEducation,
                RecordEducation,
                ManageEducation,
                ViewLegalReviews,
                SubmitLegalReview,
                ViewDecisions,
                ManageDecisions,
            ],
            Role::VillageMediator => &[
                ViewOrg,
                ViewMatters,
                RegisterMatter,
                HandleMatter,
                ViewEducation,
                RecordEducation,
                ManageEducation,
            ],
            Role::GridWorker => &[
                ViewOrg,
                ViewMatters,
                ReportMatter,
                ViewEducation,
                RecordEducation,
            ],
            // Members of a unit (the account's unit) act on what is assigned to it; the
            // assignment, not the role, decides which matters (matter::Hands). 谁执法谁普法:
            // enforcement, unit and review staff hold publicity events too.
            Role::EnforcementOfficer => &[
                ViewOrg,
                ViewMatters,
                HandleMatter,
                ViewCases,
                HandleCase,
                ManageItems,
                ViewEducation,
                RecordEducation,
                ViewLegalReviews,
                SubmitLegalReview,
            ],
            Role::UnitStaff => &[
                ViewOrg,
                ViewMatters,
                HandleMatter,
                ViewEducation,
                RecordEducation,
                ViewLegalReviews,
                SubmitLegalReview,
                ViewDecisions,
                ManageDecisions,
            ],
            Role::LegalReviewer => &[
                ViewOrg,
                ViewCases,
                ReviewCase,
                ManageItems,
                ViewEducation,
                RecordEducation,
                ViewLegalReviews,
                GiveLegalReview,
                ViewDecisions,
            ],
            // Deliberately narrow: no org, matters, parties or cases.
            Role::LegalAdviser => &[GiveLegalReview, ActAsLegalAdviser],
        }
    }

    pub fn has(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL_ROLES
            .iter()
            .copied()
            .find(|r| r.as_str() == s || r.label_zh() == s)
            .ok_or_else(|| format!("未知的角色：{s}"))
    }
}

/// One role granted on one division subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub division_id: i64,
    /// Materialised path of the division (see `division::child_path`).
    pub division_path: String,
}

/// The division subtrees in which a user holds one permission.
/// Every read and write of scoped records filters by this: nothing outside is visible.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// Root paths of the subtrees, none of them inside another.
    pub roots: Vec<String>,
}

impl Scope {
    /// The scope of `perm` over a user's grants.
    pub fn for_permission(grants: &[Grant], perm: Permission) -> Scope {
        let mut roots: Vec<String> = grants
            .iter()
            .filter(|g| g.role.has(perm))
            .map(|g| g.division_path.clone())
            .collect();
        roots.sort();
        roots.dedup();
        // Drop roots already covered by a shorter one, so queries stay small.
        let covered: Vec<String> = roots
            .iter()
            .filter(|r| roots.iter().any(|o| o != *r && path_in_subtree(r, o)))
            .cloned()
            .collect();
        roots.retain(|r| !covered.contains(r));
        Scope { roots }
    }

    /// Whether the scope is empty (the permission is not held anywhere).
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Whether a record at `path` is inside the scope.
    pub fn covers(&self, path: &str) -> bool {
        self.roots.iter().any(|r| path_in_subtree(path, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str) -> Grant {
        Grant {
            id: 0,
            role,
            division_id: 0,
            division_path: path.into(),
        }
    }

    #[test]
    fn scope_merges_nested_roots() {
        let g = vec![
            grant(Role::CenterStaff, "/1/2/"),
            grant(Role::VillageMediator, "/1/2/5/"),
            grant(Role::GridWorker, "/1/3/7/"),
        ];
        let s = Scope::for_permission(&g, Permission::ViewMatters);
        assert_eq!(s.roots, vec!["/1/2/".to_string(), "/1/3/7/".to_string()]);
        assert!(s.covers("/1/2/9/"));
        assert!(!s.covers("/1/3/8/"));
        let s = Scope::for_permission(&g, Permission::ManageOrg);
        assert!(s.is_empty());
    }

    #[test]
    fn roles_round_trip() {
        for r in ALL_ROLES {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
            assert_eq!(r.label_zh().parse::<Role>().unwrap(), r);
        }
    }
}
