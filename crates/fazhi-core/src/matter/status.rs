//! Workflow status and the closing, follow-up and supervision vocabularies.

use super::code_enum;

code_enum! {
    /// Where a matter stands in the workflow.
    pub enum Status: "事项状态" {
        /// 待受理登记: submitted through the public form, waiting for staff.
        Pending = ("pending", "待登记"),
        /// 已登记: registered, waiting for the acceptance decision.
        Registered = ("registered", "已登记"),
        /// 已受理: accepted; the handling deadline runs.
        Accepted = ("accepted", "已受理"),
        /// 不予受理: not accepted, with a reason (terminal).
        NotAccepted = ("not_accepted", "不予受理"),
        /// 不予登记: a public submission refused by staff (terminal).
        Rejected = ("rejected", "不予登记"),
        /// 已交办: assigned to a unit or village, not yet acknowledged.
        Assigned = ("assigned", "已交办"),
        /// 办理中: the handling unit is working on it.
        InProgress = ("in_progress", "办理中"),
        /// 待审核: closed by a village or unit, waiting for the centre's review (审核).
        Reviewing = ("reviewing", "待审核"),
        /// 已办结: closed (销号).
        Closed = ("closed", "已办结"),
        /// 已回访: followed up for satisfaction.
        FollowedUp = ("followed_up", "已回访"),
        /// 已归档 (terminal).
        Archived = ("archived", "已归档"),
    }
}

impl Status {
    /// The step a matter in this status waits for, for task lists; empty when none.
    pub const fn next_step_zh(self) -> &'static str {
        match self {
            Status::Pending => "登记或不予登记",
            Status::Registered => "受理",
            Status::Accepted => "交办",
            Status::Assigned => "签收",
            Status::InProgress => "办理、办结",
            Status::Reviewing => "审核办结",
            Status::Closed => "回访",
            Status::FollowedUp => "归档",
            Status::NotAccepted | Status::Rejected | Status::Archived => "",
        }
    }

    /// Whether the handling deadline is running (the matter is being worked on).
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            Status::Accepted | Status::Assigned | Status::InProgress
        )
    }

    /// Whether the matter has been closed (closed, followed up or archived).
    pub const fn is_closed(self) -> bool {
        matches!(self, Status::Closed | Status::FollowedUp | Status::Archived)
    }

    /// Whether no further action is possible.
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::NotAccepted | Status::Rejected | Status::Archived
        )
    }
}

code_enum! {
    /// How a matter was closed (办结类型).
    pub enum ClosureType: "办结类型" {
        /// 实质性办结: the request itself was dealt with.
        Substantive = ("substantive", "实质性办结"),
        /// 阶段性办结: a stage was completed; work continues elsewhere or later.
        Interim = ("interim", "阶段性办结"),
        /// 程序性办结: closed by procedure (routed elsewhere, reply served).
        Procedural = ("procedural", "程序性办结"),
    }
}

code_enum! {
    /// Outcome of mediation of a dispute (调解结果).
    pub enum MediationOutcome: "调解结果" {
        /// 调解成功.
        Success = ("success", "调解成功"),
        /// 部分成功.
        Partial = ("partial", "部分成功"),
        /// 调解不成 (人民调解法 Art 26: parties are told of other routes).
        Failed = ("failed", "调解不成"),
    }
}

code_enum! {
    /// Where parties were directed when mediation did not settle everything (人民调解法 Art 26).
    pub enum Route: "引导途径" {
        /// 诉讼.
        Litigation = ("litigation", "诉讼"),
        /// 仲裁.
        Arbitration = ("arbitration", "仲裁"),
        /// 行政途径 (复议, 裁决 and other administrative procedures).
        Administrative = ("administrative", "行政途径"),
    }
}

code_enum! {
    /// The decision of a 信访处理意见书 (信访工作条例 Art 32).
    pub enum PetitionOpinion: "处理意见" {
        /// 予以支持.
        Support = ("support", "予以支持"),
        /// 解释说明: reasonable but without legal basis.
        Explain = ("explain", "解释说明"),
        /// 不予支持.
        NotSupport = ("not_support", "不予支持"),
    }
}

code_enum! {
    /// Satisfaction recorded at the follow-up (回访).
    pub enum Satisfaction: "回访结果" {
        /// 满意.
        Satisfied = ("satisfied", "满意"),
        /// 基本满意.
        BasicallySatisfied = ("basically_satisfied", "基本满意"),
        /// 不满意: the matter may be reopened.
        Dissatisfied = ("dissatisfied", "不满意"),
        /// 未能联系: not counted as evaluated.
        Unreachable = ("unreachable", "未能联系"),
    }
}

impl Satisfaction {
    /// Whether the party gave an evaluation (counts toward 参评率).
    pub const fn is_evaluated(self) -> bool {
        !matches!(self, Satisfaction::Unreachable)
    }

    /// 满意 or 基本满意 (counts toward 满意率).
    pub const fn is_satisfied(self) -> bool {
        matches!(
            self,
            Satisfaction::Satisfied | Satisfaction::BasicallySatisfied
        )
    }
}

code_enum! {
    /// Graded supervision (督办) recorded against the handling unit.
    pub enum SupervisionLevel: "督办等级" {
        /// 普通督办.
        Normal = ("normal", "普通督办"),
        /// 黄牌督办.
        YellowCard = ("yellow_card", "黄牌督办"),
        /// 红牌督办.
        RedCard = ("red_card", "红牌督办"),
    }
}
