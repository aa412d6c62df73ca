//! Rescue teams (应急救援队伍; the leader's phone sealed like the rosters') and
//! campaigns (专项行动) of a township or village, scoped by their place's path.

use fazhi_core::education::{CampaignFields, RescueTeamFields};
use fazhi_core::party::mask_phone;
use time::Date;

use crate::audit::{self, Actor};
use crate::pii::{PiiKind, Vault};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One rescue team (the phone masked only).
    TeamRow {
        id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        name: String,
        members: i64,
        leader: String,
        phone_mask: Option<String>,
        specialty: Option<String>,
        formed_on: Option<Date>,
        version: i64,
    }
);

row!(
    /// One campaign.
    CampaignRow {
        id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        name: String,
        starts_on: Date,
        ends_on: Option<Date>,
        results: Option<String>,
        version: i64,
    }
);

row!(SealedPhone { phone_enc: Option<String> });

const TEAM_COLS: &str = "SELECT t.id, d.code AS division_code, d.name AS division_name, t.division_path, t.name, t.members, t.leader, t.phone_mask, t.specialty, t.formed_on, t.version FROM rescue_teams t JOIN divisions d ON d.id = t.division_id";
const CAMPAIGN_COLS: &str = "SELECT c.id, d.code AS division_code, d.name AS division_name, c.division_path, c.name, c.starts_on, c.ends_on, c.results, c.version FROM emergency_campaigns c JOIN divisions d ON d.id = c.division_id";

/// Where a record is kept.
#[derive(Debug, Clone)]
pub struct At {
    pub division_id: i64,
    pub division_path: String,
}

/// A team to store; on update, `keep_phone` leaves the stored phone alone.
#[derive(Debug, Clone)]
pub struct NewTeam {
    pub fields: RescueTeamFields,
    pub at: At,
    pub keep_phone: bool,
}

fn bind_team(q: &mut Sql, t: &NewTeam) {
    let f = &t.fields;
    q.bind(t.at.division_id)
        .push(", ")
        .bind(t.at.division_path.clone());
    q.push(", ").bind(f.name.clone()).push(", ").bind(f.members);
    q.push(", ").bind(f.leader.clone()).push(", ");
    q.bind(f.specialty.clone()).push(", ").bind(f.formed_on);
}

fn bind_phone(q: &mut Sql, vault: &Vault, phone: Option<&str>) {
    q.bind(phone.map(|v| vault.seal(PiiKind::Phone, v)))
        .push(", ");
    q.bind(phone.map(|v| vault.blind_index(PiiKind::Phone, v)))
        .push(", ");
    q.bind(phone.map(mask_phone));
}

/// Stores a team with its audit row.
pub async fn create_team(db: &Db, vault: &Vault, actor: &Actor, t: &NewTeam) -> Result<TeamRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO rescue_teams (division_id, division_path, name, members, leader, specialty, formed_on, phone_enc, phone_idx, phone_mask, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_team(&mut q, t);
    q.push(", ");
    bind_phone(&mut q, vault, t.fields.leader_phone.as_deref());
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.rescue_team.create",
        &format!("rescue_team:{}", id.0),
        &format!("{}，{}人", t.fields.name, t.fields.members),
    )
    .await?;
    tx.commit().await?;
    team(db, id.0).await
}

/// Replaces a team still at `version` (else `Stale`), audited.
pub async fn update_team(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    id: i64,
    version: i64,
    t: &NewTeam,
) -> Result<TeamRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE rescue_teams SET (division_id, division_path, name, members, leader, specialty, formed_on",
    );
    if t.keep_phone {
        q.push(") = (");
        bind_team(&mut q, t);
    } else {
        q.push(", phone_enc, phone_idx, phone_mask) = (");
        bind_team(&mut q, t);
        q.push(", ");
        bind_phone(&mut q, vault, t.fields.leader_phone.as_deref());
    }
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.rescue_team.update",
        &format!("rescue_team:{id}"),
        &format!("{}，{}人", t.fields.name, t.fields.members),
    )
    .await?;
    tx.commit().await?;
    team(db, id).await
}

