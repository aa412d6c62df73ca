//! The first draft of a township's annual report, written from its records: matters,
//! enforcement and education fill their slots from their own figures; what the
//! platform does not record yet is a typed slot with a request for the source.

use fazhi_core::division::Level;
use fazhi_core::enforcement::{CaseFigure, CaseTally, InspectionOutcome, money::yuan};
use fazhi_core::report::phrase::{change, count, percent};
use fazhi_core::report::template::{PartKey, Template};
use fazhi_core::report::workflow::{self, ReportStatus};
use fazhi_core::report::{Draft, Para, Section, Slot};
use fazhi_core::role::Permission;
use fazhi_core::stats::MatterCounts;
use fazhi_db::admin::divisions::DivisionRow;
use fazhi_db::enforcement::cases::{self, CaseFilter};

use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

fn slot(key: &str, label: &str, text: String, definition: &str, link: Option<String>) -> Slot {
    Slot {
        key: key.into(),
        label: label.into(),
        text,
        definition: definition.into(),
        link,
        traced: true,
        records: None,
    }
}

/// A count: as written with its measure word, and computed from as many records.
fn counted(
    key: &str,
    label: &str,
    n: i64,
    measure: &str,
    definition: &str,
    link: Option<String>,
) -> Slot {
    slot(key, label, count(n, measure), definition, link).from_records(n)
}

/// A figure staff must type, with the source to note.
fn typed(key: &str, label: &str, source: &str) -> Slot {
    Slot {
        key: key.into(),
        label: label.into(),
        text: "____".into(),
        definition: format!("平台尚未记录，请据实填写并注明来源：{source}"),
        link: None,
        traced: false,
        records: None,
    }
}

/// The township of `code` in the caller's scope of matters.
pub(crate) async fn township(
    state: &AppState,
    p: &Principal,
    code: &str,
) -> ApiResult<DivisionRow> {
    let scope = p.require(Permission::ViewMatters)?;
    let d = division_in_scope(state, &scope, code, None).await?;
    if d.level != Level::Township {
        return Err(ApiError::not_found());
    }
    Ok(d)
}

fn year_bounds(year: i32) -> ApiResult<(time::Date, time::Date)> {
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::not_found());
    }
    let d =
        |m, day| time::Date::from_calendar_date(year, m, day).map_err(|_| ApiError::not_found());
    Ok((d(time::Month::January, 1)?, d(time::Month::December, 31)?))
}

async fn matter_counts(state: &AppState, t: &DivisionRow, year: i32) -> ApiResult<MatterCounts> {
    let roots = vec![t.path.clone()];
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let tallies =
        fazhi_db::matters::stats::tallies(&state.db, &roots, None, &from, &to, true).await?;
    let mut total = MatterCounts::default();
    for (_, c) in tallies.by_place_month {
        total += c;
    }
    Ok(total)
}

/// The setting that holds the district's template of the five parts.
pub(crate) const TEMPLATE_KEY: &str = "annual.template";

/// The district's order and titles of the five parts (the default when unset).
pub(crate) async fn template(state: &AppState) -> ApiResult<Template> {
    Ok(
        match fazhi_db::admin::settings::get(&state.db, TEMPLATE_KEY).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_default(),
            None => Template::default(),
        },
    )
}

/// The platform's draft of township `code` for `year` without a caller's scope: for
/// the demo seed, which writes the district's reports as its staff would.
pub async fn draft_unscoped(state: &AppState, code: &str, year: i32) -> ApiResult<Draft> {
    let t = fazhi_db::admin::divisions::by_code(&state.db, code).await?;
    if t.level != Level::Township {
        return Err(ApiError::not_found());
    }
    draft_of(state, &t, year).await
}

