//! Storage tests on real engines: SQLite always, PostgreSQL when configured.

use fazhi_core::division::Level;
use fazhi_db::admin::divisions::{self, DivisionFilter, NewDivision};
use fazhi_db::audit::{self, Actor};
use fazhi_db::testing;

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
        for i in 0..5 {
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
        let v = audit::verify(db).await.unwrap();
        assert_eq!(v.rows, 5);
        assert_eq!(v.first_bad, None, "{}", t.name());
        // The application path cannot rewrite history: triggers refuse it.
        let r = sqlx::query("UPDATE audit_log SET detail = 'y' WHERE seq = 2")
            .execute(db.reader())
            .await;
        assert!(r.is_err(), "{}: update of an audit row must fail", t.name());
        let r = sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(db.reader())
            .await;
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
        let v = audit::verify(&t.db).await.unwrap();
        assert_eq!((v.rows, v.first_bad), (n, None), "{}", t.name());
        other.close().await;
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
            for i in 0..5 {
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
            let drop_guard = match t.name() {
                "sqlite" => vec![
                    "DROP TRIGGER audit_log_no_update",
                    "DROP TRIGGER audit_log_no_delete",
                ],
                _ => vec!["DROP TRIGGER audit_log_no_update ON audit_log"],
            };
            for s in drop_guard {
                sqlx::query(s).execute(db.reader()).await.unwrap();
            }
            sqlx::query(sqlx::AssertSqlSafe(tamper))
                .execute(db.reader())
                .await
                .unwrap();
            let v = audit::verify(db).await.unwrap();
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
    let v = audit::verify(&copy).await.unwrap();
    assert_eq!(v.rows, 1);
    assert_eq!(v.first_bad, None);
    copy.close().await;
    assert!(t.db.backup_to(&to).await.is_err(), "refuses to overwrite");
    let _ = std::fs::remove_file(&to);
}
