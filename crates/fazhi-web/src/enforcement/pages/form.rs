//! HTML forms to the API's bodies. Forms send repeated fields (officers, penalty
//! kinds) and amounts in yuan; the API takes arrays and fen. Everything else is
//! checked by the same code the API uses.

use fazhi_core::enforcement::money::parse_yuan;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// The submitted fields, in order; repeated names keep every value.
pub(super) struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn text(&self, name: &str) -> String {
        self.one(name).unwrap_or_default().to_string()
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.one(name).is_some()
    }

    pub fn ids(&self, name: &str) -> Result<Vec<i64>, String> {
        self.all(name)
            .into_iter()
            .map(|v| v.parse().map_err(|_| format!("「{v}」不是有效的编号")))
            .collect()
    }

    pub fn fen(&self, name: &str, what: &str) -> Result<i64, String> {
        match self.one(name) {
            None => Ok(0),
            Some(v) => parse_yuan(v).map_err(|e| format!("{what}：{e}")),
        }
    }

    /// `{kinds, fine_fen, confiscation_fen}` from `penalty_kinds`, `fine`, `confiscation`.
    pub fn penalty(&self) -> Result<Value, String> {
        Ok(json!({
            "kinds": self.all("penalty_kinds"),
            "fine_fen": self.fen("fine", "罚款金额")?,
            "confiscation_fen": self.fen("confiscation", "没收金额")?,
        }))
    }
}

/// Reads `v` as `T`, with a Chinese message naming the field serde complains about.
pub(super) fn parse<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| {
        let e = e.to_string();
        if e.contains("date") || e.contains("invalid") && e.contains("-") {
            "日期格式有误，请按“年-月-日”填写".to_string()
        } else if let Some(field) = e.split('`').nth(1) {
            format!("表单内容有误：{field}")
        } else {
            "表单内容有误，请检查后重新提交".to_string()
        }
    })
}

/// The body of an action form.
pub(super) fn action(f: &Fields) -> Result<Value, String> {
    let code = f.one("action").ok_or("未选择操作")?.to_string();
    let mut m = Map::new();
    m.insert("action".into(), json!(code));
    if let Some(v) = f.one("version") {
        m.insert(
            "version".into(),
            json!(v.parse::<i64>().map_err(|_| "版本号有误")?),
        );
    }
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    match code.as_str() {
        "record_evidence" => {
            put("kind", json!(f.text("kind")));
            put("description", json!(f.text("description")));
            put("place", json!(f.text("place")));
            put("officers", json!(f.ids("officers")?));
        }
        "notify" => {
            put("penalty", f.penalty()?);
            put("grade", json!(f.one("grade").unwrap_or("ordinary")));
            put("officers", json!(f.ids("officers")?));
        }
        "record_defence" => {
            put("summary", json!(f.text("summary")));
            put("waived", json!(f.flag("waived")));
        }
        "schedule_hearing" => put("on", json!(f.text("on"))),
        "hold_hearing" => put("transcript", json!(f.text("transcript"))),
        "review" => {
            put("opinion", json!(f.text("opinion")));
            put("note", json!(f.text("note")));
            put("checks", json!(f.all("checks")));
        }
        "discuss" => {
            put("conclusion", json!(f.text("conclusion")));
            put("dissent", json!(f.text("dissent")));
        }
        "decide" => {
            let outcome = f.text("outcome");
            if outcome == "penalty" {
                put("penalty", f.penalty()?);
            }
            put("outcome", json!(outcome));
            if let Some(g) = f.one("grade") {
                put("grade", json!(g));
            }
            put("reasons", json!(f.text("reasons")));
        }
        "serve" => {
            put("method", json!(f.text("method")));
            put("electronic_consent", json!(f.flag("electronic_consent")));
            put("officers", json!(f.ids("officers")?));
        }
        "record_payment" => put("amount_fen", json!(f.fen("amount", "缴款金额")?)),
        "pause" => {
            put("reason", json!(f.text("reason")));
            put("note", json!(f.text("note")));
        }
        "extend" => {
            let days: u32 = f
                .one("days")
                .unwrap_or("0")
                .parse()
                .map_err(|_| "延长天数须为正整数")?;
            put("days", json!(days));
            put("reason", json!(f.text("reason")));
        }
        "close" => put("note", json!(f.text("note"))),
        "withdraw" => put("reason", json!(f.text("reason"))),
        "supervise" => put("note", json!(f.text("note"))),
        "record_revocation" => put("reason", json!(f.text("reason"))),
        _ => {}
    }
    Ok(Value::Object(m))
}

/// The body of the new-case form.
pub(super) fn new_case(f: &Fields) -> Result<Value, String> {
    let item_id: i64 = f
        .one("item_id")
        .ok_or("请选择执法事项")?
        .parse()
        .map_err(|_| "执法事项有误")?;
    let procedure = f.text("procedure");
    let mut v = json!({
        "item_id": item_id,
        "procedure": procedure,
        "division_code": f.one("division_code"),
        "party": {
            "kind": f.one("party_kind").unwrap_or("citizen"),
            "name": f.text("party_name"),
            "address": f.text("party_address"),
        },
        "facts": f.text("facts"),
        "act_on": f.one("act_on").ok_or("请填写违法行为发生日期")?,
        "discovered_on": f.one("discovered_on"),
        "safety_harm": f.flag("safety_harm"),
        "major": f.flag("major"),
        "complex": f.flag("complex"),
        "officers": f.ids("officers")?,
        "matter_id": match f.one("matter_id") {
            None => None,
            Some(m) => Some(m.parse::<i64>().map_err(|_| "关联事项编号有误")?),
        },
    });
    if procedure == "simple" {
        v["on_spot"] = json!({
            "penalty": f.penalty()?,
            "reasons": f.text("reasons"),
            "collected_on_spot": f.flag("collected_on_spot"),
        });
    }
    Ok(v)
}

/// The body of the item form.
pub(super) fn item(f: &Fields) -> Result<Value, String> {
    Ok(json!({
        "township_code": f.one("township_code"),
        "code": f.text("code"),
        "name": f.text("name"),
        "source": f.text("source"),
        "deciding_document": f.text("deciding_document"),
        "legal_basis": f.text("legal_basis"),
        "penalty_basis": f.text("penalty_basis"),
        "penalty_kinds": f.all("penalty_kinds"),
        "fine_min_fen": f.fen("fine_min", "罚款下限")?,
        "fine_max_fen": f.fen("fine_max", "罚款上限")?,
        "hearing_right": f.flag("hearing_right"),
        "review_catalogue": f.flag("review_catalogue"),
    }))
}
