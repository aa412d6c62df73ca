//! `fazhi user add|passwd|list|disable|enable`.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use fazhi_core::role::Role;
use fazhi_db::audit::Actor;
use fazhi_db::auth::{grants, users};

use crate::config::{Config, DbArgs, ServeArgs};

#[derive(clap::Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user, optionally granting one role on one division.
    Add {
        username: String,
        /// Display name (e.g. the person's name).
        #[arg(long)]
        name: String,
        /// Role to grant: admin, district_supervisor, township_leader, center_staff, village_mediator, grid_worker, enforcement_officer, legal_reviewer.
        #[arg(long, requires = "division")]
        role: Option<String>,
        /// 12-digit code of the division the role covers.
        #[arg(long, requires = "role")]
        division: Option<String>,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the user's sessions, lifts a lock-out).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users with their roles.
    List,
    /// Disable a user (ends their sessions).
    Disable { username: String },
    /// Enable a disabled user.
    Enable { username: String },
}

fn read_password(username: &str, from_stdin: bool) -> anyhow::Result<String> {
    let pw = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let a = rpassword::prompt_password("Password: ")?;
        let b = rpassword::prompt_password("Repeat password: ")?;
        if a != b {
            anyhow::bail!("the two passwords differ");
        }
        a
    };
    fazhi_core::validate::password(username, &pw).map_err(|_| {
        anyhow::anyhow!(
            "the password must have at least {} characters and differ from the username",
            fazhi_core::validate::MIN_PASSWORD_CHARS
        )
    })?;
    Ok(pw)
}

pub async fn run(db: &DbArgs, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let cfg = Config::resolve(db, &ServeArgs::default())?;
    let database = super::open_db(&cfg).await?;
    let actor = Actor::system("cli");
    match cmd {
        UserCommand::Add {
            username,
            name,
            role,
            division,
            password_stdin,
        } => {
            fazhi_core::validate::username(&username).map_err(|_| {
                anyhow::anyhow!("a username has 3–32 characters: letters, digits, _ - .")
            })?;
            let grant = match (role, division) {
                (Some(r), Some(d)) => {
                    let role: Role = r.parse().map_err(|_| anyhow::anyhow!("unknown role {r}"))?;
                    let div = fazhi_db::admin::divisions::by_code(&database, d.trim())
                        .await
                        .map_err(|_| anyhow::anyhow!("no division with code {d}"))?;
                    Some((role, div.id))
                }
                _ => None,
            };
            let pw = read_password(&username, password_stdin)?;
            let hash = fazhi_web::auth::secrets::hash_password(pw)
                .await
                .map_err(anyhow::Error::msg)?;
            let u = users::create(
                &database,
                &actor,
                &users::NewUser {
                    username: username.clone(),
                    display_name: name,
                    phone: None,
                    password_hash: hash,
                    grid_id: None,
                    unit_id: None,
                },
            )
            .await
            .map_err(|e| match e {
                fazhi_db::DbError::Conflict { .. } => {
                    anyhow::anyhow!("the username {username} is taken")
                }
                other => other.into(),
            })?;
            if let Some((role, div)) = grant {
                grants::add(&database, &actor, u.id, role, div).await?;
            }
            println!("Created user {username} (id {}).", u.id);
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let u = users::by_username(&database, &username)
                .await
                .map_err(|_| anyhow::anyhow!("no user {username}"))?;
            let pw = read_password(&username, password_stdin)?;
            let hash = fazhi_web::auth::secrets::hash_password(pw)
                .await
                .map_err(anyhow::Error::msg)?;
            users::set_password(&database, &actor, u.id, &hash).await?;
            println!("Password of {username} changed; their sessions have ended.");
        }
        UserCommand::List => {
            let list = users::list_in_scope(
                &database,
                users::Manager {
                    roots: &["/".to_string()],
                    user_id: None,
                },
                0,
                i64::MAX,
            )
            .await?;
            println!(
                "{:<6} {:<20} {:<16} {:<9} roles",
                "id", "username", "name", "status"
            );
            for u in list {
                let gs = grants::for_user(&database, u.id).await?;
                let roles: Vec<String> = gs
                    .iter()
                    .map(|g| format!("{}@{}", g.role.as_str(), g.division_code))
                    .collect();
                let status = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<6} {:<20} {:<16} {:<9} {}",
                    u.id,
                    u.username,
                    u.display_name,
                    status,
                    roles.join(", ")
                );
            }
        }
        UserCommand::Disable { username } => {
            set_disabled(&database, &actor, &username, true).await?
        }
        UserCommand::Enable { username } => {
            set_disabled(&database, &actor, &username, false).await?
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn set_disabled(
    db: &fazhi_db::Db,
    actor: &Actor,
    username: &str,
    disabled: bool,
) -> anyhow::Result<()> {
    let u = users::by_username(db, username)
        .await
        .map_err(|_| anyhow::anyhow!("no user {username}"))?;
    users::update(
        db,
        actor,
        u.id,
        &users::UserChanges {
            disabled: Some(disabled),
            ..Default::default()
        },
    )
    .await
    .context("cannot change the user")?;
    println!(
        "User {username} {}.",
        if disabled {
            "disabled; their sessions have ended"
        } else {
            "enabled"
        }
    );
    Ok(())
}