/// One team, unscoped (callers check the scope on `division_path`).
pub async fn team(db: &Db, id: i64) -> Result<TeamRow> {
    let mut q = Sql::new(TEAM_COLS);
    q.push(" WHERE t.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// Teams in scope (optionally under a place), by place and name.
pub async fn teams(db: &Db, roots: &[String], under: Option<&str>) -> Result<Vec<TeamRow>> {
    let mut q = Sql::new(TEAM_COLS);
    q.push(" WHERE ").scope("t.division_path", roots);
    if let Some(p) = under {
        q.push(" AND t.division_path LIKE ").bind(format!("{p}%"));
    }
    q.push(" ORDER BY t.division_path, t.name, t.id LIMIT 1000");
    q.fetch_all(db.reader()).await
}

/// The leader's sealed phone of a team in scope, opened, with an audit row in the same
/// transaction. None when no phone was given.
pub async fn reveal_team_phone(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    roots: &[String],
    id: i64,
) -> Result<Option<String>> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT phone_enc FROM rescue_teams WHERE id = ");
    q.bind(id).push(" AND ").scope("division_path", roots);
    let row: SealedPhone = q.fetch_one(&mut *tx).await?;
    let Some(sealed) = row.phone_enc else {
        return Ok(None);
    };
    let plain = vault.open(PiiKind::Phone, &sealed).map_err(|_| {
        DbError::Config("personal data was sealed with another key: check the key file".into())
    })?;
    audit::append(
        &mut tx,
        actor,
        "rescue_team.reveal",
        &format!("rescue_team:{id}"),
        "phone",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(plain))
}

/// A campaign to store.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub fields: CampaignFields,
    pub at: At,
}

fn bind_campaign(q: &mut Sql, c: &NewCampaign) {
    let f = &c.fields;
    q.bind(c.at.division_id)
        .push(", ")
        .bind(c.at.division_path.clone());
    q.push(", ")
        .bind(f.name.clone())
        .push(", ")
        .bind(f.starts_on);
    q.push(", ").bind(f.starts_on.year() as i64).push(", ");
    q.bind(f.ends_on).push(", ").bind(f.results.clone());
}

/// Stores a campaign with its audit row.
pub async fn create_campaign(db: &Db, actor: &Actor, c: &NewCampaign) -> Result<CampaignRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO emergency_campaigns (division_id, division_path, name, starts_on, started_year, ends_on, results, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_campaign(&mut q, c);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.campaign.create",
        &format!("emergency_campaign:{}", id.0),
        &c.fields.name,
    )
    .await?;
    tx.commit().await?;
    campaign(db, id.0).await
}

/// Replaces a campaign still at `version` (e.g. its results when it ends), audited.
pub async fn update_campaign(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    c: &NewCampaign,
) -> Result<CampaignRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE emergency_campaigns SET (division_id, division_path, name, starts_on, started_year, ends_on, results) = (",
    );
    bind_campaign(&mut q, c);
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.campaign.update",
        &format!("emergency_campaign:{id}"),
        &c.fields.name,
    )
    .await?;
    tx.commit().await?;
    campaign(db, id).await
}

/// One campaign, unscoped (callers check the scope on `division_path`).
pub async fn campaign(db: &Db, id: i64) -> Result<CampaignRow> {
    let mut q = Sql::new(CAMPAIGN_COLS);
    q.push(" WHERE c.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// Campaigns in scope started in `year` (optionally under a place), the latest first.
pub async fn campaigns(
    db: &Db,
    roots: &[String],
    under: Option<&str>,
    year: i32,
) -> Result<Vec<CampaignRow>> {
    let mut q = Sql::new(CAMPAIGN_COLS);
    q.push(" WHERE ").scope("c.division_path", roots);
    if let Some(p) = under {
        q.push(" AND c.division_path LIKE ").bind(format!("{p}%"));
    }
    q.push(" AND c.started_year = ").bind(year as i64);
    q.push(" ORDER BY c.starts_on DESC, c.id DESC LIMIT 1000");
    q.fetch_all(db.reader()).await
}
