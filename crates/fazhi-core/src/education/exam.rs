//! Legal exams of cadres (学法考试): results imported from the provincial exam
//! platform's XLSX export, graded by bands kept as a setting (commonly ≥90 优秀,
//! 80–89 良好, 60–79 合格, <60 不合格; rules-2.md §6, local targets vary), and the rates
//! units are ranked on: 参考率, 合格率, 优秀率.

use serde::Serialize;

use crate::matter::code_enum;
use crate::stats::percent;

code_enum! {
    /// The grade of one result.
    pub enum Grade: "考试等次" {
        Excellent = ("excellent", "优秀"),
        Good = ("good", "良好"),
        Pass = ("pass", "合格"),
        Fail = ("fail", "不合格"),
        Absent = ("absent", "缺考"),
    }
}

/// Lowest scores of 优秀, 良好 and 合格, out of 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bands {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            excellent: 90.0,
            good: 80.0,
            pass: 60.0,
        }
    }
}

impl Bands {
    /// Checks the bands: within 0–100, 优秀 ≥ 良好 ≥ 合格.
    pub fn check(self) -> Result<Bands, String> {
        let ok = |v: f64| v.is_finite() && (0.0..=100.0).contains(&v);
        if !(ok(self.excellent) && ok(self.good) && ok(self.pass)) {
            return Err("分数线须在0到100之间".into());
        }
        if !(self.excellent >= self.good && self.good >= self.pass) {
            return Err("分数线须满足：优秀 ≥ 良好 ≥ 合格".into());
        }
        Ok(self)
    }

    /// The grade of a score (None: did not sit the exam).
    pub fn grade(&self, score: Option<f64>) -> Grade {
        match score {
            None => Grade::Absent,
            Some(s) if s >= self.excellent => Grade::Excellent,
            Some(s) if s >= self.good => Grade::Good,
            Some(s) if s >= self.pass => Grade::Pass,
            Some(_) => Grade::Fail,
        }
    }
}

/// One result as read from a row of the export.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamResult {
    pub name: String,
    pub unit: String,
    /// None: did not sit the exam (缺考).
    pub score: Option<f64>,
}

/// Which columns of the export hold name, unit, score and (optionally) the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExamColumns {
    pub name: usize,
    pub unit: usize,
    pub score: usize,
    pub status: Option<usize>,
}

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    let clean = |h: &str| h.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| clean(h) == *n))
        .or_else(|| {
            names
                .iter()
                .find_map(|n| headers.iter().position(|h| clean(h).contains(n)))
        })
}

/// Finds the columns by their header names, as the platforms name them.
pub fn exam_columns(headers: &[String]) -> Result<ExamColumns, String> {
    let name = find(headers, &["姓名", "考生姓名"]);
    let unit = find(headers, &["单位", "工作单位", "所在单位", "部门"]);
    let score = find(headers, &["成绩", "分数", "得分", "考试成绩"]);
    let status = find(headers, &["是否参考", "考试状态", "参考情况", "状态"]);
    let missing: Vec<&str> = [("姓名", name), ("单位", unit), ("成绩", score)]
        .into_iter()
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| n)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "表头中找不到“{}”列（表头须含姓名、单位、成绩）",
            missing.join("”“")
        ));
    }
    Ok(ExamColumns {
        name: name.expect("checked"),
        unit: unit.expect("checked"),
        score: score.expect("checked"),
        status,
    })
}

/// Reads one row (cells as text) into a result, or says what is wrong with it.
pub fn exam_row(c: &ExamColumns, cells: &[String]) -> Result<ExamResult, String> {
    let get = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
    let name = get(c.name);
    if name.is_empty() {
        return Err("姓名为空".into());
    }
    if name.chars().count() > 30 {
        return Err("姓名超过30个字符".into());
    }
    let unit = get(c.unit);
    if unit.is_empty() {
        return Err("单位为空".into());
    }
    if unit.chars().count() > 100 {
        return Err("单位超过100个字符".into());
    }
    let absent_word = |s: &str| {
        ["缺考", "未参考", "未参加", "否"]
            .iter()
            .any(|w| s.contains(w))
    };
    let status = c.status.map(get).unwrap_or("");
    let raw = get(c.score);
    let score = if absent_word(status) || raw.is_empty() || absent_word(raw) {
        None
    } else {
        match raw.parse::<f64>() {
            Ok(s) if s.is_finite() && (0.0..=100.0).contains(&s) => Some(s),
            _ => return Err(format!("成绩“{raw}”不是0到100之间的数字")),
        }
    };
    Ok(ExamResult {
        name: name.into(),
        unit: unit.into(),
        score,
    })
}

