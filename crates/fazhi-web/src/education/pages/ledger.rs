//! The imports of a township's existing ledgers, in three steps on one page: upload
//! (multipart, the CSRF token in the query string), columns confirmed, checked (every
//! bad row with its reasons) and imported (in one transaction). `/education/events/import`
//! reads 普法活动 ledgers (`RecordEducation`), `/education/study/import` study sign-in
//! sheets (`ManageEducation`), `/education/roster/import` rosters (`ManageEducation`;
//! all rows or none).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::education::{
    EventKind, LedgerField, RosterField, RosterRole, SignInField, StudyKind,
};
use fazhi_core::role::Permission;

use super::{Choice, places_in, with_status};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app::{self, LedgerMapping, RosterMapping, SignInMapping};
use crate::error::ApiResult;
use crate::matters::import::plan::BadRow;
use crate::matters::import::{ColumnOut, FieldOut, columns, file_part, sheet_of};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render};

const ACTIVE: &str = "/education";

pub(super) fn routes() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(app::MAX_LEDGER_BYTES + (1 << 20));
    Router::new()
        .route(
            "/education/events/import",
            get(|s, u| upload_page(s, u, Which::Events))
                .post(|s, u, m| upload_submit(s, u, m, Which::Events))
                .layer(limit),
        )
        .route(
            "/education/events/import/{token}",
            post(|s, u, t, f| check_submit(s, u, t, f, Which::Events)),
        )
        .route(
            "/education/study/import",
            get(|s, u| upload_page(s, u, Which::Study))
                .post(|s, u, m| upload_submit(s, u, m, Which::Study))
                .layer(limit),
        )
        .route(
            "/education/study/import/{token}",
            post(|s, u, t, f| check_submit(s, u, t, f, Which::Study)),
        )
        .route(
            "/education/roster/import",
            get(|s, u| upload_page(s, u, Which::Roster))
                .post(|s, u, m| upload_submit(s, u, m, Which::Roster))
                .layer(limit),
        )
        .route(
            "/education/roster/import/{token}",
            post(|s, u, t, f| check_submit(s, u, t, f, Which::Roster)),
        )
}

/// Which ledger.
#[derive(Clone, Copy, PartialEq)]
enum Which {
    Events,
    Study,
    Roster,
}

impl Which {
    fn perm(self) -> Permission {
        match self {
            Which::Events => Permission::RecordEducation,
            Which::Study | Which::Roster => Permission::ManageEducation,
        }
    }
    fn base(self) -> &'static str {
        match self {
            Which::Events => "/education/events/import",
            Which::Study => "/education/study/import",
            Which::Roster => "/education/roster/import",
        }
    }
}

/// An upload as the page shows it.
struct UploadView {
    token: String,
    file_name: String,
    sheet: String,
    header_row: usize,
    rows: usize,
    columns: Vec<ColumnOut>,
    fields: Vec<FieldOut>,
}

/// A check's or an import's result as the page shows it.
struct ResultView {
    committed: bool,
    total: usize,
    /// What is (or was) imported, in words.
    good: String,
    bad: Vec<BadRow>,
    skipped: Vec<BadRow>,
}

/// The mapping posted or suggested, by field code.
#[derive(Default, Clone)]
struct Posted {
    columns: Vec<(String, usize)>,
    default_kind: Option<String>,
    division_code: Option<String>,
}

#[derive(Template)]
#[template(path = "education/ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    sub: &'static str,
    heading: &'static str,
    intro: &'static str,
    hint: &'static str,
    base: &'static str,
    kind_label: &'static str,
    place_label: &'static str,
    message: Option<String>,
    upload: Option<UploadView>,
    result: Option<ResultView>,
    chosen: Vec<(String, usize)>,
    kinds: Vec<Choice>,
    default_kind: String,
    places: Vec<Choice>,
    division_code: String,
    /// Whether the page asks for a place (a roster row names its own village).
    show_place: bool,
}

impl LedgerPage {
    fn chosen(&self, field: &str, col: &usize) -> bool {
        self.chosen.iter().any(|(f, c)| f == field && c == col)
    }
}