/// Writes the draft for township `t` (in the caller's scope) and `year`.
pub(crate) async fn draft_of(state: &AppState, t: &DivisionRow, year: i32) -> ApiResult<Draft> {
    let (from, to) = year_bounds(year)?;
    let template = template(state).await?;
    let m = matter_counts(state, t, year).await?;
    let before = matter_counts(state, t, year - 1).await?;
    let rates = m.rates();
    let mlink = |figure: &str| {
        Some(format!(
            "/matters?division_code={}&from={year}-01-01&to={year}-12-31&figure={figure}",
            t.code
        ))
    };
    let def = |key: &str| {
        fazhi_core::stats::DEFINITIONS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("", |(_, _, d)| *d)
    };
    let pct = |v: Option<f64>| match v {
        Some(x) if x >= 100.0 => "100%".to_string(),
        Some(x) => format!("{}%", (x * 100.0).floor() / 100.0),
        None => "—".into(),
    };

    // 一（一）矛盾纠纷多元化解.
    let mut matters = Para::new()
        .t("坚持和发展新时代“枫桥经验”，综治中心统一受理矛盾纠纷、信访和群众诉求。全年受理登记各类矛盾纠纷和群众诉求")
        .f(counted(
            "matters.received",
            "受理登记",
            m.received,
            "件",
            def("received"),
            mlink("received"),
        ));
    if let Some(c) = change(m.received, before.received) {
        matters = matters.t("，").t(c);
    }
    let matters = matters
        .t("，其中受理")
        .f(counted(
            "matters.accepted",
            "受理",
            m.accepted,
            "件",
            def("accepted"),
            mlink("accepted"),
        ))
        .t("，化解")
        .f(counted(
            "matters.resolved",
            "化解",
            m.resolved,
            "件",
            def("resolved"),
            mlink("resolved"),
        ))
        .t("，化解率")
        .f(slot(
            "matters.resolution_rate",
            "化解率",
            pct(rates.resolution_rate),
            "化解数 ÷ 受理数",
            mlink("resolved"),
        )
        .from_records(m.accepted))
        .t("；办结")
        .f(counted(
            "matters.closed",
            "办结",
            m.closed,
            "件",
            def("closed"),
            mlink("closed"),
        ))
        .t("，按期办结率")
        .f(slot(
            "matters.on_time_rate",
            "按期办结率",
            pct(rates.on_time_rate),
            "按期办结数 ÷ 办结数（只计审核通过的办结）",
            mlink("closed_on_time"),
        )
        .from_records(m.closed))
        .t("；回访")
        .f(counted(
            "matters.evaluated",
            "回访参评",
            m.evaluated,
            "件",
            def("evaluated"),
            mlink("evaluated"),
        ))
        .t("，满意率")
        .f(slot(
            "matters.satisfaction_rate",
            "满意率",
            pct(rates.satisfaction_rate),
            "满意（含基本满意）数 ÷ 参评数",
            mlink("satisfied"),
        )
        .from_records(m.evaluated))
        .t("。")
        .done();

    // 一（二）严格规范公正文明执法.
    let f = CaseFilter {
        from: Some(from),
        to: Some(to),
        under: Some(t.path.clone()),
        ..CaseFilter::default()
    };
    let mut states = Vec::new();
    for r in cases::states(&state.db, std::slice::from_ref(&t.path), &f).await? {
        states.push(r.state()?);
    }
    let tally = CaseTally::of(&states);
    let clink = |fig: CaseFigure| {
        Some(format!(
            "/enforcement/cases?year={year}&figure={}&division_code={}",
            fig.as_str(),
            t.code
        ))
    };
    let cs = |fig: CaseFigure, measure: &str| {
        counted(
            &format!("enforcement.{}", fig.as_str()),
            fig.label_zh(),
            tally.get(fig),
            measure,
            "按立案（含当场处罚）日期计入年度；与执法统计页同一定义",
            clink(fig),
        )
    };
    let checks = fazhi_db::enforcement::inspections::counts(
        &state.db,
        std::slice::from_ref(&t.path),
        from,
        to,
    )
    .await?;
    let checked: i64 = checks.iter().map(|(_, n)| n).sum();
    let corrected = checks
        .iter()
        .find(|(o, _)| *o == InspectionOutcome::Corrected)
        .map_or(0, |(_, n)| *n);
    let ilink = |o: &str| Some(format!("/enforcement/inspections?year={year}&outcome={o}"));
    let enforcement = Para::new()
        .t("全面落实行政执法“三项制度”。全年办理行政执法案件")
        .f(cs(CaseFigure::Opened, "件"))
        .t("，其中适用简易程序")
        .f(cs(CaseFigure::Simple, "件"))
        .t("、普通程序")
        .f(cs(CaseFigure::Ordinary, "件"))
        .t("；作出行政处罚决定")
        .f(cs(CaseFigure::Penalised, "件"))
        .t("，决定罚款")
        .f(slot(
            "enforcement.fines",
            "决定罚款",
            format!("{}元", yuan(tally.fines_imposed_fen)),
            "年度立案案件处罚决定的罚款之和",
            clink(CaseFigure::Penalised),
        )
        .from_records(tally.get(CaseFigure::Penalised)))
        .t("；重大执法决定经法制审核")
        .f(cs(CaseFigure::Reviewed, "件"))
        .t("，举行听证")
        .f(cs(CaseFigure::HearingHeld, "场"))
        .t("，处罚决定按期公示")
        .f(cs(CaseFigure::PublishedOnTime, "件"))
        .t("。开展执法检查")
        .f(counted(
            "enforcement.inspections",
            "执法检查",
            checked,
            "次",
            "年内登记的日常巡查、双随机抽查、专项检查和投诉核查",
            ilink(""),
        ))
        .t("，责令改正违法行为")
        .f(counted(
            "enforcement.corrections",
            "纠违",
            corrected,
            "起",
            "检查中责令改正、未予处罚的违法行为",
            ilink("corrected"),
        ))
        .t("。")
        .done();

    // 一（三）法治宣传教育.
    let e = fazhi_db::education::stats::tally(&state.db, &t.path, year).await?;
    use fazhi_core::education::EduFigure as E;
    let elink = Some(format!("/education/stats?division={}&year={year}", t.code));
    // A figure and the number of records it is computed from.
    let es = |fig: E, text: String, records: i64| {
        slot(
            &format!("education.{}", fig.key()),
            fig.label(),
            text,
            fig.definition(),
            elink.clone(),
        )
        .from_records(records)
    };
    let ec = |fig: E, n: i64, measure: &str| es(fig, count(n, measure), n);
    let education = Para::new()
        .t("深入落实“谁执法谁普法”普法责任制。全年开展普法活动")
        .f(ec(E::Events, e.events, "场"))
        .t("，现场参与")
        .f(es(E::Participants, count(e.participants, "人次"), e.events))
        .t("，受众")
        .f(es(E::Reached, count(e.reached, "人次"), e.events))
        .t("，发放普法资料")
        .f(es(E::Materials, count(e.materials, "份"), e.events))
        .t("；组织干部学法")
        .f(ec(E::StudySessions, e.study_sessions, "次"))
        .t("，参学率")
        .f(es(
            E::AttendanceRate,
            percent(e.attendance_present, e.attendance_expected).unwrap_or_else(|| "—".into()),
            e.attendance_expected,
        ))
        .t("；在册法律明白人")
        .f(ec(E::LegalLiterate, e.legal_literate, "名"))
        .t("。")
        .done();
    // 法治乡村, 法治体检 and emergency work, from the same tally.
    let duties = Para::new()
        .t("深化法治乡村建设，现有民主法治示范村")
        .f(ec(E::ModelVillages, e.model_villages, "个"))
        .t("，配备村（社区）法律顾问的村（社区）")
        .f(ec(E::VillagesWithAdviser, e.villages_with_adviser, "个"))
        .t("；走访企业开展法治体检")
        .f(ec(E::EnterpriseVisits, e.visits, "次"))
        .t("，发现问题的已整改")
        .f(es(
            E::RectificationRate,
            percent(e.visits_rectified, e.visits_with_issues).unwrap_or_else(|| "—".into()),
            e.visits_with_issues,
        ))
        .t("；在册应急预案")
        .f(ec(E::EmergencyPlans, e.emergency_plans, "件"))
        .t("，组织应急演练")
        .f(ec(E::Drills, e.drills, "次"))
        .t("。")
        .done();

    // 一（四）重大行政决策和合法性审查, from the desk and the catalogue.
    let roots = std::slice::from_ref(&t.path);
    let rf = fazhi_db::decisions::reviews::ReviewFilter {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    let mut items = Vec::new();
    for r in fazhi_db::decisions::reviews::list(&state.db, roots, &rf).await? {
        items.push(r.state()?);
    }
    let rt = fazhi_core::decisions::ReviewTally::of(&items, state.clock.today());
    use fazhi_core::decisions::{DecisionStatus, ReviewFigure as R};
    let rlink = |fig: R| {
        Some(format!(
            "/decisions/reviews?year={year}&figure={}",
            fig.as_str()
        ))
    };
    let rs = |fig: R, measure: &str| {
        counted(
            &format!("review.{}", fig.as_str()),
            fig.label_zh(),
            rt.get(fig),
            measure,
            "按纳入审查台账的日期计入年度；与合法性审查统计同一定义",
            rlink(fig),
        )
    };
    let mut decided = 0;
    for c in fazhi_db::decisions::major::catalogues(&state.db, roots).await? {
        if c.year != i64::from(year) {
            continue;
        }
        decided += fazhi_db::decisions::major::of_catalogue(&state.db, c.id)
            .await?
            .iter()
            .filter(|d| {
                matches!(
                    d.status,
                    DecisionStatus::Discussed
                        | DecisionStatus::Reported
                        | DecisionStatus::Published
                        | DecisionStatus::Archived
                )
            })
            .count() as i64;
    }
    let decisions = Para::new()
        .t("严格落实重大行政决策程序和合法性审查制度。全年经集体讨论作出重大行政决策")
        .f(counted(
            "decisions.decided",
            "重大行政决策",
            decided,
            "项",
            "本年度决策事项目录中已经集体讨论决定的事项",
            Some("/decisions/major".into()),
        ))
        .t("；纳入合法性审查")
        .f(rs(R::Received, "件"))
        .t("，其中出具合法性审查意见")
        .f(rs(R::Reviewed, "件"))
        .t("，签发前经审查")
        .f(rs(R::ReviewedBeforeSigning, "件"))
        .t("，审查率")
        .f(slot(
            "review.rate",
            "审查率",
            percent(rt.get(R::ReviewedBeforeSigning), rt.get(R::NeededReview))
                .unwrap_or_else(|| "—".into()),
            "签发前经审查的件数 ÷ 应审查（已签发）的件数",
            rlink(R::NeededReview),
        )
        .from_records(rt.get(R::NeededReview)))
        .t("；未经审查签发")
        .f(rs(R::Skipped, "件"))
        .t("。")
        .done();

    // 法律顾问: advisers in force, and villages covered (一村一法律顾问), at the year's
    // end (or today, for the year under way).
    let on = to.min(state.clock.today());
    let valid = |f: time::Date, t: time::Date| fazhi_core::decisions::term_valid_on(f, t, on);
    let advisers = fazhi_db::decisions::advisers::list(&state.db, roots).await?;
    let in_force = advisers
        .iter()
        .filter(|a| valid(a.term_from, a.term_to))
        .count() as i64;
    let mut villages: std::collections::BTreeMap<i64, bool> = Default::default();
    for r in fazhi_db::decisions::advisers::coverage(&state.db, &t.path).await? {
        let covered = matches!((r.term_from, r.term_to), (Some(f), Some(t)) if valid(f, t));
        *villages.entry(r.village_id).or_default() |= covered;
    }
    let covered = villages.values().filter(|c| **c).count() as i64;
    let advisers_para = Para::new()
        .t("落实法律顾问制度，聘请法律顾问")
        .f(counted(
            "advisers.in_force",
            "法律顾问",
            in_force,
            "名",
            "年末（本年度为今日）聘用合同有效的法律顾问人数",
            Some("/decisions/advisers".into()),
        ))
        .t("，村（社区）法律顾问覆盖")
        .f(counted(
            "advisers.villages_covered",
            "法律顾问覆盖村（社区）",
            covered,
            "个",
            "有聘用合同有效的法律顾问的村（社区）数",
            Some("/decisions/advisers".into()),
        ))
        .t("（全镇街共")
        .f(counted(
            "advisers.villages",
            "村（社区）总数",
            villages.len() as i64,
            "个",
            "本镇街的村（社区）数",
            Some("/decisions/advisers".into()),
        ))
        .t("）。")
        .done();

    // 一（五）行政复议和行政应诉, from the register.
    use fazhi_core::decisions::{LitigationFigure as L, LitigationTally};
    let lf = fazhi_db::decisions::litigation::LitigationFilter {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    let mut cases_lit = Vec::new();
    for r in fazhi_db::decisions::litigation::list(&state.db, roots, &lf).await? {
        cases_lit.push(r.state()?);
    }
    let lt = LitigationTally::of(&cases_lit, state.clock.today());
    let llink = |fig: L| {
        Some(format!(
            "/decisions/litigation?year={year}&figure={}",
            fig.as_str()
        ))
    };
    let ls = |fig: L, measure: &str| {
        counted(
            &format!("litigation.{}", fig.as_str()),
            fig.label_zh(),
            lt.get(fig),
            measure,
            fig.label_zh(),
            llink(fig),
        )
    };
    let rate = |key: &str, label: &str, num: i64, den: i64, def: &str, link| {
        slot(
            key,
            label,
            percent(num, den).unwrap_or_else(|| "—".into()),
            def,
            link,
        )
        .from_records(den)
    };
    let litigation = Para::new()
        .t("依法参加行政复议和行政诉讼。全年收到行政复议申请")
        .f(ls(L::Reconsiderations, "件"))
        .t("、行政诉讼")
        .f(ls(L::Lawsuits, "件"))
        .t("；行政复议结案")
        .f(ls(L::ReconsiderationsConcluded, "件"))
        .t("，被纠错")
        .f(ls(L::Corrected, "件"))
        .t("，纠错率")
        .f(rate(
            "litigation.correction_rate",
            "复议纠错率",
            lt.get(L::Corrected),
            lt.get(L::ReconsiderationsConcluded),
            "被撤销、变更、确认违法、确认无效或责令履行的复议案件 ÷ 复议结案数",
            llink(L::Corrected),
        ))
        .t("；行政诉讼结案")
        .f(ls(L::LawsuitsConcluded, "件"))
        .t("，败诉")
        .f(ls(L::Lost, "件"))
        .t("，败诉率")
        .f(rate(
            "litigation.loss_rate",
            "诉讼败诉率",
            lt.get(L::Lost),
            lt.get(L::LawsuitsConcluded),
            "判决撤销、变更、确认违法、确认无效或责令履行的诉讼案件 ÷ 诉讼结案数",
            llink(L::Lost),
        ))
        .t("；行政机关负责人出庭应诉率")
        .f(rate(
            "litigation.head_rate",
            "负责人出庭应诉率",
            lt.head_hearings,
            lt.hearings,
            "主要负责人或分管负责人出庭的诉讼庭审 ÷ 记录了出庭人员的诉讼庭审",
            Some(format!("/decisions/litigation?year={year}")),
        ))
        .t("。")
        .done();

    // 第一责任人: each head's own records, each figure citing them.
    let mut heads = vec![
        Para::new()
            .t("党委、政府主要负责人切实履行推进法治建设第一责任人职责，主持召开专题会议研究法治建设")
            .f(typed("heads.meetings", "专题研究法治建设", "党委会、政府常务会议纪要"))
            .t("次，述法")
            .f(counted(
                "heads.statements",
                "述法",
                e.statements,
                "人次",
                E::Statements.definition(),
                Some(format!("/education/statements?division={}&year={year}", t.code)),
            ))
            .t("。")
            .done(),
    ];
    // Each hearing a head attended (负责人出庭应诉), citing the case.
    for h in fazhi_db::decisions::litigation::head_attendance(&state.db, t.id, year).await? {
        heads.push(
            Para::new()
                .t(format!(
                    "{}（{}）于{}出庭应诉{}案件",
                    h.name,
                    h.role.label_zh(),
                    fazhi_office::gongwen::date_zh(h.on),
                    h.kind.label_zh()
                ))
                .f(slot(
                    &format!("heads.hearing.{}.{}", h.litigation_id, h.on),
                    "出庭应诉",
                    format!("（{}）", h.case_number),
                    "本人出庭应诉的庭审记录",
                    Some(format!("/decisions/litigation/{}", h.litigation_id)),
                )
                .from_records(1))
                .t(if h.spoke_on_resolution {
                    "，并当庭就争议的解决发表意见。"
                } else {
                    "。"
                })
                .done(),
        );
    }
    // Each head's 述法, citing the statement itself.
    for st in fazhi_db::education::statements::for_year(&state.db, t.id, year).await? {
        heads.push(
            Para::new()
                .t(format!(
                    "{}（{}）于{}以{}形式作述法报告",
                    st.head_name,
                    st.post.label_zh(),
                    fazhi_office::gongwen::date_zh(st.delivered_on),
                    st.occasion.label_zh()
                ))
                .f(slot(
                    &format!("heads.statement.{}", st.id),
                    "述法报告",
                    format!("《{}》", st.title),
                    "本人的年度述法报告",
                    Some(format!("/education/statements/{}", st.id)),
                )
                .from_records(1))
                .t("。")
                .done(),
        );
    }
    for h in fazhi_db::annual::heads(&state.db, t.id, from, to).await? {
        let key = |k: &str| format!("heads.{}.{k}", h.user_id);
        let studies = Some(format!("/education/study?year={year}"));
        let hours = format!(
            "{}学时",
            (h.study_minutes as f64 / 60.0 * 10.0).round() / 10.0
        );
        heads.push(
            Para::new()
                .t(format!("{}全年参加学法", h.name))
                .f(counted(
                    &key("study"),
                    "参加学法",
                    h.study_present,
                    "次",
                    "签到名单中本人“出席”的学法活动",
                    studies.clone(),
                ))
                .t("（")
                .f(slot(
                    &key("study_hours"),
                    "学法学时",
                    hours,
                    "上述学法活动时长之和",
                    studies,
                )
                .from_records(h.study_present))
                .t("），督办矛盾纠纷")
                .f(counted(
                    &key("matter_supervisions"),
                    "督办事项",
                    h.matter_supervisions,
                    "件次",
                    "本人在事项办理过程中作出的督办",
                    None,
                ))
                .t("、执法案件")
                .f(counted(
                    &key("case_supervisions"),
                    "督办案件",
                    h.case_supervisions,
                    "件次",
                    "本人在执法案件中作出的督办",
                    clink(CaseFigure::Supervised),
                ))
                .t("，作出执法案件决定")
                .f(counted(
                    &key("case_decisions"),
                    "执法决定",
                    h.case_decisions,
                    "件",
                    "本人作为负责人作出的执法案件决定",
                    clink(CaseFigure::Decided),
                ))
                .t("，主持重大执法决定集体讨论")
                .f(counted(
                    &key("discussions"),
                    "集体讨论",
                    h.discussions,
                    "次",
                    "本人记录的执法案件集体讨论",
                    clink(CaseFigure::Discussed),
                ))
                .t("，主持重大行政决策集体讨论")
                .f(counted(
                    &key("major_discussions"),
                    "重大决策集体讨论",
                    h.major_discussions,
                    "次",
                    "本人记录的重大行政决策集体讨论决定",
                    Some("/decisions/major".into()),
                ))
                .t("。")
                .done(),
        );
    }

    let short_villages = e.villages_short().count() as i64;
    let late = (m.closed - m.closed_on_time).max(0);
    let gaps = Para::new()
        .t("一是矛盾纠纷化解仍有短板，全年仍有")
        .f(counted(
            "matters.closed_late",
            "超期办结",
            late,
            "件",
            "办结数 − 按期办结数",
            mlink("closed"),
        ))
        .t("未按期办结；二是基层法治力量不均衡，法律明白人不足3名的村（社区）有")
        .f(ec(E::VillagesShort, short_villages, "个"))
        .t("。")
        .done();

    let plans = Para::new()
        .t("（请结合上述不足和上级部署填写下一年度的工作安排。）")
        .done();
    let other = Para::new()
        .t("（如有其他需要报告的情况，请在此填写。）")
        .done();

    let issuer = if t.name.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    };
    Ok(Draft {
        township: t.name.clone(),
        year,
        title: format!("{}{issuer}关于{year}年度法治政府建设情况的报告", t.name),
        sections: template
            .titles()
            .into_iter()
            .map(|(key, title)| Section {
                part: Some(key),
                title,
                paragraphs: match key {
                    PartKey::Measures => vec![
                        matters.clone(),
                        enforcement.clone(),
                        education.clone(),
                        duties.clone(),
                        decisions.clone(),
                        litigation.clone(),
                        advisers_para.clone(),
                    ],
                    PartKey::FirstResponsible => heads.clone(),
                    PartKey::Shortcomings => vec![gaps.clone()],
                    PartKey::NextYear => vec![plans.clone()],
                    PartKey::Other => vec![other.clone()],
                },
            })
            .collect(),
    })
}

/// A figure whose value changed since the draft was saved.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Moved {
    pub label: String,
    pub saved: String,
    pub now: String,
}

