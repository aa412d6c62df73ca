//! Two years of annual reports for the demo townships, written on the platform from
//! their records as staff would: last year's submitted and published by all three
//! (白沙镇 late, 清溪街道 with a typed sentence whose figure disagrees with the records),
//! this year's in draft with a review comment, and the district's 督办 notices.

use fazhi_core::report::Draft;
use fazhi_core::report::workflow::ReportStatus;
use fazhi_db::annual::notices::{self, NewNotice};
use fazhi_db::annual::{reports, review};
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_web::AppState;
use time::{Date, Duration, Month};

/// (code, name, staff, heads who sign)
const TOWNS: [(&str, &str, &str, [&str; 2]); 3] = [
    ("500160101000", "青石镇", "center", ["刘建国", "王强"]),
    (
        "500160001000",
        "清溪街道",
        "清溪街道党政办",
        ["陈思远", "黄立新"],
    ),
    (
        "500160102000",
        "白沙镇",
        "白沙镇党政办",
        ["吴海峰", "郑秀兰"],
    ),
];

async fn actor(state: &AppState, name: &str) -> Actor {
    match users::by_username(&state.db, name).await {
        Ok(u) => Actor {
            id: Some(u.id),
            name: name.into(),
            shown: None,
        },
        // The other townships' staff have no demo account.
        Err(_) => Actor {
            id: None,
            name: name.into(),
            shown: None,
        },
    }
}

/// The draft's words with the figures staff type filled in, and `extra` added to the
/// first paragraph.
fn filled(fresh: &Draft, extra: &str) -> anyhow::Result<Draft> {
    let mut text = fresh.editable();
    for section in &mut text {
        for para in section.iter_mut() {
            *para = para.replace(
                "〔heads.meetings〕",
                "〔heads.meetings=4；党委会、政府常务会议纪要〕",
            );
        }
    }
    if let Some(first) = text.first_mut().and_then(|s| s.first_mut()) {
        first.push_str(extra);
    }
    Draft::edited(fresh, &text).map_err(anyhow::Error::msg)
}

fn day(year: i32, month: Month, d: u8) -> anyhow::Result<Date> {
    Ok(Date::from_calendar_date(year, month, d)?)
}

/// Seeds the reports of the year before `today` (submitted and published) and of
/// `today`'s year (drafts); returns the number of reports stored.
pub async fn seed(state: &AppState, today: Date) -> anyhow::Result<usize> {
    let db = &state.db;
    let (last, this) = (today.year() - 1, today.year());
    let district = actor(state, "district").await;
    let leader = actor(state, "leader").await;
    let mut stored = 0;
    for (i, (code, name, staff, heads)) in TOWNS.into_iter().enumerate() {
        let t = fazhi_db::admin::divisions::by_code(db, code).await?;
        let who = actor(state, staff).await;
        let fresh = fazhi_web::annual::draft_unscoped(state, code, last)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
        // 清溪街道 typed a figure of its own into the words: the district view flags it.
        let extra = if i == 1 {
            let received = fresh
                .slots()
                .iter()
                .find(|s| s.key == "matters.received")
                .and_then(|s| s.text.trim_end_matches('件').parse::<i64>().ok())
                .unwrap_or(0);
            format!("全年共排查化解矛盾纠纷{}件。", received + 137)
        } else {
            String::new()
        };
        let d = filled(&fresh, &extra)?;
        let v = reports::save(db, &who, t.id, last, &serde_json::to_string(&d)?, 0).await?;
        // 白沙镇 submitted after 1 March and published after 1 April.
        let late = i == 2;
        let (checked, signed, submitted, published) = if late {
            (
                day(this, Month::February, 27)?,
                day(this, Month::March, 4)?,
                day(this, Month::March, 6)?,
                day(this, Month::April, 8)?,
            )
        } else {
            (
                day(this, Month::February, 10 + i as u8)?,
                day(this, Month::February, 18 + i as u8)?,
                day(this, Month::February, 25 + i as u8)?,
                day(this, Month::March, 20 + i as u8)?,
            )
        };
        let text = d.plain_text();
        let steps = [
            (
                ReportStatus::Checked,
                checked,
                Some(format!("{name}保密审查员")),
            ),
            (ReportStatus::Signed, signed, Some(heads.join("、"))),
            (ReportStatus::Submitted, submitted, None),
            (ReportStatus::Published, published, None),
        ];
        let mut version = v;
        for (to, on, by) in steps {
            let step = reports::Step {
                to,
                on,
                who: by,
                text: matches!(to, ReportStatus::Submitted | ReportStatus::Published)
                    .then(|| text.clone()),
            };
            version = reports::advance(db, &who, t.id, last, version, &step).await?;
        }
        stored += 1;
        if late {
            let sent = day(this, Month::March, 2)?;
            let id = notices::send(
                db,
                &district,
                &NewNotice {
                    township_id: t.id,
                    year: last,
                    subject: "年度报告逾期未报送".into(),
                    body: format!(
                        "{last}年度法治政府建设情况报告应于3月1日前报送，请说明原因并尽快报送。"
                    ),
                    due_on: sent + Duration::days(5),
                    sent_on: sent,
                },
            )
            .await?;
            notices::reply(
                db,
                &who,
                t.id,
                id,
                "因党委会审议推迟，报告已于3月6日报送。",
                sent + Duration::days(4),
            )
            .await?;
        }
        if i == 1 && today > day(this, Month::March, 1)? {
            notices::send(
                db,
                &district,
                &NewNotice {
                    township_id: t.id,
                    year: last,
                    subject: "报告数字与平台记录不一致".into(),
                    body: "报告所写矛盾纠纷数与平台记录不一致，请核实后说明。".into(),
                    due_on: today + Duration::days(10),
                    sent_on: today - Duration::days(3),
                },
            )
            .await?;
        }
        // This year's draft: 青石镇 has saved twice and has a comment to answer.
        if i == 0 {
            let fresh = fazhi_web::annual::draft_unscoped(state, code, this)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
            let body = serde_json::to_string(&fresh)?;
            let v = reports::save(db, &who, t.id, this, &body, 0).await?;
            let d = filled(&fresh, "")?;
            reports::save(db, &who, t.id, this, &serde_json::to_string(&d)?, v).await?;
            review::add(
                db,
                &leader,
                t.id,
                this,
                (0, 0),
                "请补充今年“一站式”调处的典型案例。",
            )
            .await?;
            stored += 1;
        }
    }
    Ok(stored)
}
