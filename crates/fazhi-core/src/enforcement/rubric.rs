//! 案卷评查: the scoring sheet as data (items, points, veto items, grade cut-offs) and
//! the score of one file. No national sheet exists; the default follows the common
//! model of veto items, 卷面 20 and 内容 80 (rules-2.md §2), and a district may change it.

use serde::{Deserialize, Serialize};

use crate::matter::code_enum;

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RubricItem {
    pub code: String,
    pub label: String,
    /// Points it is worth (0 for a veto item).
    pub points: u32,
    /// Failing it makes the file 不合格 with 0 points.
    #[serde(default)]
    pub veto: bool,
}

/// The scoring sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rubric {
    pub items: Vec<RubricItem>,
    /// Lowest score graded 优秀.
    pub excellent_from: u32,
    /// Lowest score graded 合格.
    pub pass_from: u32,
}

code_enum! {
    /// Grade of a case file.
    pub enum FileGrade: "评查等次" {
        Excellent = ("excellent", "优秀"),
        Pass = ("pass", "合格"),
        Fail = ("fail", "不合格"),
    }
}

fn item(code: &str, label: &str, points: u32, veto: bool) -> RubricItem {
    RubricItem {
        code: code.into(),
        label: label.into(),
        points,
        veto,
    }
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            items: vec![
                item("v_body", "执法主体不合法", 0, true),
                item("v_staff", "执法人员不具备执法资格或少于两人", 0, true),
                item("v_transfer", "应当移送而未移送", 0, true),
                item("v_evidence", "主要证据不足、事实不清", 0, true),
                item("v_law", "定性错误或适用依据错误", 0, true),
                item("v_procedure", "程序违法", 0, true),
                item("filing", "立案：来源、审批、时限", 10, false),
                item("evidence", "调查取证：笔录、证据收集与固定", 25, false),
                item("notice", "告知与陈述申辩、听证", 15, false),
                item("decision", "决定：审核、讨论、决定书内容与裁量", 20, false),
                item("service", "送达与执行", 10, false),
                item(
                    "file",
                    "卷面：文书规范、一案一卷、封面目录、排序、页码",
                    20,
                    false,
                ),
            ],
            excellent_from: 90,
            pass_from: 60,
        }
    }
}

/// Points taken off one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deduction {
    pub item: String,
    pub points: u32,
    #[serde(default)]
    pub note: String,
}

/// The result of scoring one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileScore {
    pub score: u32,
    pub grade: FileGrade,
    /// The veto items failed (score 0 when any).
    pub vetoes: Vec<String>,
    pub deductions: Vec<Deduction>,
}

impl Rubric {
    /// Checks the sheet a district edits.
    pub fn validate(&self) -> Result<(), String> {
        let total: u32 = self.items.iter().map(|i| i.points).sum();
        if total != 100 {
            return Err(format!("评分项分值合计须为100分，现为{total}分"));
        }
        if !(self.pass_from <= self.excellent_from && self.excellent_from <= 100) {
            return Err("等次分数线有误：合格线不能高于优秀线，优秀线不超过100".into());
        }
        let mut codes: Vec<&str> = self.items.iter().map(|i| i.code.as_str()).collect();
        codes.sort_unstable();
        if codes.windows(2).any(|w| w[0] == w[1]) {
            return Err("评分项编码重复".into());
        }
        Ok(())
    }

    /// Scores a file: any veto zeroes it; otherwise 100 less the deductions, each
    /// capped at its item's points.
    pub fn score(&self, vetoes: &[String], deductions: &[Deduction]) -> Result<FileScore, String> {
        for v in vetoes {
            if !self.items.iter().any(|i| i.veto && i.code == *v) {
                return Err(format!("「{v}」不是一票否决项"));
            }
        }
        let mut lost = 0;
        for d in deductions {
            let i = self
                .items
                .iter()
                .find(|i| !i.veto && i.code == d.item)
                .ok_or_else(|| format!("「{}」不是评分项", d.item))?;
            if d.points > i.points {
                return Err(format!("「{}」最多扣{}分", i.label, i.points));
            }
            if d.points > 0 && d.note.trim().is_empty() {
                return Err(format!("「{}」扣分须写明问题", i.label));
            }
            lost += d.points;
        }
        let score = if vetoes.is_empty() {
            100u32.saturating_sub(lost)
        } else {
            0
        };
        let grade = if score >= self.excellent_from {
            FileGrade::Excellent
        } else if score >= self.pass_from {
            FileGrade::Pass
        } else {
            FileGrade::Fail
        };
        Ok(FileScore {
            score,
            grade,
            vetoes: vetoes.to_vec(),
            deductions: deductions
                .iter()
                .filter(|d| d.points > 0)
                .cloned()
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vetoes_zero_the_file_and_deductions_are_capped() {
        let r = Rubric::default();
        r.validate().unwrap();
        let d = |item: &str, points| Deduction {
            item: item.into(),
            points,
            note: "缺页码".into(),
        };
        let s = r.score(&[], &[d("file", 5), d("evidence", 6)]).unwrap();
        assert_eq!((s.score, s.grade), (89, FileGrade::Pass));
        assert_eq!(r.score(&[], &[]).unwrap().grade, FileGrade::Excellent);
        let s = r.score(&["v_staff".into()], &[]).unwrap();
        assert_eq!((s.score, s.grade), (0, FileGrade::Fail));
        assert!(r.score(&[], &[d("file", 21)]).is_err());
        assert!(r.score(&["filing".into()], &[]).is_err());
        let mut bad = r.clone();
        bad.items[6].points = 11;
        assert!(bad.validate().is_err());
    }
}
