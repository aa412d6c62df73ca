//! Risk triage at intake (风险研判): the level the centre assigns to a matter.

use super::code_enum;

code_enum! {
    /// 风险等级, from most to least severe.
    pub enum RiskLevel: "风险等级" {
        /// 红色: may turn into a mass incident, violence or serious harm.
        Red = ("red", "红色"),
        /// 橙色: escalating; needs handling the same day.
        Orange = ("orange", "橙色"),
        /// 黄色: a sharp conflict to settle within a set time.
        Yellow = ("yellow", "黄色"),
        /// 蓝色: an ordinary matter.
        Blue = ("blue", "蓝色"),
    }
}

impl RiskLevel {
    /// The default definition shown beside the level (a township may word its own).
    pub const fn definition_zh(self) -> &'static str {
        match self {
            RiskLevel::Red => "可能引发群体性事件、极端事件或人身伤害，须立即处置并报告",
            RiskLevel::Orange => "矛盾有激化升级苗头，须当日研判处置",
            RiskLevel::Yellow => "矛盾较为突出，须限期化解",
            RiskLevel::Blue => "一般矛盾纠纷，按常规办理",
        }
    }
}
