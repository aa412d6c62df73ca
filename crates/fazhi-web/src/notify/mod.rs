//! Notifications (issue 14 §11): in the app with an unread count, a daily digest, and
//! an outgoing webhook (HMAC-signed JSON, retried with backoff, logged) so a township
//! can forward them to 政务微信 or 钉钉. Nothing needs the internet: with the webhook
//! unset, everything else works.
//!
//! A sweep (every minute in `serve`, or called directly) reads the records and tells
//! each person what concerns them: a matter assigned to their unit or village and not
//! yet signed for, one due within three days, one overdue (the handler and the centre),
//! a 督办 on a matter they handle, a closing waiting for the centre's review, a matter
//! sent back (回退) to the centre, a district 督办 on the township's annual report. Each
//! is stored once per person and key, so the sweep can run as often as it likes.

pub mod api;
mod pages;
pub mod webhook;

use std::collections::HashMap;

use fazhi_core::matter::Status;
use fazhi_core::role::Role;
use fazhi_db::notify::{self, NewNotification};
use time::Duration;

use crate::AppState;
use crate::error::ApiResult;

pub(crate) use pages::routes as page_routes;

/// Days before a deadline when the handler is told.
const DUE_SOON_DAYS: i64 = 3;

/// Most new notifications one sweep stores (the rest come on the next run), so a
/// first sweep over a large database never holds the writer for long.
const MAX_PER_SWEEP: usize = 2_000;

/// Who hears about the matters of a handler or a township (cached per sweep).
struct Recipients<'a> {
    state: &'a AppState,
    handlers: HashMap<(String, i64), Vec<i64>>,
    centres: HashMap<i64, Vec<i64>>,
}

impl Recipients<'_> {
    /// Members of a unit, or the village's mediators.
    async fn handler(&mut self, kind: &str, id: i64) -> ApiResult<Vec<i64>> {
        if let Some(v) = self.handlers.get(&(kind.to_string(), id)) {
            return Ok(v.clone());
        }
        let v = match kind {
            "unit" => notify::unit_members(&self.state.db, id).await?,
            _ => notify::holders(&self.state.db, id, &[Role::VillageMediator]).await?,
        };
        self.handlers.insert((kind.to_string(), id), v.clone());
        Ok(v)
    }

    /// The centre's staff of a township.
    async fn centre(&mut self, township_id: i64) -> ApiResult<Vec<i64>> {
        if let Some(v) = self.centres.get(&township_id) {
            return Ok(v.clone());
        }
        let v = notify::holders(&self.state.db, township_id, &[Role::CenterStaff]).await?;
        self.centres.insert(township_id, v.clone());
        Ok(v)
    }
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        t.push('…');
    }
    t
}

