//! Legal exams: the import of the exam platform's export (check, then all rows or
//! none), the rates per unit, and the grading bands.

use super::*;

/// An uploaded export of the exam platform and what it is.
pub(crate) struct ExamUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub title: String,
    pub held_on: String,
    pub division_code: Option<String>,
    /// Write when every row is good (else only check).
    pub commit: bool,
}

fn exam_out(
    r: fazhi_db::education::exams::ExamRow,
    total: fazhi_core::education::ExamRates,
) -> ExamOut {
    ExamOut {
        id: r.id,
        title: r.title,
        held_on: r.held_on.to_string(),
        division_code: r.division_code,
        division_name: r.division_name,
        source_name: r.source_name,
        total,
    }
}

/// Reads an export, checks every row, and (with `commit`, when no row is bad) stores
/// the exam and all its results in one transaction; a file with bad rows writes nothing.
pub(crate) async fn import_exam(
    state: &AppState,
    p: &Principal,
    u: ExamUpload,
) -> ApiResult<ExamImportOut> {
    use fazhi_core::education::{exam_columns, exam_rates, exam_row};
    use fazhi_db::education::exams;
    let scope = p.require(Permission::ManageEducation)?;
    let today = state.clock.today();
    let mut errors = FieldErrors::default();
    let title = fazhi_core::validate::required_text("考试名称", &u.title, 100)
        .map_err(|m| errors.add("title", m))
        .ok();
    let held_on = match u.held_on.trim() {
        "" => Some(today),
        s => match parse_date(s) {
            Some(d) => fazhi_core::validate::record_date("考试日期", d, today)
                .map_err(|m| errors.add("held_on", m))
                .ok(),
            None => {
                errors.add("held_on", "考试日期格式须为YYYY-MM-DD");
                None
            }
        },
    };
    let place = match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        u.division_code.as_deref(),
        "division_code",
    )
    .await
    {
        Ok(d) => Some(d),
        Err(e) => {
            gather(&mut errors, e)?;
            None
        }
    };
    let bytes = u.bytes;
    let sheet = tokio::task::spawn_blocking(move || fazhi_office::import::read(&bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|m| ApiError::field("file", m))?;
    let columns = exam_columns(&sheet.headers).map_err(|m| ApiError::field("file", m))?;
    let mut results = Vec::new();
    let mut bad = Vec::new();
    for r in &sheet.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| c.text()).collect();
        match exam_row(&columns, &cells) {
            Ok(x) => results.push(x),
            Err(message) => bad.push(RowError {
                row: r.row,
                message,
            }),
        }
    }
    if results.is_empty() && bad.is_empty() {
        errors.add("file", "表格中没有考试成绩");
    }
    let bands = exams::bands(&state.db).await?;
    let (units, total) = exam_rates(&results, &bands);
    let mut out = ExamImportOut {
        rows: sheet.rows.len(),
        errors: bad,
        units,
        total,
        exam_id: None,
    };
    if !u.commit {
        return if errors.is_empty() {
            Ok(out)
        } else {
            Err(invalid(errors))
        };
    }
    if !out.errors.is_empty() {
        let shown: Vec<String> = out
            .errors
            .iter()
            .take(20)
            .map(|e| format!("第{}行：{}", e.row, e.message))
            .collect();
        errors.add(
            "file",
            format!(
                "有{}行无法导入，全部未写入：{}",
                out.errors.len(),
                shown.join("；")
            ),
        );
    }
    match (title, held_on, place) {
        (Some(title), Some(held_on), Some(d)) if errors.is_empty() => {
            let id = exams::create(
                &state.db,
                &p.actor(),
                &exams::NewExam {
                    title,
                    held_on,
                    division_id: d.id,
                    division_path: d.path,
                    source_name: u.file_name.chars().take(100).collect(),
                    results,
                },
            )
            .await?;
            out.exam_id = Some(id);
            Ok(out)
        }
        _ => Err(invalid(errors)),
    }
}

/// Exams in scope held in a year.
pub(crate) async fn list_exams(
    state: &AppState,
    p: &Principal,
    q: &ExamQuery,
) -> ApiResult<Vec<ExamOut>> {
    use fazhi_db::education::exams;
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    let bands = exams::bands(&state.db).await?;
    let mut out = Vec::new();
    for r in exams::list(&state.db, &scope.roots, path.as_deref(), year).await? {
        let results = exams::results(&state.db, r.id).await?;
        let (_, total) = fazhi_core::education::exam_rates(&results, &bands);
        out.push(exam_out(r, total));
    }
    Ok(out)
}

/// One exam with the rates per unit.
pub(crate) async fn exam_detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<ExamDetail> {
    use fazhi_db::education::exams;
    let scope = p.require(Permission::ViewEducation)?;
    let r = exams::by_id(&state.db, id).await?;
    if !scope.covers(&r.division_path) {
        return Err(ApiError::not_found());
    }
    let bands = exams::bands(&state.db).await?;
    let results = exams::results(&state.db, id).await?;
    let (units, total) = fazhi_core::education::exam_rates(&results, &bands);
    Ok(ExamDetail {
        exam: exam_out(r, total),
        units,
        bands,
    })
}

/// The grading bands.
pub(crate) async fn bands(
    state: &AppState,
    p: &Principal,
) -> ApiResult<fazhi_core::education::Bands> {
    p.require(Permission::ViewEducation)?;
    Ok(fazhi_db::education::exams::bands(&state.db).await?)
}

/// Sets the grading bands (installation-wide: `ManageSettings`).
pub(crate) async fn set_bands(
    state: &AppState,
    p: &Principal,
    b: &BandsIn,
) -> ApiResult<fazhi_core::education::Bands> {
    crate::auth::require_global(state, p).await?;
    let bands = fazhi_core::education::Bands {
        excellent: b.excellent,
        good: b.good,
        pass: b.pass,
    }
    .check()
    .map_err(|m| ApiError::field("bands", m))?;
    fazhi_db::education::exams::set_bands(&state.db, &p.actor(), bands).await?;
    Ok(bands)
}
