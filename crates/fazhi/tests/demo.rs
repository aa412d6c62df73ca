//! The demo district as a newcomer meets it: every demo account logs in with the
//! published password and sees only its own part of the district.

use fazhi::cmd::demo;
use fazhi_web::testing::Client;
use fazhi_web::{AppState, Settings};

/// (account, code prefix every visible division shares, divisions visible)
const EXPECTED: [(&str, &str, usize); 8] = [
    ("admin", "500160", 51),
    ("district", "500160", 51),
    ("leader", "500160101", 17),
    ("center", "500160101", 17),
    ("enforcer", "500160101", 17),
    ("reviewer", "500160101", 17),
    ("village01", "500160101", 1),
    ("grid01", "500160101", 1),
];

#[tokio::test]
async fn every_demo_account_logs_in_and_sees_only_its_scope() {
    for t in fazhi_db::testing::all().await {
        let name = t.name();
        assert!(
            demo::seed(&t.db).await.unwrap(),
            "{name}: a new database is seeded"
        );
        assert!(
            !demo::seed(&t.db).await.unwrap(),
            "{name}: a used database is left alone"
        );
        let app = fazhi_web::app(AppState::new(
            t.db.clone(),
            Settings::default(),
            fazhi_web::testing::vault(),
        ));
        for (user, prefix, count) in EXPECTED {
            let c = Client::login(&app, user, demo::DEMO_PASSWORD)
                .await
                .unwrap_or_else(|e| panic!("{name}: {user} cannot log in: {e:?}"));
            let (s, v) = c.get("/api/v1/divisions?limit=500").await;
            assert_eq!(s, 200, "{name} {user}: {v}");
            let codes: Vec<&str> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap())
                .collect();
            assert_eq!(codes.len(), count, "{name} {user}: {codes:?}");
            assert!(
                codes.iter().all(|c| c.starts_with(prefix)),
                "{name} {user}: {codes:?}"
            );
            // Another township's street office is invisible to everyone below the district.
            let (s, _) = c.get("/api/v1/divisions/500160001000").await;
            let expected = if prefix == "500160" { 200 } else { 404 };
            assert_eq!(s, expected, "{name} {user}");
            // The home page greets them (the Chinese shell works for every role).
            let (s, page) = c.get("/").await;
            assert_eq!(s, 200, "{name} {user}");
            assert!(page.as_str().unwrap().contains("退出"), "{name} {user}");
        }
    }
}
