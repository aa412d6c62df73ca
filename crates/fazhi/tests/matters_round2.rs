//! Matters at work, round 2 (issue 14): the timeline names people, a grid's monthly
//! sweep is its own worker's (no 零报告 over a reported matter), villages of the same
//! name carry their township on the overdue page and the dashboard, and the demo keeps
//! files with its matters. Real router, real database (SQLite always, PostgreSQL when
//! FAZHI_TEST_POSTGRES_URL is set), files on a real disk.

use crate::common::{World, villages, world};
use fazhi_core::role::Role;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

fn dispute(village: &str, summary: &str) -> Value {
    json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
        "division_code": village, "summary": summary,
        "parties": [{"name": "甲"}, {"name": "乙", "role": "respondent"}]})
}

async fn html(c: &Client, path: &str) -> String {
    let (s, v) = c.get(path).await;
    assert_eq!(s, 200, "{path}");
    v.as_str().unwrap_or_default().to_string()
}

async fn add_account(w: &World, user: &str, role: Role, code: &str) {
    let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
        .await
        .unwrap();
    fazhi_testkit::web::add_user(&w.state.db, user, &hash, role, code).await;
}

#[tokio::test]
async fn the_timeline_names_people_by_their_display_name() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let (s, m) = c.post("/api/v1/matters", dispute(&own, "院墙滴水")).await;
        assert_eq!(s, 201, "{name}: {m}");
        let id = m["id"].as_i64().unwrap();
        let (s, r) = c
            .post(
                &format!("/api/v1/matters/{id}/actions"),
                json!({"action": "accept"}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        // What the write answers is what the read gives: the person, not the account.
        assert_eq!(r["event"]["actor"], "综治中心 张丽", "{name}: {r}");
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        let events = d["events"].as_array().unwrap();
        assert!(
            events.iter().all(|e| e["actor"] == "综治中心 张丽"),
            "{name}: {d}"
        );
        assert_eq!(&r["event"], events.last().unwrap(), "{name}");

        // An entry of the server itself keeps the name it was written with.
        use fazhi_core::matter::{Action, apply};
        use fazhi_db::matters::{Applied, read, write};
        let (cal, rules) = (w.state.matters.calendar(), w.state.matters.rules());
        let today = w.state.clock.today();
        let system = fazhi_db::audit::Actor::system("fazhi");
        let (_, ev) = write::act(
            &w.state.db,
            &system,
            &["/".to_string()],
            id,
            None,
            None,
            today,
            |_, st| {
                apply(
                    &st,
                    &Action::Supervise {
                        reason: "超期".into(),
                        level: fazhi_core::matter::SupervisionLevel::Normal,
                    },
                    today,
                    &cal,
                    &rules,
                )
                .map(|t| Applied {
                    action: t.action,
                    state: t.state,
                    note: String::new(),
                    payload: "{}".into(),
                })
            },
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(ev.actor, "fazhi", "{name}");
        let read_back = read::events(&w.state.db, id).await.unwrap();
        assert_eq!(&ev, read_back.last().unwrap(), "{name}");

        // The page's timeline shows the person too.
        let page = html(&c, &format!("/matters/{id}")).await;
        assert!(page.contains("<td>综治中心 张丽</td>"), "{name}");
        assert!(!page.contains("<td>center</td>"), "{name}");
    }
}

/// The grid of grid01, and another grid of the same village.
async fn grids(w: &World, c: &Client) -> (i64, i64) {
    let me = fazhi_db::auth::users::by_username(&w.state.db, "grid01")
        .await
        .unwrap();
    let own = me.grid_id.unwrap();
    let (_, st) = c.get("/api/v1/sweeps/status?division=500160101000").await;
    let village = st["grids"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["grid_id"] == own)
        .unwrap()["village_code"]
        .clone();
    let other = st["grids"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["village_code"] == village && g["grid_id"] != own)
        .unwrap()["grid_id"]
        .as_i64()
        .unwrap();
    (own, other)
}

fn reported(st: &Value, grid: i64) -> bool {
    st["grids"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["grid_id"] == grid && g["reported"] == true)
}

#[tokio::test]
async fn a_grid_worker_files_for_their_own_grid_and_no_zero_report_over_a_matter() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (village, _) = villages(&w).await;
        let c = w.login("center").await;
        let g = w.login("grid01").await;
        let (own, other) = grids(&w, &c).await;
        let status = || c.get("/api/v1/sweeps/status?division=500160101000");

        // Someone else's grid: refused, for a sweep as for a report, nothing stored.
        let (s, r) = g
            .post(
                "/api/v1/sweeps",
                json!({"grid_id": other, "zero_report": true}),
            )
            .await;
        assert_eq!(s, 403, "{name}: {r}");
        assert_eq!(r["code"], "not_own_grid", "{name}");
        let mut report = dispute(&village, "网格内两户因排水沟堵塞争执");
        report["grid_id"] = json!(other);
        let (s, r) = g.post("/api/v1/matters", report.clone()).await;
        assert_eq!(s, 403, "{name}: {r}");
        let (_, st) = status().await;
        assert!(!reported(&st, other), "{name}");

        // A matter reported from the own grid this month: no zero report then.
        report["grid_id"] = json!(own);
        let (s, m) = g.post("/api/v1/matters", report).await;
        assert_eq!(s, 201, "{name}: {m}");
        assert_eq!(m["grid_id"], own, "{name}");
        let (s, r) = g.post("/api/v1/sweeps", json!({"zero_report": true})).await;
        assert_eq!(s, 409, "{name}: {r}");
        assert!(r["fields"]["zero_report"].is_string(), "{name}: {r}");
        let (_, st) = status().await;
        assert!(!reported(&st, own), "{name}: nothing stored");
        let (s, r) = g
            .post("/api/v1/sweeps", json!({"matter_ids": [m["id"]]}))
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(r["grid_id"], own, "{name}");

        // The centre files for any grid of its township; a zero report where none came.
        let (s, r) = c
            .post(
                "/api/v1/sweeps",
                json!({"grid_id": other, "zero_report": true}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        let (_, st) = status().await;
        assert!(reported(&st, own) && reported(&st, other), "{name}");
    }
}

#[tokio::test]
async fn the_sweep_page_files_for_the_own_grid_only() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (village, _) = villages(&w).await;
        let c = w.login("center").await;
        let g = w.login("grid01").await;
        let (own, other) = grids(&w, &c).await;
        let page = html(&g, "/sweeps").await;
        assert!(
            page.contains(&format!("name=\"grid_id\" value=\"{own}\"")),
            "{name}: the own grid, not a choice"
        );
        assert!(page.contains("name=\"zero_report\""), "{name}");

        // Another grid through a crafted form: said on the page, nothing stored.
        let (s, h, _) = g
            .post_form_bytes(
                "/sweeps",
                &[("grid_id", &other.to_string()), ("zero_report", "1")],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let to = h.get("location").unwrap().to_str().unwrap().to_string();
        assert!(to.contains("err="), "{name}: {to}");

        // Once the grid reported a matter this month the page offers no zero report.
        let mut report = dispute(&village, "网格巡查发现噪音扰民");
        report["grid_id"] = json!(own);
        let (s, _) = g.post("/api/v1/matters", report).await;
        assert_eq!(s, 201, "{name}");
        let page = html(&g, "/sweeps").await;
        assert!(!page.contains("name=\"zero_report\""), "{name}: no button");
        assert!(page.contains("已上报 1 件事项"), "{name}");
        let (s, h, _) = g
            .post_form_bytes("/sweeps", &[("zero_report", "1")], true)
            .await;
        assert_eq!(s, 303, "{name}");
        let to = h.get("location").unwrap().to_str().unwrap().to_string();
        assert!(to.contains("err="), "{name}: refused: {to}");

        // The centre picks the grid among those not reported.
        let page = html(&c, "/sweeps?division=500160101000").await;
        assert!(
            page.contains(&format!("<option value=\"{other}\">")),
            "{name}"
        );
        let (_, st) = c.get("/api/v1/sweeps/status?division=500160101000").await;
        assert!(!reported(&st, own) && !reported(&st, other), "{name}");
    }
}

