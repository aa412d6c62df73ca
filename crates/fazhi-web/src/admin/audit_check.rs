//! Verifying the audit log's hash chain from the audit page. A log of millions of
//! rows takes a while to walk, so the page no longer walks it on every view: an
//! auditor starts a check, which runs as a background job with its progress page, and
//! the page shows the last check's outcome (kept in memory: a restart forgets it).

use std::sync::Mutex;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_core::role::Permission;
use fazhi_db::audit;

use crate::AppState;
use crate::admin::pages::beijing_time;
use crate::auth::PageUser;
use crate::jobs::{self, JobOutput};

/// The outcome of the last check.
#[derive(Debug, Clone)]
pub struct AuditCheck {
    pub at_ms: i64,
    pub by: String,
    pub verdict: String,
    pub intact: bool,
}

/// The last check, shared by every request.
#[derive(Debug, Default)]
pub struct LastCheck(Mutex<Option<AuditCheck>>);

impl LastCheck {
    pub fn get(&self) -> Option<AuditCheck> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    fn set(&self, c: AuditCheck) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(c);
    }
}

/// The verdict in words, and whether the chain is intact.
fn verdict(state: &AppState, v: &fazhi_db::Result<audit::Verification>) -> (String, bool) {
    let anchor_note = |v: &audit::Verification| match &v.newest_checkpoint {
        Some(c) => format!(
            "已与库外检查点文件核对（{}个检查点）。最新检查点：第{}条，{}，哈希 {}。请区依法治区办定期抄录此值。",
            v.checkpoints,
            c.seq,
            beijing_time(c.at),
            c.hash
        ),
        None if state.anchor.is_some() => "库外检查点文件尚无记录（服务每分钟写入一次）。".into(),
        None => "未配置库外检查点文件。".into(),
    };
    match v {
        Ok(v) => match &v.first_bad {
            None => (
                format!(
                    "哈希链完整：共{}条记录，未发现篡改。{}",
                    v.rows,
                    anchor_note(v)
                ),
                true,
            ),
            Some((seq, why)) => (format!("发现篡改：第{seq}条记录起不一致（{why}）。"), false),
        },
        Err(e) => (format!("校验失败：{e}"), false),
    }
}

/// `POST /admin/audit/verify`: starts a check and shows its progress page.
pub(crate) async fn start(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    if !p.can(Permission::ViewAudit) {
        return crate::page_error::forbidden(&p);
    }
    let job = match state.jobs.create(p.user_id, "audit", "正在校验审计日志…") {
        Ok(j) => j,
        Err(e) => return crate::page_error::PageError::of(e, &p, "/admin/audit").into_response(),
    };
    let (run, by) = (job.clone(), p.display_name.clone());
    jobs::spawn(job.clone(), async move {
        let progress = |done: i64, total: i64| {
            run.progress(
                done.max(0) as u64,
                total.max(0) as u64,
                format!("已校验{done}条，共{total}条"),
            )
        };
        let v = audit::verify_with(&state.db, state.anchor.as_deref(), &progress).await;
        let (verdict, intact) = verdict(&state, &v);
        state.audit_check.set(AuditCheck {
            at_ms: fazhi_db::now_ms(),
            by,
            verdict: verdict.clone(),
            intact,
        });
        if v.is_err() {
            return Err(verdict);
        }
        Ok(JobOutput {
            message: verdict,
            ..JobOutput::default()
        })
    });
    Redirect::to(&format!("/jobs/{}", job.id)).into_response()
}