/// Runs one sweep; returns how many notifications were new.
pub async fn sweep(state: &AppState) -> ApiResult<usize> {
    let today = state.clock.today();
    let mut out: Vec<NewNotification> = Vec::new();
    let mut who = Recipients {
        state,
        handlers: HashMap::new(),
        centres: HashMap::new(),
    };
    let tell = |out: &mut Vec<NewNotification>,
                users: &[i64],
                kind,
                title: &str,
                link: &str,
                key: &str| {
        for u in users {
            out.push(NewNotification {
                user_id: *u,
                kind,
                title: title.to_string(),
                link: link.to_string(),
                key: key.to_string(),
            });
        }
    };
    for m in notify::pressing(&state.db, today + Duration::days(DUE_SOON_DAYS)).await? {
        let link = format!("/matters/{}", m.id);
        let code = fazhi_core::matter::tracking_shown(&m.tracking_code);
        let what = format!("{code} {}", short(&m.summary));
        let handler = match (m.assignee_kind.as_deref(), m.assignee_id) {
            (Some(k), Some(id)) => who.handler(k, id).await?,
            _ => vec![],
        };
        if m.status == Status::Reviewing {
            if let Some(t) = m.township_id {
                let centre = who.centre(t).await?;
                tell(
                    &mut out,
                    &centre,
                    "review",
                    &format!("待审核办结：{what}"),
                    &link,
                    &format!("review:{}", m.id),
                );
            }
            continue;
        }
        if m.status == Status::Assigned {
            let key = format!(
                "assigned:{}:{}:{}",
                m.id,
                m.assignee_kind.as_deref().unwrap_or(""),
                m.assignee_id.unwrap_or(0)
            );
            tell(
                &mut out,
                &handler,
                "assigned",
                &format!("交办给你：{what}"),
                &link,
                &key,
            );
        }
        if let Some(level) = &m.supervision {
            tell(
                &mut out,
                &handler,
                "supervised",
                &format!("督办：{what}"),
                &link,
                &format!("supervise:{}:{level}", m.id),
            );
        }
        if let Some(due) = m.due_on {
            let left = (due - today).whole_days();
            if left < 0 {
                let title = format!("已超期{}天：{what}", -left);
                tell(
                    &mut out,
                    &handler,
                    "overdue",
                    &title,
                    &link,
                    &format!("overdue:{}:{due}", m.id),
                );
                if let Some(t) = m.township_id {
                    let centre = who.centre(t).await?;
                    tell(
                        &mut out,
                        &centre,
                        "overdue",
                        &title,
                        &link,
                        &format!("overdue:{}:{due}", m.id),
                    );
                }
            } else if left <= DUE_SOON_DAYS {
                let title = format!("{}天后到期（{due}）：{what}", left);
                tell(
                    &mut out,
                    &handler,
                    "due",
                    &title,
                    &link,
                    &format!("due:{}:{due}", m.id),
                );
            }
        }
    }
    // 回退 to the centre in the last week.
    let week_ago = state.clock.now_ms() - 7 * 24 * 3600 * 1000;
    for r in notify::returned_since(&state.db, week_ago).await? {
        if let Some(t) = r.township_id {
            let centre = who.centre(t).await?;
            let title = format!(
                "事项被回退：{} {}",
                fazhi_core::matter::tracking_shown(&r.tracking_code),
                short(&r.summary)
            );
            tell(
                &mut out,
                &centre,
                "returned",
                &title,
                &format!("/matters/{}", r.matter_id),
                &format!("returned:{}", r.event_id),
            );
        }
    }
    // The district's 督办 on annual reports, until answered.
    for n in fazhi_db::annual::notices::open(&state.db).await? {
        let staff = notify::holders(
            &state.db,
            n.township_id,
            &[Role::CenterStaff, Role::TownshipLeader],
        )
        .await?;
        let title = format!(
            "区督办（{}年度报告）：{}，{}前回复",
            n.year, n.subject, n.due_on
        );
        let link = format!("/annual/{}/{}", n.township_code, n.year);
        tell(
            &mut out,
            &staff,
            "annual_notice",
            &title,
            &link,
            &format!("annual_notice:{}", n.id),
        );
    }
    // One digest a day for whoever has something unread today.
    let mut per_user: HashMap<i64, usize> = HashMap::new();
    for n in &out {
        *per_user.entry(n.user_id).or_default() += 1;
    }
    for (user, count) in per_user {
        out.push(NewNotification {
            user_id: user,
            kind: "digest",
            title: format!("今日提醒：共{count}项待办事项需要关注"),
            link: "/notifications".into(),
            key: format!("digest:{today}"),
        });
    }
    // Those stored on earlier runs are dropped by a read, before the write.
    let out = notify::unseen(&state.db, out).await?;
    let hook = webhook::config(state).await?;
    let origin = state.settings.public_url.clone().unwrap_or_default();
    // The cap counts new rows only: those stored on earlier runs never crowd out the rest.
    Ok(
        notify::add(&state.db, &out, MAX_PER_SWEEP, hook.is_some(), &|n, id| {
            serde_json::json!({
                "id": id,
                "user_id": n.user_id,
                "kind": n.kind,
                "title": n.title,
                "link": format!("{origin}{}", n.link),
            })
            .to_string()
        })
        .await?,
    )
}

/// Sweeps and delivers every minute (started by `serve`).
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        // The first tick is immediate: wait a minute before the first sweep.
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = sweep(&state).await {
                tracing::error!(error = %e.body.message, "notification sweep failed");
            }
            if let Err(e) = webhook::deliver(&state).await {
                tracing::error!(error = %e.body.message, "webhook delivery failed");
            }
        }
    })
}
