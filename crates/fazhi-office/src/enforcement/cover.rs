//! 案卷封面及目录: the cover of the case file and the index of its records in the
//! order they were made, so the file can be bound and checked (案卷评查) against it.

use fazhi_core::enforcement::{CaseOutcome, Procedure, money::yuan};
use time::Date;

use super::CaseFile;
use crate::gongwen::{Gongwen, date_zh};

/// One record of the file: what it is and when it was made.
struct Entry {
    name: String,
    on: Date,
}

/// The records of the case, oldest first (made in the order of the procedure, then
/// sorted stably by day so evidence taken after the notice sits after it).
fn entries(f: &CaseFile) -> Vec<Entry> {
    let s = &f.state;
    let mut v = Vec::new();
    let mut add = |name: String, on: Date| v.push(Entry { name, on });
    match s.procedure {
        Procedure::Ordinary => add("立案审批表".into(), s.opened_on),
        Procedure::Simple => {
            if let Some(d) = &s.decision {
                add(format!("当场处罚决定书（{}）", f.number), d.on);
            }
        }
    }
    for e in &s.evidence {
        let what: String = e.description.trim().chars().take(20).collect();
        add(format!("{}：{what}", e.kind.label_zh()), e.on);
    }
    if let Some(n) = &s.notice {
        add(
            format!("行政处罚事先告知书（{}）", f.doc_number("告")),
            n.on,
        );
        if let Some(df) = &s.defence {
            let name = if df.waived {
                "放弃陈述、申辩的书面材料"
            } else {
                "陈述、申辩笔录"
            };
            add(name.into(), df.on);
        }
        if let Some(h) = &s.hearing {
            if h.waived {
                add("放弃听证的书面材料".into(), n.on);
            }
            if let Some(d) = h.requested_on {
                add("听证申请".into(), d);
            }
            if let Some(d) = h.notified_on {
                add(format!("听证通知书（{}）", f.doc_number("听")), d);
            }
            if let Some(d) = h.held_on {
                add("听证笔录".into(), d);
            }
        }
    }
    for r in &s.reviews {
        if let (Some(o), Some(d)) = (r.opinion, r.reviewed_on) {
            add(format!("法制审核意见书（{}）", o.label_zh()), d);
        }
    }
    if let Some(x) = &s.discussion {
        add("重大复杂案件集体讨论笔录".into(), x.on);
    }
    if let Some(d) = s
        .decision
        .as_ref()
        .filter(|_| s.procedure == Procedure::Ordinary)
    {
        let name = match d.outcome {
            CaseOutcome::Penalty => format!("行政处罚决定书（{}）", f.doc_number("决")),
            CaseOutcome::NoPenalty => "不予行政处罚决定书".into(),
            CaseOutcome::Dropped => "撤销立案审批材料".into(),
            CaseOutcome::Transferred => "案件移送函".into(),
        };
        add(name, d.on);
    }
    if let Some(sv) = s
        .service
        .as_ref()
        .filter(|_| s.procedure == Procedure::Ordinary)
    {
        add(format!("送达回证（{}）", sv.method.label_zh()), sv.on);
    }
    for p in &s.payments {
        add(format!("罚款缴纳凭证（{}元）", yuan(p.amount_fen)), p.on);
    }
    if let Some(d) = s.filed_on {
        add("当场处罚备案材料".into(), d);
    }
    if let Some(d) = s.closed_on {
        add("结案审批表".into(), d);
    }
    v.sort_by_key(|e| e.on);
    v
}

pub(super) fn cover(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let outcome = match &s.decision {
        Some(d) => match &d.penalty {
            Some(p) if d.outcome == CaseOutcome::Penalty => p.label_zh(),
            _ => d.outcome.label_zh().to_string(),
        },
        None => "尚未作出决定".into(),
    };
    let day = |d: Option<Date>| d.map_or_else(|| "—".to_string(), date_zh);
    let doc = Gongwen::new()
        .title("行政处罚案卷")
        .line(&format!("执法机关：{}", f.agency));
    let doc = f
        .header(doc)
        .line(&format!("程序：{}", s.procedure.label_zh()))
        .line(&format!("处理结果：{outcome}"))
        .line(&format!("承办人：{}", f.officers_zh(&s.officers)))
        .line(&format!(
            "{}日期：{}",
            if s.procedure == Procedure::Simple {
                "决定"
            } else {
                "立案"
            },
            date_zh(s.opened_on)
        ))
        .line(&format!("结案日期：{}", day(s.closed_on)))
        .line(&format!("归档日期：{}", day(s.archived_on)))
        .sign_line("立卷人：", 8)
        .sign_line("审核人：", 8)
        .page_break()
        .title("卷内目录");
    let mut doc = doc.line("序号．材料名称（形成日期）");
    for (i, e) in entries(f).iter().enumerate() {
        doc = doc.line(&format!("{}．{}（{}）", i + 1, e.name, date_zh(e.on)));
    }
    doc.blank().right(&format!("{}编制", f.agency), 0).right(
        &date_zh(s.archived_on.or(s.closed_on).unwrap_or(f.today)),
        0,
    )
}
