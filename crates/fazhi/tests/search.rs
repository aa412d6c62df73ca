//! Searching the ledger the way staff do (SQLite, and PostgreSQL when
//! FAZHI_TEST_POSTGRES_URL is set): by 查询码, by a party's phone or ID number through
//! the blind index (audited), and by a word with its synonyms — "欠薪" finds the 劳资欠薪
//! matters whatever words they use.

use crate::common::{id_number, world};
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn staff_find_matters_by_code_person_and_synonyms() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = w.login("center").await;
        let (village, _) = crate::common::villages(&w).await;
        let idn = id_number("51010519800101123");
        let mut made = Vec::new();
        for (category, summary, party) in [
            (
                "unpaid_wages",
                "务工人员反映被拖欠三个月工资",
                json!({"name": "甲", "phone": "13812345678"}),
            ),
            (
                "neighbour",
                "邻居装修噪声扰民",
                json!({"name": "乙", "id_number": idn}),
            ),
            ("neighbour", "楼上噪音影响休息", json!({"name": "丙"})),
            ("unpaid_wages", "讨要劳务费未果", json!({"name": "丁"})),
            ("neighbour", "院墙边界争议", json!({"name": "戊"})),
        ] {
            let (s, m) = c
                .post(
                    "/api/v1/matters",
                    json!({"kind": "dispute", "channel": "visit", "category": category,
                        "division_code": village, "summary": summary, "parties": [party]}),
                )
                .await;
            assert_eq!(s, 201, "{name}: {m}");
            made.push((
                m["id"].as_i64().unwrap(),
                m["tracking_code"].as_str().unwrap().to_string(),
            ));
        }
        let search = |q: &str| {
            format!(
                "/api/v1/matters?q={}&limit=50",
                url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
            )
        };
        // 欠薪: the text says 拖欠工资, or nothing of the kind but the category says so.
        let (_, v) = c.get(&search("欠薪")).await;
        let mut got = ids(&v);
        got.sort();
        assert_eq!(got, vec![made[0].0, made[3].0], "{name}: {v}");
        // 噪音 finds 噪声 too, and not the wall.
        let (_, v) = c.get(&search("噪音")).await;
        let mut got = ids(&v);
        got.sort();
        assert_eq!(got, vec![made[1].0, made[2].0], "{name}: {v}");
        // The 查询码, typed grouped and in lower case.
        let grouped = fazhi_core::matter::tracking_shown(&made[4].1).to_lowercase();
        let (_, v) = c.get(&search(&grouped)).await;
        assert_eq!(ids(&v), vec![made[4].0], "{name}: {v}");
        // A party's phone or ID number finds their matters, and the search is on file.
        let (_, v) = c.get(&search("138 1234 5678")).await;
        assert_eq!(ids(&v), vec![made[0].0], "{name}: {v}");
        let (_, v) = c.get(&search(&idn.to_lowercase())).await;
        assert_eq!(ids(&v), vec![made[1].0], "{name}: {v}");
        let searches = fazhi_db::audit::search(
            &w.state.db,
            &fazhi_db::audit::AuditFilter {
                action_prefix: Some("party.search".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
        assert_eq!(searches.len(), 2, "{name}");
        assert!(
            searches.iter().all(|a| !a.detail.contains("5678")),
            "no number in the log"
        );
        // A number that is neither is said plainly.
        let (s, r) = c.get(&search("1381234567899")).await;
        assert_eq!(s, 400, "{name}: {r}");

        // The centre edits the list: a new group works at once; a bad line is refused.
        let (s, _, _) = c
            .post_form_bytes(
                "/settings/synonyms",
                &[("text", "边界 院墙 围墙\n欠薪 讨薪 => unpaid_wages\n")],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (_, v) = c.get(&search("围墙")).await;
        assert_eq!(ids(&v), vec![made[4].0], "{name}: {v}");
        let (s, _, page) = c
            .post_form_bytes(
                "/settings/synonyms",
                &[("text", "欠薪 => no_such_code")],
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(
            String::from_utf8_lossy(&page).contains("no_such_code"),
            "{name}"
        );
        // A grid worker cannot edit it.
        let g = w.login("grid01").await;
        let (s, _, _) = g.get_bytes("/settings/synonyms").await;
        assert_eq!(s, 403, "{name}");
    }
}
