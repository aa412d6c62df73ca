//! Enforcement set-up shared by the enforcement tests: certificates for the two demo
//! officers, two items, and the body of a new case.

use fazhi_testkit::web::Client;
use serde_json::{Value, json};

use super::World;

/// Certificates for `enforcer` and `enforcer2` (by the admin) and two items: a small
/// one (0–2,000 元) and one in the review catalogue with a hearing right (5,000–50,000 元).
/// Returns (the enforcer's client, officer ids, small item, big item).
pub async fn setup(w: &World) -> (Client, i64, i64, i64, i64) {
    let admin = w.login("admin").await;
    let mut ids = Vec::new();
    for (user, number) in [("enforcer", "Z-0001"), ("enforcer2", "Z-0002")] {
        let u = fazhi_db::auth::users::by_username(&w.state.db, user)
            .await
            .unwrap();
        let (s, b) = admin
            .send_json(
                "PUT",
                &format!("/api/v1/enforcement/officers/{}", u.id),
                json!({"number": number, "valid_until": "2099-12-31"}),
                true,
            )
            .await;
        assert_eq!(s, 204, "{b}");
        ids.push(u.id);
    }
    let e = w.login("enforcer").await;
    let item = |code: &str, min: i64, max: i64, catalogue: bool| {
        json!({
            "code": code, "name": format!("事项{code}"), "source": "empowered",
            "deciding_document": "省政府赋权决定", "legal_basis": "某条例第十条",
            "penalty_basis": "某条例第三十条", "penalty_kinds": ["warning", "fine"],
            "fine_min_fen": min * 100, "fine_max_fen": max * 100,
            "hearing_right": catalogue, "review_catalogue": catalogue
        })
    };
    let (s, small) = e
        .post("/api/v1/enforcement/items", item("T-1", 0, 2000, false))
        .await;
    assert_eq!(s, 201, "{small}");
    let (s, big) = e
        .post("/api/v1/enforcement/items", item("T-2", 5000, 50000, true))
        .await;
    assert_eq!(s, 201, "{big}");
    (
        e,
        ids[0],
        ids[1],
        small["id"].as_i64().unwrap(),
        big["id"].as_i64().unwrap(),
    )
}

/// The body of a new case under `item` by `officers`.
pub fn case(item: i64, officers: &[i64], party: &str, procedure: &str) -> Value {
    json!({
        "item_id": item, "procedure": procedure,
        "party": {"kind": party, "name": "某某有限公司"},
        "facts": "在主街占道堆放建筑材料", "act_on": "2026-01-05",
        "discovered_on": "2026-01-06", "officers": officers
    })
}