/// The draft as the township left it, with today's figures.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DraftView {
    #[schema(value_type = Object)]
    pub draft: Draft,
    /// Figures that moved since the last save (records changed).
    pub moved: Vec<Moved>,
    /// The saved version (0: never saved, the draft is as written by the platform).
    pub version: i64,
    pub saved_by: Option<String>,
    pub saved_at: Option<i64>,
    pub status: ReportStatus,
    pub status_label: &'static str,
    pub checked: Option<String>,
    pub signed: Option<String>,
    #[schema(value_type = Option<String>)]
    pub submitted_on: Option<time::Date>,
    #[schema(value_type = Option<String>)]
    pub published_on: Option<time::Date>,
    /// Personal data found in the text as it stands (blocks the secrecy check).
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<fazhi_core::report::secrecy::Finding>,
    /// Figures still to be typed (block signing).
    pub unfilled: Vec<String>,
    /// Deadlines (rules.md §6) and whether they were missed.
    #[schema(value_type = Option<String>)]
    pub submit_due: Option<time::Date>,
    #[schema(value_type = Option<String>)]
    pub publish_due: Option<time::Date>,
    pub submit_late: bool,
    pub publish_late: bool,
    /// Days left to submit, in the last 30 days before the deadline (warning).
    pub submit_days_left: Option<i64>,
}

