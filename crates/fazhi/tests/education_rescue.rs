//! Rescue teams (应急救援队伍) and campaigns (专项行动), issue 17 §7, through the real
//! router and a real database (SQLite, and PostgreSQL when FAZHI_TEST_POSTGRES_URL is
//! set): checks with nothing written, the leader's phone sealed and its reveal
//! audited, versions, scoping, and the page's forms.

use crate::common::{villages, world};
use serde_json::json;

const QINGSHI: &str = "500160101000";

#[tokio::test]
async fn rescue_teams_and_campaigns_are_checked_sealed_and_scoped() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let center = w.login("center").await;
        let grid = w.login("grid01").await;
        let today = w.state.clock.today();

        // Refused with every field's reason; nothing written.
        let (s, e) = center
            .post(
                "/api/v1/education/rescue-teams",
                json!({"division_code": QINGSHI, "name": "", "members": 0, "leader": "", "leader_phone": "12"}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in ["name", "members", "leader", "leader_phone"] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        let (_, list) = center.get("/api/v1/education/rescue-teams").await;
        assert!(list.as_array().unwrap().is_empty(), "{name}");

        let (s, team) = center
            .post(
                "/api/v1/education/rescue-teams",
                json!({"division_code": QINGSHI, "name": "青石镇防汛抢险队", "members": 24,
                    "leader": "王强", "leader_phone": "138 1234 5678", "specialty": "防汛"}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {team}");
        assert_eq!(team["leader_phone"], "138****5678", "{name}: masked");
        let id = team["id"].as_i64().unwrap();
        // The reveal is audited; a grid worker, who does not see the township's teams, gets 404.
        let (s, ph) = center
            .post(
                &format!("/api/v1/education/rescue-teams/{id}/reveal"),
                json!({}),
            )
            .await;
        assert_eq!(
            (s.as_u16(), ph["phone"].as_str()),
            (200, Some("13812345678")),
            "{name}: {ph}"
        );
        let audit = fazhi_db::audit::recent(&w.state.db, None, 50)
            .await
            .unwrap();
        assert!(
            audit.iter().any(
                |a| a.action == "rescue_team.reveal" && a.target == format!("rescue_team:{id}")
            ),
            "{name}"
        );
        let (s, _) = grid
            .post(
                &format!("/api/v1/education/rescue-teams/{id}/reveal"),
                json!({}),
            )
            .await;
        assert_eq!(s, 404, "{name}: outside its view");

        // Versions: a change keeps the phone when none is sent; a stale one is refused.
        let (s, changed) = center
            .send_json(
                "PUT",
                &format!("/api/v1/education/rescue-teams/{id}"),
                json!({"division_code": QINGSHI, "name": "青石镇防汛抢险队", "members": 30,
                    "leader": "王强", "version": 1}),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {changed}");
        assert_eq!(
            (
                changed["members"].as_i64(),
                changed["leader_phone"].as_str()
            ),
            (Some(30), Some("138****5678")),
            "{name}"
        );
        let (s, _) = center
            .send_json(
                "PUT",
                &format!("/api/v1/education/rescue-teams/{id}"),
                json!({"division_code": QINGSHI, "name": "x", "members": 3, "leader": "王强", "version": 1}),
                true,
            )
            .await;
        assert_eq!(s, 409, "{name}");

        // Campaigns: the period is checked; the year's list.
        let start = (today - time::Duration::days(10)).to_string();
        let (s, e) = center
            .post(
                "/api/v1/education/campaigns",
                json!({"division_code": QINGSHI, "name": "汛期隐患排查", "starts_on": start,
                    "ends_on": (today - time::Duration::days(20)).to_string()}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(e["fields"]["ends_on"].is_string(), "{name}: {e}");
        let (s, c) = center
            .post(
                "/api/v1/education/campaigns",
                json!({"division_code": own, "name": "汛期隐患排查", "starts_on": start,
                    "results": "排查隐患12处，整改10处"}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {c}");
        let year = (today - time::Duration::days(10)).year();
        let (_, list) = center
            .get(&format!("/api/v1/education/campaigns?year={year}"))
            .await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{name}: {list}");

        // Another township sees neither.
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(
            &w.state.db,
            "qx-leader",
            &hash,
            fazhi_core::role::Role::TownshipLeader,
            "500160001000",
        )
        .await;
        let other = w.login("qx-leader").await;
        let (s, _) = other
            .get(&format!("/api/v1/education/rescue-teams/{id}"))
            .await;
        assert_eq!(s, 404, "{name}");
        let (s, _) = other
            .get(&format!("/api/v1/education/campaigns/{}", c["id"]))
            .await;
        assert_eq!(s, 404, "{name}");
        let (_, l) = other.get("/api/v1/education/rescue-teams").await;
        assert!(l.as_array().unwrap().is_empty(), "{name}");

        // Every new API is in the OpenAPI document generated from the routes.
        let (_, doc) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/openapi.json",
            serde_json::Value::Null,
        )
        .await;
        for path in [
            "/api/v1/education/rescue-teams",
            "/api/v1/education/rescue-teams/{id}",
            "/api/v1/education/rescue-teams/{id}/reveal",
            "/api/v1/education/campaigns",
            "/api/v1/education/campaigns/{id}",
            "/api/v1/education/points",
            "/api/v1/education/events/{id}/files",
            "/api/v1/education/events/{id}/files/{fid}",
            "/api/v1/education/visits/{id}/files",
            "/api/v1/education/visits/{id}/files/{fid}",
            "/api/v1/education/events/imports",
            "/api/v1/education/events/imports/{token}/commit",
            "/api/v1/education/study-sessions/imports",
            "/api/v1/education/study-sessions/imports/{token}/dry-run",
        ] {
            assert!(doc["paths"][path].is_object(), "{name}: {path}");
        }

        // The page: both lists; a refused form is shown again with its message.
        let (s, _, page) = center.get_bytes("/education/rescue").await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("青石镇防汛抢险队") && page.contains("排查隐患12处"),
            "{name}"
        );
        let (s, _, page) = center
            .post_form_bytes(
                "/education/rescue/teams",
                &[
                    ("division_code", QINGSHI),
                    ("name", "护林队"),
                    ("members", "x"),
                    ("leader", "李"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(
            String::from_utf8(page).unwrap().contains("请填写整数"),
            "{name}"
        );
        let (s, _, _) = center
            .post_form_bytes(
                "/education/rescue/teams",
                &[
                    ("division_code", QINGSHI),
                    ("name", "护林队"),
                    ("members", "8"),
                    ("leader", "李明"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (_, list) = center.get("/api/v1/education/rescue-teams").await;
        assert_eq!(list.as_array().unwrap().len(), 2, "{name}");

        // The edit forms: filled from the record, saved at the version read, a stale or
        // refused one shown again with its message; the phone kept when left empty.
        let (s, _, page) = center
            .get_bytes(&format!("/education/rescue/teams/{id}"))
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("value=\"30\"") && page.contains("138****5678"),
            "{name}: filled from the record"
        );
        let (_, t) = center
            .get(&format!("/api/v1/education/rescue-teams/{id}"))
            .await;
        let v = t["version"].as_i64().unwrap().to_string();
        let team_form = |members: &'static str, version: String| {
            vec![
                ("division_code", QINGSHI.to_string()),
                ("name", "青石镇防汛抢险队".to_string()),
                ("members", members.to_string()),
                ("leader", "王强".to_string()),
                ("leader_phone", String::new()),
                ("version", version),
            ]
        };
        let post = |path: String, pairs: Vec<(&'static str, String)>| {
            let center = &center;
            async move {
                let pairs: Vec<(&str, &str)> =
                    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                center.post_form_bytes(&path, &pairs, true).await
            }
        };
        let (s, _, page) = post(
            format!("/education/rescue/teams/{id}"),
            team_form("x", v.clone()),
        )
        .await;
        assert_eq!(s, 400, "{name}");
        assert!(
            String::from_utf8(page).unwrap().contains("请填写整数"),
            "{name}"
        );
        let (s, h, _) = post(
            format!("/education/rescue/teams/{id}"),
            team_form("36", v.clone()),
        )
        .await;
        assert_eq!(s, 303, "{name}: {h:?}");
        let (_, t) = center
            .get(&format!("/api/v1/education/rescue-teams/{id}"))
            .await;
        assert_eq!(
            (t["members"].as_i64(), t["leader_phone"].as_str()),
            (Some(36), Some("138****5678")),
            "{name}: {t}"
        );
        let (s, _, page) = post(format!("/education/rescue/teams/{id}"), team_form("40", v)).await;
        assert_eq!(s, 409, "{name}: the version read is stale");
        assert!(
            String::from_utf8(page).unwrap().contains("未保存"),
            "{name}"
        );
        let cid = c["id"].as_i64().unwrap();
        let (s, _, page) = center
            .get_bytes(&format!("/education/rescue/campaigns/{cid}"))
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(page).unwrap().contains("排查隐患12处"),
            "{name}"
        );
        let campaign_form = |ends: String, version: String| {
            vec![
                ("division_code", own.clone()),
                ("name", "汛期隐患排查".to_string()),
                ("starts_on", start.clone()),
                ("ends_on", ends),
                ("results", "排查隐患12处，全部整改".to_string()),
                ("version", version),
            ]
        };
        let (s, _, _) = post(
            format!("/education/rescue/campaigns/{cid}"),
            campaign_form(
                (today - time::Duration::days(30)).to_string(),
                c["version"].to_string(),
            ),
        )
        .await;
        assert_eq!(s, 400, "{name}: ends before it starts");
        let (s, _, _) = post(
            format!("/education/rescue/campaigns/{cid}"),
            campaign_form(today.to_string(), c["version"].to_string()),
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, c2) = center
            .get(&format!("/api/v1/education/campaigns/{cid}"))
            .await;
        assert_eq!(
            (c2["ends_on"].as_str(), c2["results"].as_str()),
            (
                Some(today.to_string().as_str()),
                Some("排查隐患12处，全部整改")
            ),
            "{name}: {c2}"
        );
        // Someone of another township cannot open the forms.
        let (s, _, _) = other
            .get_bytes(&format!("/education/rescue/teams/{id}"))
            .await;
        assert_eq!(s, 404, "{name}");
    }
}

#[tokio::test]
async fn the_demo_year_has_rescue_teams_a_campaign_and_points_from_its_events() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let added = fazhi_demo::education::seed(&w.state.db, &w.state.vault, today)
            .await
            .unwrap();
        assert_eq!(
            (
                added.rescue.rescue_teams,
                added.rescue.campaigns,
                added.rescue.townships_with_points
            ),
            (6, 3, 1),
            "{name}: {:?}",
            added.rescue
        );
        let center = w.login("center").await;
        let (_, teams) = center.get("/api/v1/education/rescue-teams").await;
        assert_eq!(teams.as_array().unwrap().len(), 2, "{name}: 青石镇's own");
        let (_, pts) = center
            .get(&format!("/api/v1/education/points?division={QINGSHI}"))
            .await;
        assert_eq!(pts["enabled"], true, "{name}");
        let total: i64 = pts["villages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["points"].as_i64().unwrap())
            .sum();
        assert!(total > 0, "{name}: points come from the demo events: {pts}");

        // The statistics carry the points and the teams, each linking to its records.
        let (s, st) = center
            .get(&format!("/api/v1/stats/education?division={QINGSHI}"))
            .await;
        assert_eq!(s, 200, "{name}: {st}");
        let fig = |key: &str| {
            st["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["key"] == key)
                .unwrap_or_else(|| panic!("{key} in {st}"))
                .clone()
        };
        let members: i64 = teams
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["members"].as_i64().unwrap())
            .sum();
        assert_eq!(
            fig("village_points")["value"].as_f64(),
            Some(total as f64),
            "{name}"
        );
        assert_eq!(fig("rescue_teams")["value"].as_f64(), Some(2.0), "{name}");
        assert_eq!(
            fig("rescue_members")["value"].as_f64(),
            Some(members as f64),
            "{name}"
        );
        let year = today.year();
        assert_eq!(
            fig("village_points")["href"],
            format!("/education/points?division={QINGSHI}&year={year}"),
            "{name}"
        );
        assert_eq!(
            fig("rescue_teams")["href"],
            format!("/education/rescue?division={QINGSHI}&year={year}"),
            "{name}"
        );
        // One village: its own points only, and the drill-down pages answer.
        let best = pts["villages"]
            .as_array()
            .unwrap()
            .iter()
            .max_by_key(|v| v["points"].as_i64().unwrap())
            .unwrap()
            .clone();
        let (_, vst) = center
            .get(&format!(
                "/api/v1/stats/education?division={}",
                best["code"].as_str().unwrap()
            ))
            .await;
        let vpoints = vst["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == "village_points")
            .unwrap()["value"]
            .as_f64();
        assert_eq!(vpoints, best["points"].as_f64(), "{name}: {best}");
        for key in ["village_points", "rescue_teams"] {
            let (s, _, _) = center.get_bytes(fig(key)["href"].as_str().unwrap()).await;
            assert_eq!(s, 200, "{name}: {key}");
        }
        // The district sees the three townships' teams (one township has points).
        let (_, dst) = w
            .login("district")
            .await
            .get("/api/v1/stats/education")
            .await;
        let dteams = dst["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == "rescue_teams")
            .unwrap()["value"]
            .as_f64();
        assert_eq!(dteams, Some(6.0), "{name}: {dst}");
    }
}