#[tokio::test]
async fn villages_of_the_same_name_show_their_township() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let db = &w.state.db;
        let actor = fazhi_db::audit::Actor::system("test");
        let mut ids = Vec::new();
        for (town, code) in [
            ("500160101000", "500160101299"),
            ("500160102000", "500160102299"),
        ] {
            let parent = fazhi_db::admin::divisions::by_code(db, town).await.unwrap();
            let v = fazhi_db::admin::divisions::create(
                db,
                &actor,
                &fazhi_db::admin::divisions::NewDivision {
                    code: code.into(),
                    name: "同名村".into(),
                    level: fazhi_core::division::Level::Village,
                    parent_id: Some(parent.id),
                    valid_from: None,
                    valid_to: None,
                },
            )
            .await
            .unwrap();
            ids.push((code, v.id));
        }
        add_account(&w, "hub", Role::CenterStaff, "500160000000").await;
        let c = w.login("hub").await;
        for (code, id) in &ids {
            let (s, m) = c
                .post("/api/v1/matters", dispute(code, "宅基地边界争议"))
                .await;
            assert_eq!(s, 201, "{name}: {m}");
            let mid = m["id"].as_i64().unwrap();
            for step in [
                json!({"action": "accept"}),
                json!({"action": "assign", "assignee": {"kind": "division", "id": id}}),
            ] {
                let (s, r) = c
                    .post(&format!("/api/v1/matters/{mid}/actions"), step)
                    .await;
                assert_eq!(s, 200, "{name}: {r}");
            }
        }

        // The ledger's rows and the matter's page.
        let page = html(&c, "/matters").await;
        for town in ["青石镇", "白沙镇"] {
            assert!(
                page.matches(&format!(">同名村（{town}）<")).count() == 2,
                "{name}: ledger row in {town}, place and handler"
            );
        }
        let (_, list) = c.get("/api/v1/matters?division_code=500160102299").await;
        let there = list["items"][0]["id"].as_i64().unwrap();
        let page = html(&c, &format!("/matters/{there}")).await;
        assert!(page.contains("<dd>同名村（白沙镇）"), "{name}");

        // The overdue list (API and page): each 同名村 with its township.
        let (s, o) = c.get("/api/v1/matters/overdue-by-handler").await;
        assert_eq!(s, 200, "{name}: {o}");
        let towns: Vec<&str> = o
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["name"] == "同名村")
            .map(|r| r["township_name"].as_str().unwrap())
            .collect();
        assert_eq!(towns.len(), 2, "{name}: {o}");
        assert!(
            towns.contains(&"青石镇") && towns.contains(&"白沙镇"),
            "{name}"
        );
        let page = html(&c, "/matters/overdue").await;
        for town in ["青石镇", "白沙镇"] {
            assert!(
                page.contains(&format!("<td>同名村</td><td>{town}</td>")),
                "{name}: {town}"
            );
        }

        // The dashboard over the district: the village figures and charts.
        let (s, st) = c.get("/api/v1/stats/matters").await;
        assert_eq!(s, 200, "{name}: {st}");
        let labels: Vec<&str> = st["by_village"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["label"].as_str().unwrap())
            .collect();
        assert!(
            labels.contains(&"同名村（青石镇）") && labels.contains(&"同名村（白沙镇）"),
            "{name}: {labels:?}"
        );
        let page = html(&c, "/dashboard").await;
        for town in ["青石镇", "白沙镇"] {
            let label = format!("同名村（{town}）");
            // In the 按村（社区） table and in the in-hand workload chart and table.
            assert!(
                page.matches(&format!("<td>{label}</td>")).count() >= 2,
                "{name}: {label}"
            );
        }
        // Within one township the names need no township.
        let (_, st) = c.get("/api/v1/stats/matters?division=500160101000").await;
        assert!(
            st["by_village"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["label"] == "同名村"),
            "{name}: {st}"
        );
    }
}

