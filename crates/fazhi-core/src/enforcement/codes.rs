//! Codes of the enforcement work stream, each with a stable code and a Chinese label.

use crate::matter::code_enum;

code_enum! {
    /// Where the township's power over an item comes from (执法事项来源).
    pub enum PowerSource: "职权来源" {
        /// Given to townships by law (法定).
        Statutory = ("statutory", "法定"),
        /// Handed down by a provincial decision (赋权, 行政处罚法 Art 24).
        Empowered = ("empowered", "赋权"),
        /// Entrusted by a county department (委托).
        Entrusted = ("entrusted", "委托"),
    }
}

code_enum! {
    /// Types of administrative penalty (行政处罚法 Art 9) a township may impose.
    pub enum PenaltyKind: "处罚种类" {
        Warning = ("warning", "警告"),
        Criticism = ("criticism", "通报批评"),
        Fine = ("fine", "罚款"),
        Confiscation = ("confiscation", "没收违法所得、没收非法财物"),
        SuspendLicence = ("suspend_licence", "暂扣许可证件"),
        LowerGrade = ("lower_grade", "降低资质等级"),
        RevokeLicence = ("revoke_licence", "吊销许可证件"),
        RestrictBusiness = ("restrict_business", "限制开展生产经营活动"),
        StopBusiness = ("stop_business", "责令停产停业"),
        CloseDown = ("close_down", "责令关闭"),
        RestrictPractice = ("restrict_practice", "限制从业"),
    }
}

impl PenaltyKind {
    /// Penalties that give the party a right to a hearing whatever the amount (Art 63).
    pub const fn needs_hearing(self) -> bool {
        matches!(
            self,
            PenaltyKind::LowerGrade
                | PenaltyKind::RevokeLicence
                | PenaltyKind::StopBusiness
                | PenaltyKind::CloseDown
                | PenaltyKind::RestrictBusiness
                | PenaltyKind::RestrictPractice
        )
    }
}

code_enum! {
    /// Grade of the discretion standard (裁量基准) applied.
    pub enum Grade: "裁量等级" {
        Exempt = ("exempt", "不予处罚"),
        Mitigated = ("mitigated", "减轻处罚"),
        Lighter = ("lighter", "从轻处罚"),
        Ordinary = ("ordinary", "一般处罚"),
        Heavier = ("heavier", "从重处罚"),
    }
}

code_enum! {
    /// Procedure of a case.
    pub enum Procedure: "程序" {
        /// 简易程序: decided on the spot (Arts 51–52).
        Simple = ("simple", "简易程序"),
        /// 普通程序: opened, investigated, notified, decided (Arts 54–65).
        Ordinary = ("ordinary", "普通程序"),
    }
}

code_enum! {
    /// Whether the party is a person or an organisation (the simple-procedure limits differ).
    pub enum PartyKind: "当事人类型" {
        Citizen = ("citizen", "公民"),
        Organisation = ("organisation", "法人或其他组织"),
    }
}

code_enum! {
    /// Where a case stands.
    pub enum CaseStatus: "案件状态" {
        /// 已立案: under investigation.
        Opened = ("opened", "调查取证"),
        /// 已告知: the party has been told of the intended penalty and its rights.
        Notified = ("notified", "已告知"),
        /// 听证: requested and not yet held; the 90-day clock stands still.
        Hearing = ("hearing", "听证"),
        /// 法制审核中.
        InReview = ("in_review", "法制审核"),
        /// Every gate passed; waiting for the head's decision.
        Ready = ("ready", "待决定"),
        /// 已作出决定, not yet served.
        Decided = ("decided", "已决定"),
        /// 已送达: waiting for payment or execution.
        Served = ("served", "已送达"),
        /// 已执行.
        Executed = ("executed", "已执行"),
        /// 已结案.
        Closed = ("closed", "已结案"),
        /// 已归档.
        Archived = ("archived", "已归档"),
    }
}