/// The saved words with today's values in their slots, and what moved since.
pub(crate) async fn view(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
) -> ApiResult<DraftView> {
    let t = township(state, p, code).await?;
    view_of(state, &t, year).await
}

/// The view of township `t`'s report (the caller checked the scope).
async fn view_of(state: &AppState, t: &DivisionRow, year: i32) -> ApiResult<DraftView> {
    let fresh = draft_of(state, t, year).await?;
    let Some(saved) = fazhi_db::annual::reports::get(&state.db, t.id, year).await? else {
        return finish(state, t, year, fresh, vec![], None).await;
    };
    let mut d: Draft = serde_json::from_str(&saved.body).map_err(ApiError::internal)?;
    let now = fresh.slots();
    let mut moved = Vec::new();
    for section in &mut d.sections {
        for para in &mut section.paragraphs {
            for part in para.iter_mut() {
                let fazhi_core::report::Part::Figure(s) = part else {
                    continue;
                };
                if !s.traced {
                    continue;
                }
                match now.iter().find(|n| n.key == s.key) {
                    Some(n) => {
                        if n.text != s.text {
                            moved.push(Moved {
                                label: s.label.clone(),
                                saved: s.text.clone(),
                                now: n.text.clone(),
                            });
                        }
                        *s = (*n).clone();
                    }
                    None => moved.push(Moved {
                        label: s.label.clone(),
                        saved: s.text.clone(),
                        now: "（记录中已无此项）".into(),
                    }),
                }
            }
        }
    }
    finish(state, t, year, d, moved, Some(saved)).await
}

