//! Codes of the education work stream, stored and sent as stable strings.

use crate::matter::code_enum;

code_enum! {
    /// The type of a publicity event (普法活动): a theme-day event, one of the 六进
    /// targets, a lecture, a performance (法治文艺) or online publicity.
    pub enum EventKind: "普法活动类型" {
        ThemeDay = ("theme_day", "主题日活动"),
        Agencies = ("agencies", "进机关"),
        Villages = ("villages", "进乡村"),
        Communities = ("communities", "进社区"),
        Schools = ("schools", "进学校"),
        Enterprises = ("enterprises", "进企业"),
        Units = ("units", "进单位"),
        Lecture = ("lecture", "法治讲座"),
        Performance = ("performance", "法治文艺"),
        Online = ("online", "网络普法"),
    }
}

code_enum! {
    /// The form of a cadre study session (学法).
    pub enum StudyKind: "学法形式" {
        CentralGroup = ("central_group", "党委理论学习中心组学法"),
        PreMeeting = ("pre_meeting", "会前学法"),
        Lecture = ("lecture", "法治专题讲座"),
        Training = ("training", "法治培训"),
    }
}

code_enum! {
    /// What a person on the roster does.
    pub enum RosterRole: "队伍类别" {
        LegalLiterate = ("legal_literate", "法律明白人"),
        Mediator = ("mediator", "人民调解员"),
        GridWorker = ("grid_worker", "网格员"),
    }
}
