//! The demo district as a newcomer meets it: every demo account logs in with the
//! published password and sees only its own part of the district.

use fazhi_demo as demo;
use fazhi_testkit::web::Client;
use fazhi_web::{AppState, Settings};

/// (account, code prefix every visible division shares, divisions visible)
const EXPECTED: [(&str, &str, usize); 9] = [
    ("admin", "500160", 51),
    ("district", "500160", 51),
    ("leader", "500160101", 17),
    ("center", "500160101", 17),
    ("enforcer", "500160101", 17),
    ("reviewer", "500160101", 17),
    ("sifasuo", "500160101", 17),
    ("village01", "500160101", 1),
    ("grid01", "500160101", 1),
];

#[tokio::test]
async fn every_demo_account_logs_in_and_sees_only_its_scope() {
    for t in fazhi_testkit::db::all().await {
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
            fazhi_testkit::web::vault(),
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

#[tokio::test]
async fn demo_matters_cover_the_ledger_and_obey_the_workflow() {
    use fazhi_core::matter::{Channel, DEFAULT_CATEGORIES, DeadlineRules};
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        demo::seed(&t.db).await.unwrap();
        let vault = fazhi_testkit::web::vault();
        let today = time::macros::date!(2026 - 11 - 24);
        let n = demo::matters::seed(&t.db, &vault, today, 300)
            .await
            .unwrap();
        assert_eq!(n, 900, "{name}");
        let state = AppState::new(t.db.clone(), Settings::default(), vault);
        let app = fazhi_web::app(state);
        let c = Client::login(&app, "district", demo::DEMO_PASSWORD)
            .await
            .unwrap();
        let count = |v: &serde_json::Value| v["items"].as_array().unwrap().len();
        for ch in Channel::ALL {
            let (_, v) = c
                .get(&format!("/api/v1/matters?channel={}&limit=1", ch.as_str()))
                .await;
            assert_eq!(count(&v), 1, "{name}: channel {ch}");
        }
        for cat in DEFAULT_CATEGORIES {
            let (_, v) = c
                .get(&format!("/api/v1/matters?category={}&limit=1", cat.code))
                .await;
            assert_eq!(count(&v), 1, "{name}: category {}", cat.code);
        }
        for q in [
            "repeat=true",
            "status=followed_up",
            "status=archived",
            "status=in_progress",
            "status=not_accepted",
        ] {
            let (_, v) = c.get(&format!("/api/v1/matters?{q}&limit=1")).await;
            assert_eq!(count(&v), 1, "{name}: some matters with {q}");
        }
        // Every stored state is one the state machine allows.
        let rules = DeadlineRules::default();
        let all = fazhi_db::matters::read::list(
            &t.db,
            &["/".to_string()],
            &Default::default(),
            fazhi_db::matters::MatterSort::IdDesc,
            None,
            10_000,
        )
        .await
        .unwrap();
        assert_eq!(all.len(), 900);
        let mut overdue = 0;
        // Units at work: signed for, returned, reported on, closings waiting for review,
        // sent back, approved.
        let (mut signed, mut returned, mut feedback, mut reviewing, mut rejected) = (0, 0, 0, 0, 0);
        let (mut co_handled, mut assessed, mut pressing) = (0, 0, 0);
        for m in &all {
            let s = m.state().unwrap();
            let a = s.assignment.as_ref();
            signed += usize::from(a.is_some_and(|a| a.acknowledged_on.is_some()));
            co_handled += usize::from(a.is_some_and(|a| !a.co_handlers.is_empty()));
            assessed += usize::from(s.assessment.is_some());
            pressing += usize::from(s.is_pressing() && s.status.is_active());
            returned += usize::from(s.returns > 0);
            feedback += usize::from(s.feedbacks > 0);
            reviewing += usize::from(s.status == fazhi_core::matter::Status::Reviewing);
            rejected += usize::from(s.closure_rejections > 0 && s.status.is_closed());
            s.check_invariants(&rules)
                .unwrap_or_else(|e| panic!("{name}: matter {} breaks {e}", m.id));
            assert_eq!(m.status, s.status);
            if s.is_overdue(today) {
                overdue += 1;
            }
        }
        assert!(overdue > 0, "{name}: some matters are overdue");
        // Every timeline reads in order, by day and by time.
        for m in all.iter().step_by(7) {
            let ev = fazhi_db::matters::read::events(&t.db, m.id).await.unwrap();
            for pair in ev.windows(2) {
                assert!(
                    pair[0].at <= pair[1].at && pair[0].on_date <= pair[1].on_date,
                    "{name}: matter {} timeline out of order at {:?}",
                    m.id,
                    pair[1].action
                );
            }
        }
        for (what, n) in [
            ("signed for", signed),
            ("returned", returned),
            ("with feedback", feedback),
            ("waiting for review", reviewing),
            ("rejected, then approved", rejected),
            ("with a co-handler", co_handled),
            ("assessed (研判)", assessed),
            ("open and pressing", pressing),
        ] {
            assert!(n > 0, "{name}: some demo matters {what}");
        }
        // A grid worker still sees only their own village.
        let g = Client::login(&app, "grid01", demo::DEMO_PASSWORD)
            .await
            .unwrap();
        let (_, me) = g.get("/api/v1/divisions").await;
        let own = me[0]["code"].as_str().unwrap().to_string();
        let (_, v) = g.get("/api/v1/matters?limit=200").await;
        assert!(count(&v) > 0, "{name}");
        assert!(
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["division_code"] == own.as_str()),
            "{name}"
        );
    }
}