async fn page(
    state: &AppState,
    p: &Principal,
    which: Which,
    upload: Option<UploadView>,
    posted: &Posted,
    result: Option<ResultView>,
    message: Option<String>,
) -> PageResult {
    let scope = p.scope(which.perm());
    let places = places_in(state, &scope, false).await.page(p, ACTIVE)?;
    let (heading, intro, hint, kind_label, place_label, kinds, default) = match which {
        Which::Events => (
            "导入普法活动台账",
            "上传本镇原有的普法活动台账（XLSX）：表头可在标题行下方，各列按名称对应；先检查，列出每一个有问题的行及原因，再导入。同一行再次导入会跳过。",
            "按表头名称推荐了各列，请核对。日期、主题、参与人数须有列；未写村（社区）的行记在下面选择的地点，未写类型的行按默认类型。",
            "默认活动类型",
            "未写村（社区）的行记在",
            EventKind::ALL
                .iter()
                .filter(|k| **k != EventKind::ThemeDay)
                .map(|k| Choice {
                    value: k.as_str().into(),
                    label: k.label_zh().into(),
                })
                .collect::<Vec<_>>(),
            "villages",
        ),
        Which::Study => (
            "导入学法签到表",
            "上传本镇原有的学法签到表（XLSX，每人每场一行）：日期和主题相同的行为同一场学习，姓名须是本镇（街道）的账户；先检查，再导入。同一场学习再次导入会跳过。",
            "按表头名称推荐了各列，请核对。日期、主题、学时、姓名须有列；有问题行的那场学习整场不导入。",
            "默认学习形式",
            "学习地点",
            StudyKind::ALL
                .iter()
                .map(|k| Choice {
                    value: k.as_str().into(),
                    label: k.label_zh().into(),
                })
                .collect::<Vec<_>>(),
            "pre_meeting",
        ),
        Which::Roster => (
            "导入队伍名册",
            "上传法律明白人、人民调解员、网格员名册（XLSX，每人一行；本平台导出的名册可直接导入）：先检查，列出每一个有问题的行及原因；全部无误才导入。已在名册中的人员（类别和身份证号相同，或类别、姓名和村（社区）相同）会跳过。",
            "按表头名称推荐了各列，请核对。姓名、村（社区）须有列；未写类别的行按默认类别。遮蔽的电话、身份证号（带*号）视为未填写。",
            "默认类别",
            "",
            RosterRole::ALL
                .iter()
                .map(|k| Choice {
                    value: k.as_str().into(),
                    label: k.label_zh().into(),
                })
                .collect::<Vec<_>>(),
            "legal_literate",
        ),
    };
    Ok(render(&LedgerPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: match which {
            Which::Events => "events",
            Which::Study => "study",
            Which::Roster => "roster",
        },
        show_place: which != Which::Roster,
        heading,
        intro,
        hint,
        base: which.base(),
        kind_label,
        place_label,
        message,
        chosen: posted.columns.clone(),
        default_kind: posted
            .default_kind
            .clone()
            .unwrap_or_else(|| default.into()),
        division_code: posted
            .division_code
            .clone()
            .or_else(|| places.first().map(|c| c.value.clone()))
            .unwrap_or_default(),
        kinds,
        places,
        upload,
        result,
    }))
}

fn allowed(p: &Principal, which: Which) -> Result<(), PageError> {
    if p.can(which.perm()) {
        Ok(())
    } else {
        Err(PageError::forbidden(p))
    }
}

async fn upload_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    which: Which,
) -> PageResult {
    allowed(&p, which)?;
    page(&state, &p, which, None, &Posted::default(), None, None).await
}

/// Reads the upload and describes it with its suggested columns.
async fn read_upload(
    state: &AppState,
    p: &Principal,
    which: Which,
    mp: &mut Multipart,
) -> ApiResult<(UploadView, Posted)> {
    let (name, bytes) = file_part(mp).await?;
    let token = match which {
        Which::Events => app::ledger_upload(state, p, name, bytes).await?.token,
        Which::Study => app::sign_in_upload(state, p, name, bytes).await?.token,
        Which::Roster => app::roster_upload(state, p, name, bytes).await?.token,
    };
    described(state, p, which, &token)
}

