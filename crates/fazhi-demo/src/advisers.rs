//! Legal advisers (法律顾问) for the demo townships: each township's own adviser and
//! village advisers covering all villages but one (a gap the coverage list shows, its
//! former adviser's contract lapsed), an external account `lawyer` in 青石镇 linked to
//! the township adviser, with the pending desk items put to it (one already answered by
//! the adviser's account), consultations and mediation logged by hand, and last year's
//! assessment.

use fazhi_core::decisions::{
    AdviserLogKind, AdviserRating, AdviserSpec, LegalOpinion, ReviewAction, ReviewStatus,
    apply_review,
};
use fazhi_core::division::Level;
use fazhi_core::role::Role;
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::auth::{grants, users};
use fazhi_db::decisions::{advisers, reviews};
use time::{Date, Duration, Month};

/// The township the demo's accounts work in.
const TOWN: &str = "500160101000";

const FIRMS: [&str; 3] = [
    "重庆清溪律师事务所",
    "重庆明理律师事务所",
    "重庆青石法律服务所",
];
const LAWYERS: [&str; 12] = [
    "周明", "吴芳", "郑凯", "冯丽", "陈涛", "褚静", "卫东", "蒋华", "沈洁", "韩磊", "杨帆", "朱琳",
];

fn licence(n: usize) -> String {
    format!("150012015{:08}", 10_000_000 + n * 7919)
}

fn spec(n: usize, from: Date, to: Date, township: bool) -> AdviserSpec {
    AdviserSpec {
        firm: FIRMS[n % FIRMS.len()].into(),
        lawyer: LAWYERS[n % LAWYERS.len()].into(),
        licence_no: licence(n),
        term_from: from,
        term_to: to,
        service_scope: if township {
            "重大行政决策、规范性文件、合同的合法性审查，复议诉讼应诉，信访和重大突发事件法律服务"
                .into()
        } else {
            "村（社区）重大事项法律咨询、村规民约审查、参与矛盾纠纷调解、法治宣传".into()
        },
        fee_fen: if township { 6_000_000 } else { 1_200_000 },
        serves_township: township,
    }
}

/// The township's own adviser in force on `on`, if the roster is seeded: the other
/// demo streams name it on their discussions and hearings, as the forms pick it.
pub async fn township_adviser(db: &Db, township_path: &str, on: Date) -> anyhow::Result<Vec<i64>> {
    Ok(advisers::list(db, &[township_path.to_string()])
        .await?
        .into_iter()
        .filter(|a| {
            a.serves_township && fazhi_core::decisions::term_valid_on(a.term_from, a.term_to, on)
        })
        .map(|a| a.id)
        .take(1)
        .collect())
}

/// Adds the advisers; the number stored.
pub async fn seed(db: &Db, today: Date) -> anyhow::Result<usize> {
    let actor = Actor::system("demo");
    let district = divisions::by_code(db, crate::DISTRICT).await?;
    let all = divisions::tree(db, std::slice::from_ref(&district.path)).await?;
    let year_start = Date::from_calendar_date(today.year(), Month::January, 1)?;
    let last_start = Date::from_calendar_date(today.year() - 1, Month::January, 1)?;
    let year_end = Date::from_calendar_date(today.year(), Month::December, 31)?;
    let mut n = 0usize;
    let mut stored = 0;
    let mut lawyer_adviser = None;
    for t in all.iter().filter(|d| d.level == Level::Township) {
        let own = advisers::create(
            db,
            &actor,
            t.id,
            &t.path,
            &spec(n, last_start, year_end, true),
            None,
            &[],
        )
        .await?;
        n += 1;
        stored += 1;
        if t.code == TOWN {
            lawyer_adviser = Some(own);
        }
        let villages: Vec<i64> = all
            .iter()
            .filter(|d| d.level == Level::Village && d.parent_id == Some(t.id))
            .map(|d| d.id)
            .collect();
        // The first township's last village: its adviser's contract lapsed.
        let (covered, gap) = match (t.code == TOWN, villages.split_last()) {
            (true, Some((last, rest))) => (rest.to_vec(), Some(*last)),
            _ => (villages.clone(), None),
        };
        for chunk in covered.chunks(4) {
            advisers::create(
                db,
                &actor,
                t.id,
                &t.path,
                &spec(n, year_start, year_end, false),
                None,
                chunk,
            )
            .await?;
            n += 1;
            stored += 1;
        }
        if let Some(v) = gap {
            let ended = today - Duration::days(60);
            advisers::create(
                db,
                &actor,
                t.id,
                &t.path,
                &spec(n, ended - Duration::days(365), ended, false),
                None,
                &[v],
            )
            .await?;
            n += 1;
            stored += 1;
        }
    }
    if let Some(a) = lawyer_adviser {
        lawyer_account(db, &actor, &a, today).await?;
    }
    Ok(stored)
}

