//! Chinese names of the audit log's action codes, for the audit page: the category
//! from the code's prefix, the verb from its suffix (a new code still reads, as its
//! category and the code itself).

/// The categories the page filters on: (prefix, name).
pub const CATEGORIES: &[(&str, &str)] = &[
    ("matter.", "矛盾纠纷事项"),
    ("party.", "当事人信息"),
    ("sweep.", "网格排查"),
    ("ledger.", "台账导出"),
    ("enforcement.", "行政执法"),
    ("evidence.", "执法证据"),
    ("legal_review.", "合法性审查"),
    ("major_decision.", "重大决策"),
    ("decision_catalogue.", "决策目录"),
    ("education.", "普法学法"),
    ("roster.", "名册信息"),
    ("annual.", "年度报告"),
    ("login", "登录"),
    ("user.", "用户"),
    ("grant.", "授权"),
    ("token.", "接口令牌"),
    ("division.", "区划"),
    ("grid.", "网格"),
    ("unit.", "部门单位"),
    ("setting.", "设置"),
];

const VERBS: &[(&str, &str)] = &[
    ("create", "新建"),
    ("update", "修改"),
    ("register", "登记"),
    ("edit", "更正"),
    ("import", "导入"),
    ("load", "批量写入"),
    ("reveal", "查看完整个人信息"),
    ("export", "导出"),
    ("failed", "失败"),
    ("refused", "被拒绝"),
    ("add", "授予"),
    ("revoke", "撤销"),
    ("password", "重置密码"),
    ("save", "保存"),
    ("comment", "审阅意见"),
    ("comment_resolve", "处理审阅意见"),
    ("notice", "督办"),
    ("notice_reply", "回复督办"),
    ("upload", "上传"),
    ("checked", "通过保密审查"),
    ("signed", "签发"),
    ("submitted", "报送"),
    ("published", "公开"),
    ("document", "生成文书"),
    ("submit", "提交"),
];

/// `matter.register` → 矛盾纠纷事项·登记; an unknown verb keeps its code.
pub fn label(action: &str) -> String {
    if action == "login" {
        return "登录".into();
    }
    let category = CATEGORIES
        .iter()
        .find(|(p, _)| p.ends_with('.') && action.starts_with(p))
        .map(|(_, n)| *n);
    let verb = action.rsplit('.').next().unwrap_or(action);
    let verb_zh = VERBS.iter().find(|(v, _)| *v == verb).map(|(_, n)| *n);
    match (category, verb_zh) {
        (Some(c), Some(v)) => format!("{c}·{v}"),
        (Some(c), None) => format!("{c}·{verb}"),
        (None, Some(v)) if action.starts_with("login") => format!("登录{v}"),
        _ => action.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn codes_read_in_chinese() {
        assert_eq!(label("matter.register"), "矛盾纠纷事项·登记");
        assert_eq!(label("party.reveal"), "当事人信息·查看完整个人信息");
        assert_eq!(label("login"), "登录");
        assert_eq!(label("login.failed"), "登录失败");
        assert_eq!(label("annual.notice_reply"), "年度报告·回复督办");
        assert_eq!(label("enforcement.accept"), "行政执法·accept");
        assert_eq!(label("something.new"), "something.new");
    }
}