/// The view with the way out: status, the personal-data scan, deadlines.
async fn finish(
    state: &AppState,
    t: &DivisionRow,
    year: i32,
    d: Draft,
    moved: Vec<Moved>,
    saved: Option<fazhi_db::annual::reports::SavedReport>,
) -> ApiResult<DraftView> {
    let (from, to) = year_bounds(year)?;
    let names = fazhi_db::annual::party_names(&state.db, &t.path, from, to).await?;
    let findings = fazhi_core::report::secrecy::scan(&d.plain_text(), &names);
    let today = state.clock.today();
    let (submit_due, publish_due) = (workflow::submit_due(year), workflow::publish_due(year));
    let status = saved.as_ref().map_or(ReportStatus::Draft, |s| s.status);
    let late = |due: Option<time::Date>, done: Option<time::Date>| match (due, done) {
        (Some(due), Some(done)) => done > due,
        (Some(due), None) => today > due,
        _ => false,
    };
    let s = saved.as_ref();
    Ok(DraftView {
        unfilled: workflow::unfilled(&d),
        draft: d,
        moved,
        version: s.map_or(0, |s| s.version),
        saved_by: s.map(|s| s.saver.clone()),
        saved_at: s.map(|s| s.saved_at),
        status,
        status_label: status.label_zh(),
        checked: s
            .and_then(|s| s.checked_on.zip(s.checked_by.clone()))
            .map(|(on, by)| format!("{on} {by}")),
        signed: s
            .and_then(|s| s.signed_on.zip(s.signers.clone()))
            .map(|(on, by)| format!("{on} {by}")),
        submitted_on: s.and_then(|s| s.submitted_on),
        published_on: s.and_then(|s| s.published_on),
        findings,
        submit_due,
        publish_due,
        submit_days_left: workflow::days_left(submit_due, status, today),
        submit_late: late(submit_due, s.and_then(|s| s.submitted_on)),
        publish_late: late(publish_due, s.and_then(|s| s.published_on)),
    })
}