/// The `lawyer` account for 青石镇's own adviser, with its work.
async fn lawyer_account(
    db: &Db,
    actor: &Actor,
    a: &advisers::AdviserRow,
    today: Date,
) -> anyhow::Result<()> {
    let hash = fazhi_web::auth::secrets::hash_password(crate::DEMO_PASSWORD.to_string())
        .await
        .map_err(anyhow::Error::msg)?;
    let u = users::create(
        db,
        actor,
        &users::NewUser {
            username: "lawyer".into(),
            display_name: format!("法律顾问 {}", a.lawyer),
            phone: None,
            password_hash: hash,
            grid_id: None,
            unit_id: None,
        },
    )
    .await?;
    grants::add(db, actor, u.id, Role::LegalAdviser, a.division_id).await?;
    let spec = AdviserSpec {
        firm: a.firm.clone(),
        lawyer: a.lawyer.clone(),
        licence_no: a.licence_no.clone(),
        term_from: a.term_from,
        term_to: a.term_to,
        service_scope: a.service_scope.clone(),
        fee_fen: a.fee_fen,
        serves_township: a.serves_township,
    };
    let a = advisers::update(db, actor, a, None, &spec, Some(u.id), &[]).await?;
    // The items still waiting on the desk are put to the adviser; the adviser answers one.
    let roots = vec![a.division_path.clone()];
    let pending = reviews::pending(db, &roots).await?;
    let leader = users::by_username(db, "leader").await?;
    let leader = Actor {
        id: Some(leader.id),
        name: "leader".into(),
        shown: None,
    };
    let me = Actor {
        id: Some(u.id),
        name: "lawyer".into(),
        shown: None,
    };
    for (i, r) in pending.iter().enumerate() {
        advisers::assign(db, &leader, r.id, a.id).await?;
        if i == 0 && r.status == ReviewStatus::Pending {
            let act = ReviewAction::Review {
                opinion: LegalOpinion::Amend,
                reasons: "第三条的收费事项缺少法律依据，建议删除；其余内容合法".into(),
                // As the API does for an adviser's account: linked by roster id.
                adviser_id: Some(a.id),
            };
            let (code, note) = (act.code(), act.note());
            let done = reviews::act(db, &me, &roots, r.id, None, code, today, |_, s| {
                apply_review(&s, &act, today, u.id).map(|n| (n, note))
            })
            .await?;
            done.map_err(|e| anyhow::anyhow!("demo adviser review {}: {e}", r.id))?;
        }
    }
    for (ago, kind, subject) in [
        (
            120,
            AdviserLogKind::Consultation,
            "为镇党政办解答土地征收补偿政策咨询",
        ),
        (
            75,
            AdviserLogKind::Mediation,
            "参与青石村承包地边界纠纷调解",
        ),
        (
            40,
            AdviserLogKind::Petition,
            "参与一起拆迁补偿信访事项的接访和答复",
        ),
        (
            15,
            AdviserLogKind::Other,
            "为村“两委”干部讲授村务决策中的法律风险",
        ),
    ] {
        let on = (today - Duration::days(ago)).max(a.term_from);
        advisers::add_log(db, &leader, a.id, on, kind, subject, "").await?;
    }
    advisers::assess(
        db,
        &leader,
        a.id,
        today.year() - 1,
        AdviserRating::Competent,
        "按约完成审查和咨询，出具意见及时",
        today,
    )
    .await?;
    Ok(())
}
