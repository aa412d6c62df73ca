//! Codes of the review desk, each with a stable code and a Chinese label.

use crate::matter::code_enum;

code_enum! {
    /// What is put to the legality review (合法性审查).
    pub enum ReviewKind: "审查事项类型" {
        /// 重大行政决策 (国务院令第713号 Arts 25–28).
        MajorDecision = ("major_decision", "重大行政决策"),
        /// 行政规范性文件 (国办发〔2018〕115号).
        NormativeDocument = ("normative_document", "行政规范性文件"),
        /// A contract the township signs (法律顾问 duties).
        Contract = ("contract", "合同"),
        /// 重大执法决定法制审核 (行政处罚法 Art 58), from an enforcement case.
        EnforcementDecision = ("enforcement_decision", "重大执法决定"),
        /// A reply to a petition (信访答复意见).
        PetitionReply = ("petition_reply", "信访答复"),
        /// Any other act the township chooses to review.
        Other = ("other", "其他行政行为"),
    }
}

code_enum! {
    /// The reviewer's opinion (审查意见).
    pub enum LegalOpinion: "审查意见" {
        Lawful = ("lawful", "合法"),
        Unlawful = ("unlawful", "不合法"),
        /// 修改后可提交: lawful once the named changes are made.
        Amend = ("amend", "修改后合法"),
    }
}

code_enum! {
    /// Whether the drafting side adopted the opinion (采纳情况).
    pub enum Adoption: "采纳情况" {
        Adopted = ("adopted", "采纳"),
        Partly = ("partly", "部分采纳"),
        NotAdopted = ("not_adopted", "未采纳"),
    }
}

code_enum! {
    /// Where an item on the desk stands.
    pub enum ReviewStatus: "审查状态" {
        /// 待审查.
        Pending = ("pending", "待审查"),
        /// 已出具审查意见, waiting for the drafting side.
        Reviewed = ("reviewed", "已出具意见"),
        /// 已反馈采纳情况, not yet signed.
        Answered = ("answered", "已反馈采纳情况"),
        /// 已签发/已决定: the act was taken.
        Signed = ("signed", "已签发"),
        /// 已撤回: the drafting side dropped the act.
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

code_enum! {
    /// The code of an action on a review item, as stored on its timeline.
    pub enum ReviewActionCode: "审查操作" {
        Submit = ("submit", "提交审查"),
        Register = ("register", "登记未经审查的事项"),
        Review = ("review", "出具审查意见"),
        RecordAdoption = ("record_adoption", "反馈采纳情况"),
        Sign = ("sign", "签发"),
        Withdraw = ("withdraw", "撤回"),
    }
}