#[tokio::test]
async fn the_demo_keeps_files_with_its_matters() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        fazhi_demo::seed(&t.db).await.unwrap();
        let today = time::OffsetDateTime::now_utc().date();
        fazhi_demo::matters::seed(&t.db, &fazhi_testkit::web::vault(), today, 120)
            .await
            .unwrap();
        let n = fazhi_demo::matter_files::seed(&t.db, dir.path(), 12)
            .await
            .unwrap();
        assert_eq!(
            n, 12,
            "{name}: letters and agreements enough in 120 matters"
        );
        let settings = fazhi_web::Settings {
            evidence_dir: Some(dir.path().to_path_buf()),
            ..fazhi_web::Settings::default()
        };
        let state = fazhi_web::AppState::new(t.db.clone(), settings, fazhi_testkit::web::vault());
        let w = World {
            app: fazhi_web::app(state.clone()),
            state,
            t,
        };
        let c = w.login("center").await;
        let (_, list) = c.get("/api/v1/matters?limit=200").await;
        let mut seen = 0;
        for m in list["items"].as_array().unwrap() {
            let id = m["id"].as_i64().unwrap();
            let (_, files) = c.get(&format!("/api/v1/matters/{id}/attachments")).await;
            for f in files.as_array().unwrap() {
                seen += 1;
                // By whoever took the step: the centre registering a letter.
                if f["kind"] == "letter" {
                    assert_eq!(f["uploader"], "综治中心 张丽", "{name}: {f}");
                }
                assert_eq!(f["content_type"], "application/pdf", "{name}");
                // Served as stored: the digests still match.
                let (s, _, bytes) = c.get_bytes(f["download"].as_str().unwrap()).await;
                assert_eq!(s, 200, "{name}: {f}");
                assert!(bytes.starts_with(b"%PDF-"), "{name}");
                assert_eq!(bytes.len() as i64, f["size"].as_i64().unwrap(), "{name}");
            }
            // The demo's timelines: a handler signs for its own work, never the centre,
            // and a letter is filed after the matter was registered.
            let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
            let events = d["events"].as_array().unwrap();
            for e in events.iter().filter(|e| e["action"] == "acknowledge") {
                assert_ne!(e["actor"], "综治中心 张丽", "{name}: {e}");
            }
            for f in files.as_array().unwrap() {
                assert!(
                    f["uploaded_at"].as_i64() > events[0]["at"].as_i64(),
                    "{name}: {f}"
                );
            }
            if seen > 0 && files.as_array().is_some_and(|f| !f.is_empty()) {
                // On the page's timeline, in order of time.
                let page = html(&c, &format!("/matters/{id}")).await;
                assert!(page.contains("添加附件"), "{name}");
            }
        }
        assert_eq!(seen, 12, "{name}: every file is listed with its matter");
    }
}
