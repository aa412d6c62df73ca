//! Starting a case: 立案 under the ordinary procedure, or a decision on the spot under
//! the simple procedure, with the limits the law sets.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    CaseError, CaseOutcome, CaseParty, CaseState, CaseStatus, Decision, EnforcementRules, Grade,
    ItemRef, OfficerCert, PartyKind, Payment, Penalty, PenaltyKind, Procedure, Service,
    ServiceMethod, check_officers, check_text, money::yuan,
};
use crate::calendar::{Calendar, Deadline, date_format};

/// What an officer enters to open a case or decide on the spot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSpec {
    pub party: CaseParty,
    pub facts: String,
    /// When the violation happened or, if continuing, ended.
    #[serde(with = "date_format")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub act_on: Date,
    /// When it was discovered (defaults to today).
    #[serde(
        default,
        serialize_with = "date_format::option::serialize",
        deserialize_with = "nullable_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub discovered_on: Option<Date>,
    #[serde(default)]
    pub safety_harm: bool,
    #[serde(default)]
    pub major: bool,
    #[serde(default)]
    pub complex: bool,
    /// At least two officers with valid certificates.
    pub officers: Vec<i64>,
}

/// An optional `YYYY-MM-DD` that also accepts `null` inside a flattened body (serde
/// hands flattened fields over as buffered content, where `time`'s own option format
/// refuses `null`).
pub(crate) fn nullable_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Date>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.filter(|t| !t.trim().is_empty())
        .map(|t| {
            Date::parse(
                t.trim(),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| serde::de::Error::custom(format!("日期「{t}」格式有误，应为 年-月-日")))
        })
        .transpose()
}

/// The penalty decided on the spot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnSpot {
    pub penalty: Penalty,
    pub reasons: String,
    /// The fine was collected on the spot (≤ 100 元, Art 68).
    #[serde(default)]
    pub collected_on_spot: bool,
}

fn check_spec(spec: &CaseSpec, today: Date, certs: &[OfficerCert]) -> Result<Date, CaseError> {
    check_text(&spec.party.name, "当事人名称", 100)?;
    if spec.party.address.chars().count() > 200 {
        return Err(CaseError::invalid("当事人地址不能超过200个字"));
    }
    check_text(&spec.facts, "违法事实", 4000)?;
    let discovered = spec.discovered_on.unwrap_or(today);
    if spec.act_on > discovered {
        return Err(CaseError::invalid("违法行为发生日期不能晚于发现日期"));
    }
    if discovered > today {
        return Err(CaseError::invalid("发现日期不能晚于今天"));
    }
    if spec.act_on.year() < 2000 {
        return Err(CaseError::invalid("违法行为发生日期有误"));
    }
    check_officers(&spec.officers, certs, today)?;
    Ok(discovered)
}

fn base(
    procedure: Procedure,
    status: CaseStatus,
    item: &ItemRef,
    spec: &CaseSpec,
    discovered_on: Date,
    today: Date,
    matter_id: Option<i64>,
) -> CaseState {
    let mut officers = spec.officers.clone();
    officers.dedup();
    CaseState {
        procedure,
        status,
        item: item.clone(),
        party: CaseParty {
            kind: spec.party.kind,
            name: spec.party.name.trim().to_string(),
            address: spec.party.address.trim().to_string(),
        },
        facts: spec.facts.trim().to_string(),
        act_on: spec.act_on,
        discovered_on,
        safety_harm: spec.safety_harm,
        major: spec.major,
        complex: spec.complex,
        matter_id,
        opened_on: today,
        officers,
        clock: None,
        pauses: vec![],
        evidence: vec![],
        notice: None,
        defence: None,
        hearing: None,
        reviews: vec![],
        discussion: None,
        decision: None,
        service: None,
        payments: vec![],
        filed_on: None,
        closed_on: None,
        archived_on: None,
        published_on: None,
        withdrawn_on: None,
        withdrawal_reason: String::new(),
        supervisions: vec![],
        revoked_on: None,
        revocation_reason: String::new(),
        withdraw_due: None,
    }
}

/// 立案 under the ordinary procedure; starts the 90-day clock.
pub fn open_case(
    item: &ItemRef,
    spec: &CaseSpec,
    matter_id: Option<i64>,
    today: Date,
    cal: &Calendar,
    rules: &EnforcementRules,
    certs: &[OfficerCert],
) -> Result<CaseState, CaseError> {
    let discovered = check_spec(spec, today, certs)?;
    let mut s = base(
        Procedure::Ordinary,
        CaseStatus::Opened,
        item,
        spec,
        discovered,
        today,
        matter_id,
    );
    s.clock = Some(Deadline::new(today, rules.decision_period, cal));
    Ok(s)
}

