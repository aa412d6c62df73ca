//! Storage tests on real engines: SQLite always, PostgreSQL when configured.

use fazhi_core::division::Level;
use fazhi_db::admin::divisions::{self, DivisionFilter, NewDivision};
use fazhi_db::audit::{self, Actor};
use fazhi_testkit::db as testing;

const KEY: &str = "0123456789abcdef0123456789abcdef-test";

fn div(code: &str, name: &str, level: Level, parent_id: Option<i64>) -> NewDivision {
    NewDivision {
        code: code.into(),
        name: name.into(),
        level,
        parent_id,
        valid_from: None,
        valid_to: None,
    }
}

/// Appends `n` audit rows `test.event` with targets `n:0`, `n:1`, ….
async fn events(db: &fazhi_db::Db, n: usize) {
    for i in 0..n {
        audit::record(
            db,
            &Actor::system("test"),
            "test.event",
            &format!("n:{i}"),
            "x",
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn divisions_paths_scoping_and_conflicts() {
    for t in testing::all().await {
        let db = &t.db;
        let a = Actor::system("test");
        let county = divisions::create(db, &a, &div("500160000000", "清溪区", Level::County, None))
            .await
            .unwrap();
        let t1 = divisions::create(
            db,
            &a,
            &div("500160101000", "青石镇", Level::Township, Some(county.id)),
        )
        .await
        .unwrap();
        let t2 = divisions::create(
            db,
            &a,
            &div("500160102000", "白沙镇", Level::Township, Some(county.id)),
        )
        .await
        .unwrap();
        let v1 = divisions::create(
            db,
            &a,
            &div("500160101200", "龙井村", Level::Village, Some(t1.id)),
        )
        .await
        .unwrap();
        assert_eq!(
            v1.path,
            format!("/{}/{}/{}/", county.id, t1.id, v1.id),
            "{}",
            t.name()
        );

        let f = DivisionFilter {
            limit: 100,
            ..Default::default()
        };
        let in_t1 = divisions::list(db, std::slice::from_ref(&t1.path), &f)
            .await
            .unwrap();
        assert_eq!(
            in_t1.iter().map(|d| d.id).collect::<Vec<_>>(),
            vec![t1.id, v1.id],
            "{}",
            t.name()
        );
        let in_t2 = divisions::list(db, std::slice::from_ref(&t2.path), &f)
            .await
            .unwrap();
        assert_eq!(in_t2.len(), 1);
        assert!(
            divisions::list(db, &[], &f).await.unwrap().is_empty(),
            "empty scope sees nothing"
        );

        let dup = divisions::create(
            db,
            &a,
            &div("500160101200", "重复", Level::Village, Some(t1.id)),
        )
        .await;
        match dup {
            Err(fazhi_db::DbError::Conflict { field, .. }) => {
                assert_eq!(field, "code", "{}", t.name())
            }
            other => panic!("{}: expected a conflict on code, got {other:?}", t.name()),
        }
    }
}

#[tokio::test]
async fn audit_chain_verifies_and_rejects_updates() {
    for t in testing::all().await {
        let db = &t.db;
        events(db, 5).await;
        let v = audit::verify(db, None).await.unwrap();
        assert_eq!(v.rows, 5);
        assert_eq!(v.first_bad, None, "{}", t.name());
        // The application path cannot rewrite history: triggers refuse it.
        let r = testing::execute_raw(db, "UPDATE audit_log SET detail = 'y' WHERE seq = 2").await;
        assert!(r.is_err(), "{}: update of an audit row must fail", t.name());
        let r = testing::execute_raw(db, "DELETE FROM audit_log WHERE seq = 2").await;
        assert!(r.is_err(), "{}: delete of an audit row must fail", t.name());
    }
}

/// Two processes append to one log (the server and the CLI), one of them from
/// transactions that roll back: each process's guess of the head goes stale, and the
/// chain must still never fork.
#[tokio::test]
async fn audit_appenders_in_two_processes_keep_one_chain() {
    for t in testing::all().await {
        let other = fazhi_db::Db::connect(&t.url).await.unwrap();
        let actor = Actor::system("test");
        let mut n = 0;
        for round in 0..4 {
            for db in [&t.db, &other, &t.db, &t.db, &other] {
                audit::record(db, &actor, "test.event", &format!("n:{round}"), "x")
                    .await
                    .unwrap();
                n += 1;
            }
            // Appended, then rolled back: the cached head is ahead of the log.
            let mut tx = t.db.begin().await.unwrap();
            audit::append_tx(&mut tx, &actor, "test.lost", "n:-", "x")
                .await
                .unwrap();
            drop(tx);
            // The plain append (no cache) moves the head under the other's cache.
            let mut tx = other.begin().await.unwrap();
            audit::append(&mut tx, &actor, "test.plain", "n:-", "x")
                .await
                .unwrap();
            tx.commit().await.unwrap();
            n += 1;
        }
        let v = audit::verify(&t.db, None).await.unwrap();
        assert_eq!((v.rows, v.first_bad), (n, None), "{}", t.name());
        other.close().await;
    }
}

/// Many appenders at once (as under the lifecycle load), actors with and without an id
/// and with Chinese names: on PostgreSQL the hash is computed by the server in the one
/// statement that moves the head (`audit::pg_append_ctes`), and must be the one that
/// `verify` computes in Rust; waiting appenders must chain onto each other, never fork.
#[tokio::test]
async fn audit_appends_from_many_tasks_at_once_keep_one_chain() {
    for t in testing::all().await {
        let mut tasks = Vec::new();
        for i in 0..16i64 {
            let db = t.db.clone();
            tasks.push(tokio::spawn(async move {
                let actor = Actor {
                    id: (i % 2 == 0).then_some(i + 1),
                    name: format!("办事员{i}"),
                    shown: None,
                };
                for k in 0..5 {
                    audit::record(
                        &db,
                        &actor,
                        "test.event",
                        &format!("事项:{i}-{k}"),
                        "甲 -> 乙\n",
                    )
                    .await
                    .unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let v = audit::verify(&t.db, None).await.unwrap();
        assert_eq!((v.rows, v.first_bad), (80, None), "{}", t.name());
    }
}

/// Someone with raw access to the database drops the guard and edits history:
/// verification must name the first row altered or removed.
#[tokio::test]
async fn audit_tampering_is_detected() {
    for t in testing::all().await {
        for (tamper, bad_seq) in [
            ("UPDATE audit_log SET detail = 'forged' WHERE seq = 3", 3),
            ("DELETE FROM audit_log WHERE seq = 2", 2),
            ("DELETE FROM audit_log WHERE seq = 5", 5),
        ] {
            let fresh = match t.name() {
                "sqlite" => testing::sqlite().await.unwrap(),
                _ => testing::postgres().await.unwrap().unwrap(),
            };
            let db = &fresh.db;
            events(db, 5).await;
            let drop_guard = match t.name() {
                "sqlite" => vec![
                    "DROP TRIGGER audit_log_no_update",
                    "DROP TRIGGER audit_log_no_delete",
                ],
                _ => vec!["DROP TRIGGER audit_log_no_update ON audit_log"],
            };
            for s in drop_guard {
                testing::execute_raw(db, s).await.unwrap();
            }
            testing::execute_raw(db, tamper).await.unwrap();
            let v = audit::verify(db, None).await.unwrap();
            let (seq, why) = v
                .first_bad
                .unwrap_or_else(|| panic!("{}: tampering not detected: {tamper}", t.name()));
            assert_eq!(seq, bad_seq, "{}: {tamper}: {why}", t.name());
        }
    }
}

#[tokio::test]
async fn backup_copies_a_live_database() {
    let t = testing::sqlite().await.unwrap();
    audit::record(&t.db, &Actor::system("test"), "test.event", "n", "x")
        .await
        .unwrap();
    let to = std::env::temp_dir().join(format!("fazhi_backup_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&to);
    t.db.backup_to(&to).await.unwrap();
    let copy = fazhi_db::Db::open(&format!("sqlite://{}", to.display()))
        .await
        .unwrap();
    let v = audit::verify(&copy, None).await.unwrap();
    assert_eq!(v.rows, 1);
    assert_eq!(v.first_bad, None);
    copy.close().await;
    assert!(t.db.backup_to(&to).await.is_err(), "refuses to overwrite");
    let _ = std::fs::remove_file(&to);
}

/// Raw access can also cut the log's tail and move the head back, wipe the log, or
/// rewrite it and compute the chain again: the chain alone then looks intact, and
/// only the checkpoints kept outside the database tell.
#[tokio::test]
async fn checkpoints_outside_the_database_catch_a_cut_wiped_or_rechained_log() {
    let zeros = "0".repeat(64);
    let attacks: [(&str, Vec<String>, bool); 3] = [
        (
            "tail cut, head moved back",
            vec![
                "DELETE FROM audit_log WHERE seq > 3".into(),
                "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)"
                    .into(),
            ],
            false,
        ),
        (
            "wiped",
            vec![
                "DELETE FROM audit_log".into(),
                format!("UPDATE audit_head SET seq = 0, hash = '{zeros}'"),
            ],
            false,
        ),
        (
            "rewritten and re-chained",
            vec![
                "DELETE FROM audit_log".into(),
                format!("UPDATE audit_head SET seq = 0, hash = '{zeros}'"),
            ],
            true,
        ),
    ];
    for name in ["sqlite", "postgres"] {
        for (attack, statements, rechain) in &attacks {
            let fresh = match name {
                "sqlite" => testing::sqlite().await.unwrap(),
                _ => match testing::postgres().await.unwrap() {
                    Some(t) => t,
                    None => continue,
                },
            };
            let db = &fresh.db;
            let dir = tempfile::tempdir().unwrap();
            let vault = fazhi_db::pii::Vault::from_key_text(KEY).unwrap();
            let anchor = vault.anchor(dir.path().join("fazhi.anchors"));
            let actor = Actor::system("test");
            for i in 0..5 {
                audit::record(db, &actor, "test.event", &format!("n:{i}"), "x")
                    .await
                    .unwrap();
            }
            let c = anchor.checkpoint(db, 1).await.unwrap().expect("written");
            assert_eq!(c.seq, 5);
            assert!(
                anchor.checkpoint(db, 2).await.unwrap().is_none(),
                "unchanged"
            );
            let v = audit::verify(db, Some(&anchor)).await.unwrap();
            assert_eq!((v.first_bad, v.checkpoints), (None, 1), "{name}");

            let drop_guard = match name {
                "sqlite" => "DROP TRIGGER audit_log_no_delete",
                _ => "DROP TRIGGER audit_log_no_update ON audit_log",
            };
            testing::execute_raw(db, drop_guard).await.unwrap();
            for s in statements {
                testing::execute_raw(db, s.clone()).await.unwrap();
            }
            if *rechain {
                for i in 0..5 {
                    audit::record(db, &actor, "test.forged", &format!("n:{i}"), "x")
                        .await
                        .unwrap();
                }
            }
            let plain = audit::verify(db, None).await.unwrap();
            assert_eq!(
                plain.first_bad, None,
                "{name}: {attack}: the chain alone looks intact"
            );
            let v = audit::verify(db, Some(&anchor)).await.unwrap();
            let (_, why) = v
                .first_bad
                .unwrap_or_else(|| panic!("{name}: {attack}: not detected"));
            assert!(
                why.contains("removed") || why.contains("rewritten"),
                "{why}"
            );
        }
    }
}

/// A checkpoint line that was not signed with the key is reported, not trusted.
#[tokio::test]
async fn a_forged_checkpoint_is_reported() {
    let t = testing::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fazhi.anchors");
    let vault = fazhi_db::pii::Vault::from_key_text(KEY).unwrap();
    let anchor = vault.anchor(path.clone());
    audit::record(&t.db, &Actor::system("test"), "test.event", "n", "x")
        .await
        .unwrap();
    anchor.checkpoint(&t.db, 1).await.unwrap();
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("9 {} 2 {}\n", "a".repeat(64), "b".repeat(64)));
    std::fs::write(&path, text).unwrap();
    let v = audit::verify(&t.db, Some(&anchor)).await.unwrap();
    let (seq, why) = v.first_bad.expect("forged line reported");
    assert_eq!(seq, 0);
    assert!(why.contains("line 2"), "{why}");
    // Signed with another key file: just as forged.
    let other = fazhi_db::pii::Vault::from_key_text(&format!("{KEY}-other")).unwrap();
    assert!(other.anchor(path).read().is_err());
}

/// `INSERT OR REPLACE` (SQLite) and `ON CONFLICT DO UPDATE` (PostgreSQL) would replace
/// a row without an UPDATE or DELETE: both are refused.
#[tokio::test]
async fn audit_rows_cannot_be_replaced_by_insert() {
    for t in testing::all().await {
        events(&t.db, 3).await;
        let replace = match t.name() {
            "sqlite" => {
                "INSERT OR REPLACE INTO audit_log (seq, at, actor_id, actor, action, target, detail, prev_hash, hash) SELECT seq, at, actor_id, actor, action, target, 'forged', prev_hash, hash FROM audit_log WHERE seq = 2"
            }
            _ => {
                "INSERT INTO audit_log (seq, at, actor_id, actor, action, target, detail, prev_hash, hash) SELECT seq, at, actor_id, actor, action, target, 'forged', prev_hash, hash FROM audit_log WHERE seq = 2 ON CONFLICT (seq) DO UPDATE SET detail = 'forged'"
            }
        };
        let r = testing::execute_raw(&t.db, replace).await;
        assert!(r.is_err(), "{}: replace was accepted", t.name());
        let v = audit::verify(&t.db, None).await.unwrap();
        assert_eq!((v.rows, v.first_bad), (3, None), "{}", t.name());
    }
}
