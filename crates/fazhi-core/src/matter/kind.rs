//! Kinds, channels and the default category list.

use super::code_enum;

code_enum! {
    /// Kind of matter; decides the deadline rules that apply.
    pub enum Kind: "事项类型" {
        /// 矛盾纠纷: a conflict between parties, usually mediated.
        Dispute = ("dispute", "矛盾纠纷"),
        /// 信访: handled under the 信访工作条例 with statutory deadlines.
        Petition = ("petition", "信访"),
        /// 投诉: a complaint about a service, business or office.
        Complaint = ("complaint", "投诉"),
        /// 建议: a suggestion or opinion.
        Suggestion = ("suggestion", "建议"),
        /// 咨询: a request for information.
        Consultation = ("consultation", "咨询"),
    }
}

impl Kind {
    /// Whether mediation sessions may be recorded (人民调解法; 信访工作条例 Art 33).
    pub const fn allows_mediation(self) -> bool {
        matches!(self, Kind::Dispute | Kind::Petition | Kind::Complaint)
    }
}

code_enum! {
    /// Where a matter came from (渠道).
    pub enum Channel: "来源渠道" {
        /// 来访: walk-in.
        Visit = ("visit", "来访"),
        /// 来电: phone call.
        Phone = ("phone", "来电"),
        /// 来信: letter.
        Letter = ("letter", "来信"),
        /// 网格上报: reported by a grid worker.
        GridReport = ("grid_report", "网格上报"),
        /// 民呼我为: upstream complaint platform.
        Minhu = ("minhu", "民呼我为"),
        /// 12345 government service hotline.
        Hotline12345 = ("hotline_12345", "12345热线"),
        /// 信访系统: national petition information system.
        PetitionSystem = ("petition_system", "信访系统"),
        /// 派出所移交: referred by the police station.
        PoliceReferral = ("police_referral", "派出所移交"),
        /// 法院委派: court-entrusted mediation (委派调解).
        CourtReferral = ("court_referral", "法院委派"),
        /// 网上: the public web form.
        Online = ("online", "网上提交"),
        /// 其他.
        Other = ("other", "其他"),
    }
}

impl Channel {
    /// Whether the matter was transferred or assigned to us by another body.
    ///
    /// Such a matter may be objected to as outside our remit (信访工作条例 Art 23 ¶3).
    pub const fn is_transferred(self) -> bool {
        matches!(
            self,
            Channel::Minhu
                | Channel::Hotline12345
                | Channel::PetitionSystem
                | Channel::PoliceReferral
                | Channel::CourtReferral
        )
    }
}

/// A matter category (纠纷类别); the live list is configurable data in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// Stable lowercase code.
    pub code: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
}

/// The default category list seeded into a new installation.
pub const DEFAULT_CATEGORIES: &[Category] = &[
    Category {
        code: "neighbour",
        label_zh: "邻里纠纷",
    },
    Category {
        code: "marriage_family",
        label_zh: "婚姻家庭",
    },
    Category {
        code: "inheritance_support",
        label_zh: "继承赡养",
    },
    Category {
        code: "land_rights",
        label_zh: "土地权属",
    },
    Category {
        code: "homestead",
        label_zh: "宅基地",
    },
    Category {
        code: "unpaid_wages",
        label_zh: "劳资欠薪",
    },
    Category {
        code: "property_management",
        label_zh: "物业管理",
    },
    Category {
        code: "expropriation",
        label_zh: "征地拆迁",
    },
    Category {
        code: "traffic_accident",
        label_zh: "交通事故",
    },
    Category {
        code: "consumer",
        label_zh: "消费纠纷",
    },
    Category {
        code: "environment",
        label_zh: "环境污染",
    },
    Category {
        code: "contract_debt",
        label_zh: "合同债务",
    },
    Category {
        code: "construction",
        label_zh: "建设工程",
    },
    Category {
        code: "medical",
        label_zh: "医疗纠纷",
    },
    Category {
        code: "damage_compensation",
        label_zh: "损害赔偿",
    },
    Category {
        code: "village_affairs",
        label_zh: "村务管理",
    },
    Category {
        code: "social_security",
        label_zh: "社会保障",
    },
    Category {
        code: "other",
        label_zh: "其他",
    },
];

/// Looks up a default category by code.
pub fn default_category(code: &str) -> Option<&'static Category> {
    DEFAULT_CATEGORIES.iter().find(|c| c.code == code)
}