/// The rates of one unit (or of all, with an empty unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamRates {
    pub unit: String,
    /// 应考: everyone listed.
    pub expected: i64,
    /// 参考: those with a score.
    pub took: i64,
    /// 合格 and above (优秀, 良好, 合格).
    pub passed: i64,
    pub excellent: i64,
    /// 参考率 = took / expected.
    pub take_rate: Option<f64>,
    /// 合格率 = passed / took.
    pub pass_rate: Option<f64>,
    /// 优秀率 = excellent / took.
    pub excellent_rate: Option<f64>,
}

fn rates_of(unit: String, grades: &[Grade]) -> ExamRates {
    let n = |f: &dyn Fn(Grade) -> bool| grades.iter().filter(|g| f(**g)).count() as i64;
    let expected = grades.len() as i64;
    let took = n(&|g| g != Grade::Absent);
    let passed = n(&|g| matches!(g, Grade::Excellent | Grade::Good | Grade::Pass));
    let excellent = n(&|g| g == Grade::Excellent);
    ExamRates {
        unit,
        expected,
        took,
        passed,
        excellent,
        take_rate: percent(took, expected),
        pass_rate: percent(passed, took),
        excellent_rate: percent(excellent, took),
    }
}

/// The rates per unit (in order of first appearance) and the total (unit empty).
pub fn exam_rates(results: &[ExamResult], bands: &Bands) -> (Vec<ExamRates>, ExamRates) {
    let mut units: Vec<(String, Vec<Grade>)> = Vec::new();
    for r in results {
        let g = bands.grade(r.score);
        match units.iter_mut().find(|(u, _)| *u == r.unit) {
            Some((_, gs)) => gs.push(g),
            None => units.push((r.unit.clone(), vec![g])),
        }
    }
    let all: Vec<Grade> = results.iter().map(|r| bands.grade(r.score)).collect();
    (
        units.into_iter().map(|(u, gs)| rates_of(u, &gs)).collect(),
        rates_of(String::new(), &all),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_rows_grades_and_rates() {
        let headers = row(&["序号", "考生姓名", "工作单位", "考试成绩", "是否参考"]);
        let c = exam_columns(&headers).unwrap();
        assert_eq!((c.name, c.unit, c.score, c.status), (1, 2, 3, Some(4)));
        assert!(
            exam_columns(&row(&["姓名", "分数"]))
                .unwrap_err()
                .contains("单位")
        );
        let ok = |cells: &[&str]| exam_row(&c, &row(cells)).unwrap();
        let results = vec![
            ok(&["1", "甲", "司法所", "95", "是"]),
            ok(&["2", "乙", "司法所", "59.5", "是"]),
            ok(&["3", "丙", "司法所", "", "缺考"]),
            ok(&["4", "丁", "派出所", "80", ""]),
        ];
        assert_eq!(results[2].score, None);
        assert!(exam_row(&c, &row(&["5", "戊", "派出所", "一百", ""])).is_err());
        assert!(exam_row(&c, &row(&["6", "", "派出所", "90", ""])).is_err());
        assert!(exam_row(&c, &row(&["7", "己", "派出所", "101", ""])).is_err());
        let b = Bands::default();
        assert_eq!(b.grade(Some(89.9)), Grade::Good);
        let (units, total) = exam_rates(&results, &b);
        assert_eq!(units[0].unit, "司法所");
        assert_eq!(
            (units[0].expected, units[0].took, units[0].passed),
            (3, 2, 1)
        );
        assert_eq!(units[0].take_rate, Some(66.67));
        assert_eq!(units[0].pass_rate, Some(50.0));
        assert_eq!(units[0].excellent_rate, Some(50.0));
        assert_eq!(
            (total.expected, total.took, total.passed, total.excellent),
            (4, 3, 2, 1)
        );
        let strict = Bands {
            excellent: 95.0,
            good: 85.0,
            pass: 80.0,
        };
        assert_eq!(exam_rates(&results, &strict).1.passed, 2);
        assert!(
            Bands {
                excellent: 50.0,
                good: 80.0,
                pass: 60.0
            }
            .check()
            .is_err()
        );
    }
}
