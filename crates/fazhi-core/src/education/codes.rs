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

code_enum! {
    /// The post of a head who delivers a 述法 statement.
    pub enum HeadPost: "职务" {
        PartySecretary = ("party_secretary", "党委书记"),
        GovernmentHead = ("government_head", "镇长（乡长、街道办事处主任）"),
        DeputySecretary = ("deputy_secretary", "党委副书记"),
        DeputyHead = ("deputy_head", "副镇长（副乡长、副主任）"),
        Other = ("other", "其他负责人"),
    }
}

code_enum! {
    /// Where a 述法 statement was delivered.
    pub enum StatementOccasion: "述法形式" {
        YearEnd = ("year_end", "年终述职述法"),
        Meeting = ("meeting", "会议述法"),
        Review = ("review", "述法评议会"),
        Written = ("written", "书面述法"),
    }
}

code_enum! {
    /// The district's rating of a 述法 statement.
    pub enum StatementRating: "述法评价" {
        Excellent = ("excellent", "好"),
        Good = ("good", "较好"),
        Fair = ("fair", "一般"),
        Poor = ("poor", "较差"),
    }
}

code_enum! {
    /// The level of a 民主法治示范村（社区） title.
    pub enum ModelLevel: "示范村级别" {
        National = ("national", "国家级"),
        Provincial = ("provincial", "省级"),
        City = ("city", "市级"),
        County = ("county", "县级"),
    }
}

code_enum! {
    /// The kind of an emergency plan (突发事件应对法 Art 26).
    pub enum PlanKind: "预案类别" {
        General = ("general", "总体应急预案"),
        NaturalDisaster = ("natural_disaster", "自然灾害类"),
        Accident = ("accident", "事故灾难类"),
        PublicHealth = ("public_health", "公共卫生事件类"),
        SocialSafety = ("social_safety", "社会安全事件类"),
    }
}

code_enum! {
    /// The form of a drill.
    pub enum DrillForm: "演练形式" {
        Field = ("field", "实战演练"),
        Tabletop = ("tabletop", "桌面推演"),
    }
}

code_enum! {
    /// A file kept with an activity or an enterprise visit.
    pub enum EduFileKind: "材料类型" {
        Photo = ("photo", "现场照片"),
        SignIn = ("sign_in", "签到表"),
    }
}

impl EduFileKind {
    /// A sign-in sheet names and signs the people who came: personal data, every
    /// download audited.
    pub fn personal(self) -> bool {
        matches!(self, EduFileKind::SignIn)
    }
}