impl CaseStatus {
    /// Still before the decision, where the 90-day clock runs.
    pub const fn before_decision(self) -> bool {
        matches!(
            self,
            CaseStatus::Opened
                | CaseStatus::Notified
                | CaseStatus::Hearing
                | CaseStatus::InReview
                | CaseStatus::Ready
        )
    }

    /// Closed or archived.
    pub const fn is_finished(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Archived)
    }
}

code_enum! {
    /// How a case ended (决定类型).
    pub enum CaseOutcome: "处理结果" {
        /// 给予行政处罚.
        Penalty = ("penalty", "给予行政处罚"),
        /// 不予行政处罚 (Art 33: minor and corrected, first violation, no fault).
        NoPenalty = ("no_penalty", "不予行政处罚"),
        /// 撤销立案: the facts do not hold.
        Dropped = ("dropped", "撤销立案"),
        /// 移送: to another agency or, for a suspected crime, the judiciary.
        Transferred = ("transferred", "移送处理"),
    }
}

code_enum! {
    /// A legal reviewer's opinion (法制审核意见, 118号).
    pub enum ReviewOpinion: "审核意见" {
        /// 同意.
        Approved = ("approved", "同意"),
        /// 存在问题: returned for correction and resubmission.
        Returned = ("returned", "存在问题，退回补正"),
    }
}

code_enum! {
    /// Why the 90-day clock stands still (excluded time under sector rules).
    pub enum PauseReason: "中止计时原因" {
        Hearing = ("hearing", "听证"),
        Testing = ("testing", "检测、检验、检疫、鉴定"),
        Announcement = ("announcement", "公告"),
        Other = ("other", "其他法定事由"),
    }
}

code_enum! {
    /// Kind of evidence or record taken during the investigation.
    pub enum EvidenceKind: "证据种类" {
        Inquiry = ("inquiry", "询问笔录"),
        Inspection = ("inspection", "现场检查（勘验）笔录"),
        Photo = ("photo", "照片"),
        AudioVideo = ("audio_video", "视听资料（执法记录仪）"),
        Document = ("document", "书证"),
        Expert = ("expert", "检测、鉴定意见"),
        Other = ("other", "其他"),
    }
}

code_enum! {
    /// How a decision was served (送达方式, Art 61).
    pub enum ServiceMethod: "送达方式" {
        Direct = ("direct", "直接送达"),
        Left = ("left", "留置送达"),
        Post = ("post", "邮寄送达"),
        /// Fax or e-mail: only with the party's signed consent.
        Electronic = ("electronic", "电子送达"),
        Announcement = ("announcement", "公告送达"),
    }
}

code_enum! {
    /// The points of the legal review (118号; rules-2.md §9), each confirmed by the reviewer.
    pub enum ReviewCheck: "审核要点" {
        Body = ("body", "执法主体合法，执法人员具备执法资格"),
        Procedure = ("procedure", "执法程序合法"),
        Facts = ("facts", "案件事实清楚，证据合法充分"),
        Law = ("law", "适用法律、法规、规章准确，裁量基准运用适当"),
        Power = ("power", "未超越执法机关法定权限"),
        Documents = ("documents", "执法文书完备、规范"),
        Crime = ("crime", "已审查是否涉嫌犯罪、须移送司法机关"),
    }
}

code_enum! {
    /// Kind of inspection (检查).
    pub enum InspectionKind: "检查类型" {
        Routine = ("routine", "日常巡查"),
        Random = ("random", "双随机抽查"),
        Special = ("special", "专项检查"),
        Complaint = ("complaint", "投诉举报核查"),
    }
}

code_enum! {
    /// What an inspection found and did.
    pub enum InspectionOutcome: "检查结果" {
        /// No violation found.
        Compliant = ("compliant", "未发现问题"),
        /// 纠违: a violation corrected on the spot or by order, without a penalty.
        Corrected = ("corrected", "责令改正（纠违）"),
        /// A case was opened.
        CaseOpened = ("case_opened", "立案查处"),
    }
}
