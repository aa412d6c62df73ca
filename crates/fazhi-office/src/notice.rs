//! 信访事项受理告知书 (信访工作条例 Art 23, rules.md §1): the written notice to the
//! petitioner that the matter was received, whether it was accepted, by which route
//! and procedure it is handled, and the handling period (60日 from acceptance, Art 34).

use time::Date;

use crate::gongwen::{Gongwen, date_zh};

/// Whether the petition was accepted.
#[derive(Debug, Clone)]
pub enum Decision {
    /// 受理: handled under Art 31(6) with a 信访处理意见书.
    Accepted {
        /// Day of acceptance.
        on: Date,
        /// The handling period as written, e.g. "60日".
        period: String,
        /// Last day of the handling period.
        due: Date,
        /// Longest extension, e.g. Some(30) (Art 34).
        max_extension_days: Option<u32>,
    },
    /// 不予受理, with the reason recorded.
    NotAccepted { reason: String },
}

/// What the notice says.
#[derive(Debug, Clone)]
pub struct AcceptanceNotice {
    /// The issuing body, e.g. 青石镇人民政府.
    pub issuer: String,
    /// The petitioners' names, e.g. 张三、李四.
    pub petitioner: String,
    /// The matter's 查询码, for tracking progress.
    pub tracking_code: String,
    /// Day of receipt.
    pub received_on: Date,
    /// The channel as a phrase: 来访, 来信, 网上提交 ….
    pub channel: String,
    /// What the matter is about.
    pub summary: String,
    pub decision: Decision,
    /// Date of the notice.
    pub date: Date,
}

/// Writes the notice as DOCX.
pub fn write(n: &AcceptanceNotice) -> Result<Vec<u8>, String> {
    let summary = n.summary.trim().trim_end_matches(['。', '.']);
    let mut doc = Gongwen::new()
        .title("信访事项受理告知书")
        .right(&format!("查询码：{}", n.tracking_code), 0)
        .line(&format!("{}：", n.petitioner))
        .para(&format!(
            "你（你们）以{}方式提出的信访事项（{summary}），本机关已于{}收到。",
            n.channel,
            date_zh(n.received_on)
        ));
    match &n.decision {
        Decision::Accepted {
            on,
            period,
            due,
            max_extension_days,
        } => {
            doc = doc
                .para(&format!(
                    "经审查，该信访事项属于本机关职权范围，本机关已于{}予以受理。",
                    date_zh(*on)
                ))
                .para(
                    "本机关将依照《信访工作条例》第三十一条第六项规定的程序办理：\
                     听取你的意见，核实有关情况，作出处理意见，并以书面形式（信访处理意见书）答复你。",
                )
                .para(&format!(
                    "依照《信访工作条例》第三十四条，该信访事项自受理之日起{period}内办结，即于{}前办结。",
                    date_zh(*due)
                ));
            if let Some(days) = max_extension_days {
                doc = doc.para(&format!(
                    "情况复杂的，经本机关负责人批准，可以适当延长办理期限，但延长期限不超过{days}日，并将延期理由告知你。"
                ));
            }
            doc = doc.para(&format!("你可以凭查询码{}查询办理进展。", n.tracking_code));
        }
        Decision::NotAccepted { reason } => {
            let reason = reason.trim().trim_end_matches(['。', '.']);
            doc = doc
                .para(&format!("经审查，该信访事项{reason}，本机关决定不予受理。"))
                .para(
                    "对依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项，\
                     请你依照有关法律、行政法规规定的程序向有关机关提出。",
                );
        }
    }
    doc.para("特此告知。")
        .blank()
        .blank()
        .issuer_and_date(&n.issuer, n.date)
        .to_bytes()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn notice(decision: Decision) -> AcceptanceNotice {
        AcceptanceNotice {
            issuer: "青石镇人民政府".into(),
            petitioner: "张三".into(),
            tracking_code: "23456789AC".into(),
            received_on: date!(2026 - 03 - 02),
            channel: "来访".into(),
            summary: "反映承包地边界被邻居占用。".into(),
            decision,
            date: date!(2026 - 03 - 05),
        }
    }

    #[test]
    fn accepted_notice_names_route_period_and_due_date() {
        let bytes = write(&notice(Decision::Accepted {
            on: date!(2026 - 03 - 05),
            period: "60日".into(),
            due: date!(2026 - 05 - 06),
            max_extension_days: Some(30),
        }))
        .unwrap();
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        for want in [
            "信访事项受理告知书",
            "张三：",
            "以来访方式提出的信访事项（反映承包地边界被邻居占用），本机关已于2026年3月2日收到。",
            "已于2026年3月5日予以受理",
            "信访处理意见书",
            "自受理之日起60日内办结，即于2026年5月6日前办结",
            "不超过30日",
            "青石镇人民政府\n2026年3月5日",
        ] {
            assert!(text.contains(want), "missing {want:?} in\n{text}");
        }
    }

    #[test]
    fn not_accepted_notice_gives_the_reason() {
        let bytes = write(&notice(Decision::NotAccepted {
            reason: "已经依法通过诉讼途径解决".into(),
        }))
        .unwrap();
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        assert!(text.contains("经审查，该信访事项已经依法通过诉讼途径解决，本机关决定不予受理。"));
        assert!(!text.contains("办结"), "{text}");
    }
}