/// A decision on the spot under the simple procedure (Arts 51, 52, 68). The decision
/// form is handed over at once, so it is served on the same day.
#[allow(clippy::too_many_arguments)]
pub fn decide_on_spot(
    item: &ItemRef,
    spec: &CaseSpec,
    on_spot: &OnSpot,
    matter_id: Option<i64>,
    today: Date,
    cal: &Calendar,
    rules: &EnforcementRules,
    certs: &[OfficerCert],
) -> Result<CaseState, CaseError> {
    let discovered = check_spec(spec, today, certs)?;
    let p = &on_spot.penalty;
    check_text(&on_spot.reasons, "处罚理由和依据", 2000)?;
    if p.kinds.is_empty() {
        return Err(CaseError::invalid("请选择处罚种类"));
    }
    if let Some(k) = p
        .kinds
        .iter()
        .find(|k| !matches!(k, PenaltyKind::Warning | PenaltyKind::Fine))
    {
        return Err(CaseError::refused(format!(
            "简易程序只能给予警告或罚款，「{}」须适用普通程序（行政处罚法第51条）",
            k.label_zh()
        )));
    }
    check_fine_kind(p)?;
    let limit = match spec.party.kind {
        PartyKind::Citizen => rules.simple_fine_citizen_fen,
        PartyKind::Organisation => rules.simple_fine_organisation_fen,
    };
    if p.fine_fen > limit {
        return Err(CaseError::refused(format!(
            "对{}当场罚款不得超过{}元，本案须适用普通程序（行政处罚法第51条）",
            spec.party.kind.label_zh(),
            yuan(limit)
        )));
    }
    if on_spot.collected_on_spot && p.fine_fen > rules.on_spot_collection_fen {
        return Err(CaseError::refused(format!(
            "{}元以上的罚款不得当场收缴，应由当事人到指定银行或通过电子支付缴纳（行政处罚法第68条）",
            yuan(rules.on_spot_collection_fen)
        )));
    }
    check_item_range(item, p, Grade::Ordinary)?;
    let mut s = base(
        Procedure::Simple,
        CaseStatus::Served,
        item,
        spec,
        discovered,
        today,
        matter_id,
    );
    if s.limitation_expired(rules) {
        return Err(CaseError::refused(limitation_message(&s, rules)));
    }
    s.decision = Some(Decision {
        on: today,
        outcome: CaseOutcome::Penalty,
        penalty: Some(p.clone()),
        grade: Some(Grade::Ordinary),
        reasons: on_spot.reasons.trim().to_string(),
        collected_on_spot: on_spot.collected_on_spot,
        service_due: today,
        publish_due: Some(rules.publication_period.due(today, cal)),
    });
    s.service = Some(Service {
        on: today,
        method: ServiceMethod::Direct,
        payment_due: rules.payment_period.due(today, cal),
    });
    if on_spot.collected_on_spot {
        s.payments.push(Payment {
            on: today,
            amount_fen: p.fine_fen,
        });
    }
    if on_spot.collected_on_spot || p.fine_fen == 0 {
        s.status = CaseStatus::Executed;
    }
    Ok(s)
}

/// A fine amount goes with the fine kind and only with it.
pub(super) fn check_fine_kind(p: &Penalty) -> Result<(), CaseError> {
    let fines = p.kinds.contains(&PenaltyKind::Fine);
    if fines && p.fine_fen <= 0 {
        return Err(CaseError::invalid("请填写罚款金额"));
    }
    if !fines && p.fine_fen != 0 {
        return Err(CaseError::invalid("未选择罚款，不能填写罚款金额"));
    }
    if p.fine_fen < 0 || p.confiscation_fen < 0 {
        return Err(CaseError::invalid("金额不能为负数"));
    }
    Ok(())
}

/// The penalty stays within the item: its kinds and its fine range (减轻 may go lower).
pub(super) fn check_item_range(item: &ItemRef, p: &Penalty, grade: Grade) -> Result<(), CaseError> {
    if let Some(k) = p
        .kinds
        .iter()
        .find(|k| !item.spec.penalty_kinds.contains(k))
    {
        return Err(CaseError::refused(format!(
            "执法事项「{}」的处罚种类不含「{}」",
            item.spec.name,
            k.label_zh()
        )));
    }
    if p.kinds.contains(&PenaltyKind::Fine) {
        let below = p.fine_fen < item.spec.fine_min_fen && grade != Grade::Mitigated;
        if below || p.fine_fen > item.spec.fine_max_fen {
            return Err(CaseError::refused(format!(
                "罚款金额{}元超出该事项的法定幅度（{}）{}",
                yuan(p.fine_fen),
                item.spec.fine_range_zh(),
                if below {
                    "，低于下限须适用减轻处罚"
                } else {
                    ""
                }
            )));
        }
    }
    Ok(())
}

pub(super) fn limitation_message(s: &CaseState, rules: &EnforcementRules) -> String {
    format!(
        "违法行为发生于{}，至发现之日{}已超过{}年追责时效（至{}），不再给予行政处罚（行政处罚法第36条）",
        s.act_on,
        s.discovered_on,
        if s.safety_harm {
            rules.limitation_years_safety
        } else {
            rules.limitation_years
        },
        s.limitation_end(rules)
    )
}

/// An inspection as an officer records it (often on a phone, on the spot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionSpec {
    pub kind: super::InspectionKind,
    pub outcome: super::InspectionOutcome,
    /// Who or what was inspected (a shop, a site, a road section).
    pub target: String,
    /// What was found and done.
    pub findings: String,
    /// At least two officers with valid certificates.
    pub officers: Vec<i64>,
}

impl InspectionSpec {
    pub fn check(&self, today: Date, certs: &[OfficerCert]) -> Result<(), CaseError> {
        check_text(&self.target, "检查对象", 200)?;
        check_text(&self.findings, "检查情况及处理", 4000)?;
        check_officers(&self.officers, certs, today)
    }
}