/// The upload under `token` described again (its sheet is kept for the hour).
fn described(
    state: &AppState,
    p: &Principal,
    which: Which,
    token: &str,
) -> ApiResult<(UploadView, Posted)> {
    let (sheet, file_name) = sheet_of(state, p, token)?;
    let (fields, suggested): (Vec<FieldOut>, Vec<(String, usize)>) = match which {
        Which::Events => (
            app::ledger_fields(),
            fazhi_core::education::suggest_ledger(&sheet.headers)
                .into_iter()
                .map(|(f, c)| (f.as_str().to_string(), c))
                .collect(),
        ),
        Which::Study => (
            SignInField::ALL
                .iter()
                .map(|f| FieldOut {
                    code: f.as_str(),
                    label: f.label_zh(),
                    required: f.required(),
                })
                .collect(),
            fazhi_core::education::suggest_sign_in(&sheet.headers)
                .into_iter()
                .map(|(f, c)| (f.as_str().to_string(), c))
                .collect(),
        ),
        Which::Roster => (
            app::roster_fields(),
            fazhi_core::education::suggest_roster(&sheet.headers)
                .into_iter()
                .map(|(f, c)| (f.as_str().to_string(), c))
                .collect(),
        ),
    };
    Ok((
        UploadView {
            token: token.to_string(),
            file_name,
            sheet: sheet.name.clone(),
            header_row: sheet.header_row,
            rows: sheet.rows.len(),
            columns: columns(&sheet),
            fields,
        },
        Posted {
            columns: suggested,
            ..Posted::default()
        },
    ))
}

async fn upload_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    mut mp: Multipart,
    which: Which,
) -> PageResult {
    allowed(&p, which)?;
    match read_upload(&state, &p, which, &mut mp).await {
        Ok((u, posted)) => page(&state, &p, which, Some(u), &posted, None, None).await,
        Err(e) if e.status.is_client_error() => {
            let shown = page(
                &state,
                &p,
                which,
                None,
                &Posted::default(),
                None,
                Some(e.body.message.clone()),
            )
            .await?;
            Ok(with_status(shown, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

async fn run(
    state: &AppState,
    p: &Principal,
    which: Which,
    token: &str,
    posted: &Posted,
    commit: bool,
) -> ApiResult<ResultView> {
    let col = |code: &str| {
        posted
            .columns
            .iter()
            .find(|(f, _)| f == code)
            .map(|(_, c)| *c)
    };
    Ok(match which {
        Which::Events => {
            let m = LedgerMapping {
                columns: LedgerField::ALL
                    .iter()
                    .filter_map(|f| col(f.as_str()).map(|c| (*f, c)))
                    .collect(),
                default_kind: posted.default_kind.clone(),
                division_code: posted.division_code.clone(),
            };
            let r = app::ledger_check(state, p, token, &m, commit).await?;
            ResultView {
                committed: r.committed,
                total: r.total,
                good: if r.committed {
                    format!("新增{}条", r.valid)
                } else {
                    format!("可导入{}行", r.valid)
                },
                bad: r.bad,
                skipped: r.skipped,
            }
        }
        Which::Study => {
            let m = SignInMapping {
                columns: SignInField::ALL
                    .iter()
                    .filter_map(|f| col(f.as_str()).map(|c| (*f, c)))
                    .collect(),
                default_kind: posted.default_kind.clone(),
                division_code: posted.division_code.clone(),
            };
            let r = app::sign_in_check(state, p, token, &m, commit).await?;
            ResultView {
                committed: r.committed,
                total: r.total,
                good: format!(
                    "{}{}场学习（应到{}人次）",
                    if r.committed { "新增" } else { "可导入" },
                    r.sessions,
                    r.attendees
                ),
                bad: r.bad,
                skipped: r.skipped,
            }
        }
        Which::Roster => {
            let m = RosterMapping {
                columns: RosterField::ALL
                    .iter()
                    .filter_map(|f| col(f.as_str()).map(|c| (*f, c)))
                    .collect(),
                default_role: posted.default_kind.clone(),
            };
            let r = app::roster_check(state, p, token, &m, commit).await?;
            ResultView {
                committed: r.committed,
                total: r.total,
                good: format!(
                    "{}{}人",
                    if r.committed { "新增" } else { "可导入" },
                    r.valid
                ),
                bad: r.bad,
                skipped: r.skipped,
            }
        }
    })
}

async fn check_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
    which: Which,
) -> PageResult {
    allowed(&p, which)?;
    let (upload, _) = described(&state, &p, which, &token).page(&p, ACTIVE)?;
    let posted = Posted {
        columns: upload
            .fields
            .iter()
            .filter_map(|f| {
                form.get(&format!("col_{}", f.code))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .map(|c| (f.code.to_string(), c))
            })
            .collect(),
        default_kind: form.get("default_kind").cloned(),
        division_code: form.get("division_code").cloned(),
    };
    let commit = form.get("step").map(String::as_str) == Some("commit");
    match run(&state, &p, which, &token, &posted, commit).await {
        Ok(r) => page(&state, &p, which, Some(upload), &posted, Some(r), None).await,
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            let msg = format!("未导入：{}", e.body.message);
            let shown = page(&state, &p, which, Some(upload), &posted, None, Some(msg)).await?;
            Ok(with_status(shown, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
