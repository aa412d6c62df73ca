//! The world the matters tests run in: the demo district's organisation and accounts on
//! a fresh database, the real router, and a few helpers.
#![allow(dead_code)] // each test file uses its own subset

pub mod browser;
pub mod enforcement;
pub mod server;

use fazhi_core::party::id_check_digit;
use fazhi_demo as demo;
use fazhi_testkit::db::TestDb;
use fazhi_testkit::web::Client;
use fazhi_web::{AppState, Settings};

pub struct World {
    pub app: axum::Router,
    pub state: AppState,
    pub t: TestDb,
}

/// The demo organisation and accounts (no matters) on `t`, and the router over it.
pub async fn world(t: TestDb) -> World {
    demo::seed(&t.db).await.unwrap();
    let state = AppState::new(
        t.db.clone(),
        Settings::default(),
        fazhi_testkit::web::vault(),
    );
    World {
        app: fazhi_web::app(state.clone()),
        state,
        t,
    }
}

impl World {
    /// Logs a demo account in.
    pub async fn login(&self, user: &str) -> Client {
        Client::login(&self.app, user, demo::DEMO_PASSWORD)
            .await
            .unwrap()
    }
}

/// A valid 18-character ID number (GB 11643 check digit computed).
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", id_check_digit(first17).unwrap())
}

/// The village of village01 and grid01 in 青石镇, and another village of 青石镇.
pub async fn villages(w: &World) -> (String, String) {
    let c = w.login("center").await;
    let (_, v) = c
        .get("/api/v1/divisions?parent_code=500160101000&limit=500")
        .await;
    let (_, me) = w.login("village01").await.get("/api/v1/divisions").await;
    let own = me[0]["code"].as_str().unwrap().to_string();
    let other = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .find(|c| *c != own)
        .unwrap();
    (own, other)
}

/// The id of the unit of `kind` in 青石镇.
pub async fn unit_of(c: &Client, kind: &str) -> i64 {
    let (_, v) = c
        .get("/api/v1/units?division_code=500160101000&limit=100")
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] == kind)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}