/// A step of the way out.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct StepIn {
    /// `checked`, `signed`, `submitted` or `published`.
    #[schema(value_type = String)]
    pub to: ReportStatus,
    /// The version read.
    pub version: i64,
    /// The secrecy checklist points confirmed (all four for `checked`).
    #[serde(default)]
    pub checklist: Vec<String>,
    /// The two principal heads who sign (for `signed`).
    #[serde(default)]
    pub signers: Vec<String>,
}

/// Moves the saved report one step: checked (scan clean, checklist confirmed), signed
/// (by the head, every typed figure filled, two signers), submitted, published.
pub(crate) async fn advance(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    step: &StepIn,
) -> ApiResult<i64> {
    use axum::http::StatusCode;
    let t = township(state, p, code).await?;
    let staff = p.scope(Permission::ManageMatters).covers(&t.path);
    let head = p.scope(Permission::DecideCase).covers(&t.path);
    let v = view_of(state, &t, year).await?;
    let refuse = |m: String| ApiError::new(StatusCode::CONFLICT, "refused", m);
    if v.version == 0 {
        return Err(refuse("请先保存报告稿".into()));
    }
    if !workflow::next_allowed(v.status, step.to) {
        return Err(refuse(format!(
            "报告当前为「{}」，不能直接转为「{}」",
            v.status_label,
            step.to.label_zh()
        )));
    }
    let today = state.clock.today();
    let who = match step.to {
        ReportStatus::Checked => {
            if !staff {
                return Err(ApiError::forbidden());
            }
            if let Some(f) = v.findings.first() {
                return Err(refuse(format!(
                    "报告中有公民个人信息，不能通过保密审查：共{}处，如{}（{}）",
                    v.findings.len(),
                    f.shown,
                    match f.kind {
                        "id_number" => "身份证号",
                        "phone" => "手机号",
                        _ => "当事人姓名",
                    }
                )));
            }
            // Internal review comes first: every comment answered.
            let open = fazhi_db::annual::review::open_count(&state.db, t.id, year).await?;
            if open > 0 {
                return Err(refuse(format!(
                    "尚有{open}条审阅意见未处理，处理后才能进行保密审查"
                )));
            }
            if let Some((_, missing)) = workflow::CHECKLIST
                .iter()
                .find(|(k, _)| !step.checklist.iter().any(|c| c == k))
            {
                return Err(ApiError::field(
                    "checklist",
                    format!("请逐项确认：{missing}"),
                ));
            }
            Some(p.display_name.clone())
        }
        ReportStatus::Signed => {
            if !head {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "报告须由主要负责人签发",
                ));
            }
            if !v.unfilled.is_empty() {
                return Err(refuse(format!(
                    "尚有待填写的数字：{}",
                    v.unfilled.join("、")
                )));
            }
            let names: Vec<&str> = step
                .signers
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if names.len() != 2 || names.iter().any(|n| n.chars().count() > 30) {
                return Err(ApiError::field(
                    "signers",
                    "请填写党委和政府两位主要负责人的姓名",
                ));
            }
            Some(names.join("、"))
        }
        ReportStatus::Submitted | ReportStatus::Published => {
            if !staff {
                return Err(ApiError::forbidden());
            }
            None
        }
        ReportStatus::Draft => return Err(refuse("修改文字即回到起草中".into())),
    };
    // The text as it goes out is kept: the district reads what was submitted.
    let text = matches!(step.to, ReportStatus::Submitted | ReportStatus::Published)
        .then(|| v.draft.plain_text());
    let s = fazhi_db::annual::reports::Step {
        to: step.to,
        on: today,
        who,
        text,
    };
    Ok(
        fazhi_db::annual::reports::advance(&state.db, &p.actor(), t.id, year, step.version, &s)
            .await?,
    )
}

/// A published report for the public page (no login).
pub(crate) async fn published(
    state: &AppState,
    code: &str,
    year: i32,
) -> ApiResult<(String, String)> {
    let code = fazhi_core::division::DivisionCode::parse(code.trim())
        .map_err(|_| ApiError::not_found())?;
    let t = fazhi_db::admin::divisions::by_code(&state.db, code.as_str()).await?;
    let r = fazhi_db::annual::reports::published(&state.db, t.id, year)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((t.name, r.published_text.unwrap_or_default()))
}

/// Saves edited words around the figures (the township's staff: ManageMatters there).
pub(crate) async fn save(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    version: i64,
    text: &[Vec<String>],
) -> ApiResult<i64> {
    let t = township(state, p, code).await?;
    if !p.scope(Permission::ManageMatters).covers(&t.path) {
        return Err(ApiError::forbidden());
    }
    let fresh = draft_of(state, &t, year).await?;
    let edited = Draft::edited(&fresh, text).map_err(ApiError::bad_request)?;
    let body = serde_json::to_string(&edited).map_err(ApiError::internal)?;
    Ok(fazhi_db::annual::reports::save(&state.db, &p.actor(), t.id, year, &body, version).await?)
}
