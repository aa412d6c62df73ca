//! JSON shapes of the admin API (kept apart from row types and view models).

use fazhi_db::admin::divisions::DivisionRow;
use fazhi_db::admin::grids::GridRow;
use fazhi_db::admin::units::UnitRow;
use fazhi_db::auth::users::UserRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A division.
#[derive(Debug, Serialize, ToSchema)]
pub struct DivisionOut {
    pub id: i64,
    /// 12-digit statistical code.
    pub code: String,
    pub name: String,
    pub level: fazhi_core::division::Level,
    pub parent_id: Option<i64>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl From<DivisionRow> for DivisionOut {
    fn from(d: DivisionRow) -> Self {
        DivisionOut {
            id: d.id,
            code: d.code,
            name: d.name,
            level: d.level,
            parent_id: d.parent_id,
            valid_from: d.valid_from.map(|d| d.to_string()),
            valid_to: d.valid_to.map(|d| d.to_string()),
        }
    }
}

/// A new division under `parent_code`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DivisionCreate {
    pub code: String,
    pub name: String,
    /// county | township | village
    pub level: String,
    pub parent_code: Option<String>,
    /// YYYY-MM-DD
    pub valid_from: Option<String>,
    /// YYYY-MM-DD
    pub valid_to: Option<String>,
}

/// Changes to a division.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DivisionPatch {
    pub name: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

/// A grid.
#[derive(Debug, Serialize, ToSchema)]
pub struct GridOut {
    pub id: i64,
    pub name: String,
    pub households: Option<i64>,
    pub division_code: String,
    pub division_name: String,
}

impl From<GridRow> for GridOut {
    fn from(g: GridRow) -> Self {
        GridOut {
            id: g.id,
            name: g.name,
            households: g.households,
            division_code: g.division_code,
            division_name: g.division_name,
        }
    }
}

/// A new grid under a village or community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridCreate {
    pub division_code: String,
    pub name: String,
    pub households: Option<i64>,
}

/// Changes to a grid.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridPatch {
    pub name: Option<String>,
    pub households: Option<i64>,
}

/// A unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOut {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub division_code: String,
    pub division_name: String,
}

impl From<UnitRow> for UnitOut {
    fn from(u: UnitRow) -> Self {
        UnitOut {
            id: u.id,
            name: u.name,
            kind: u.kind,
            division_code: u.division_code,
            division_name: u.division_name,
        }
    }
}

/// A new unit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitCreate {
    pub division_code: String,
    pub name: String,
    /// e.g. 综治中心, 司法所, 派出所
    pub kind: String,
}

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub disabled: bool,
    pub locked: bool,
    pub grid_id: Option<i64>,
    pub unit_id: Option<i64>,
}

impl UserOut {
    pub fn from_row(u: UserRow, now: i64) -> Self {
        UserOut {
            id: u.id,
            locked: u.locked_until.is_some_and(|t| t > now),
            username: u.username,
            display_name: u.display_name,
            phone: u.phone,
            disabled: u.disabled,
            grid_id: u.grid_id,
            unit_id: u.unit_id,
        }
    }
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub phone: Option<String>,
    pub grid_id: Option<i64>,
    pub unit_id: Option<i64>,
}

/// Changes to a user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub disabled: Option<bool>,
}

/// A new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordSet {
    pub password: String,
}

/// A role to grant on a division subtree.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantCreate {
    /// admin | district_supervisor | township_leader | center_staff | village_mediator | grid_worker | enforcement_officer | legal_reviewer | unit_staff
    pub role: String,
    pub division_code: String,
}

/// Keyset pagination and filters of a listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only children of this division.
    pub parent_code: Option<String>,
    /// Only this level (county | township | village).
    pub level: Option<String>,
    /// Only records of this division (grids, units).
    pub division_code: Option<String>,
    /// Return records with ids greater than this (the last id of the previous page).
    pub after: Option<i64>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
}

impl ListQuery {
    pub fn page(&self) -> (i64, i64) {
        (
            self.after.unwrap_or(0),
            self.limit.unwrap_or(100).clamp(1, 500),
        )
    }
}
