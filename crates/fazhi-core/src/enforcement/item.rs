//! The enforcement item list (执法事项清单): what the township may penalise, on what
//! basis, within what range. Items are versioned: a change makes a new version and a
//! case keeps a copy of the version it was opened under.

use serde::{Deserialize, Serialize};

use super::{Grade, PenaltyKind, PowerSource, money::yuan};

/// One step of the discretion standard (裁量基准): circumstances → grade → range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscretionStep {
    pub grade: Grade,
    /// The circumstances, as the published standard words them.
    pub circumstances: String,
    /// Lowest fine at this grade, in fen.
    pub fine_min_fen: i64,
    /// Highest fine at this grade, in fen.
    pub fine_max_fen: i64,
}

/// An item of the list, as entered (the id and version are the database's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSpec {
    /// Code in the provincial or county list, e.g. "330217001000".
    pub code: String,
    /// Name of the violation, e.g. "对擅自占用城市道路的处罚".
    pub name: String,
    pub source: PowerSource,
    /// The decision that handed or entrusted the power (赋权/委托 only).
    #[serde(default)]
    pub deciding_document: String,
    /// The provision violated (违法依据).
    pub legal_basis: String,
    /// The provision that sets the penalty (处罚依据).
    pub penalty_basis: String,
    pub penalty_kinds: Vec<PenaltyKind>,
    /// Statutory fine range, in fen (0–0 when the item carries no fine).
    #[serde(default)]
    pub fine_min_fen: i64,
    #[serde(default)]
    pub fine_max_fen: i64,
    #[serde(default)]
    pub discretion: Vec<DiscretionStep>,
    /// Whether a hearing right applies to its heavier penalties.
    #[serde(default)]
    pub hearing_right: bool,
    /// Whether it is in the township's 法制审核目录 (review always required).
    #[serde(default)]
    pub review_catalogue: bool,
}

impl ItemSpec {
    /// Checks the entry; the messages are for the person typing it.
    pub fn validate(&self) -> Result<(), String> {
        let text = |v: &str, what: &str, max: usize| {
            let n = v.trim().chars().count();
            if n == 0 {
                Err(format!("请填写{what}"))
            } else if n > max {
                Err(format!("{what}不能超过{max}个字"))
            } else if v.chars().any(|c| c.is_control() && c != '\n') {
                Err(format!("{what}含有控制字符"))
            } else {
                Ok(())
            }
        };
        text(&self.code, "事项编码", 40)?;
        text(&self.name, "事项名称", 200)?;
        text(&self.legal_basis, "违法依据", 2000)?;
        text(&self.penalty_basis, "处罚依据", 2000)?;
        if self.source != PowerSource::Statutory {
            text(
                &self.deciding_document,
                &format!("{}事项的赋权（委托）文件", self.source.label_zh()),
                200,
            )?;
        }
        if self.penalty_kinds.is_empty() {
            return Err("请至少选择一种处罚种类".into());
        }
        let fines = self.penalty_kinds.contains(&PenaltyKind::Fine);
        if self.fine_min_fen < 0 || self.fine_max_fen < self.fine_min_fen {
            return Err("罚款幅度有误：下限不能大于上限，也不能为负数".into());
        }
        if fines && self.fine_max_fen == 0 {
            return Err("处罚种类含罚款时须填写罚款幅度".into());
        }
        for s in &self.discretion {
            text(&s.circumstances, "裁量情形", 500)?;
            if s.fine_min_fen < 0 || s.fine_max_fen < s.fine_min_fen {
                return Err(format!("裁量基准「{}」的罚款幅度有误", s.grade.label_zh()));
            }
            // 减轻 may go below the statutory minimum (Art 32); nothing may exceed the maximum.
            if s.fine_max_fen > self.fine_max_fen
                || (s.grade != Grade::Mitigated
                    && s.grade != Grade::Exempt
                    && s.fine_min_fen < self.fine_min_fen)
            {
                return Err(format!(
                    "裁量基准「{}」超出法定罚款幅度（{}–{}元）",
                    s.grade.label_zh(),
                    yuan(self.fine_min_fen),
                    yuan(self.fine_max_fen)
                ));
            }
        }
        Ok(())
    }

    /// The statutory range in words, e.g. "500–2000元".
    pub fn fine_range_zh(&self) -> String {
        if self.fine_max_fen == 0 {
            "不涉及罚款".into()
        } else {
            format!("{}–{}元", yuan(self.fine_min_fen), yuan(self.fine_max_fen))
        }
    }
}

/// The copy of an item a case keeps, so later edits of the list never change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRef {
    /// Database id of the item version.
    pub id: i64,
    pub version: i64,
    #[serde(flatten)]
    pub spec: ItemSpec,
}
