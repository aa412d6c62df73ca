//! The documents of the ordinary procedure before and after the decision: 立案审批表,
//! 行政处罚事先告知书 (Art 44), 听证通知书 (Art 64), 法制审核意见书 (Art 58) and
//! 结案审批表.

use fazhi_core::enforcement::{CaseOutcome, money::yuan};

use super::CaseFile;
use crate::gongwen::{Gongwen, date_zh};

/// 立案审批表: source, 案由, party, facts and the reason for filing, the officers'
/// opinion with their certificate numbers, the unit's and the head's approval.
pub(super) fn filing(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let source = match s.matter_id {
        Some(m) => format!("投诉、举报或者网格上报（关联事项编号{m}）"),
        None => "执法检查中发现".to_string(),
    };
    let doc = f
        .header(Gongwen::new().title("立案审批表"))
        .line(&format!("案件来源：{source}"))
        .line(&format!(
            "违法行为发生日期：{}，发现日期：{}",
            date_zh(s.act_on),
            date_zh(s.discovered_on)
        ))
        .line(&format!("违法行为发生地：{}", f.place))
        .heading(1, "一、简要案情")
        .para(s.facts.trim())
        .heading(1, "二、立案理由")
        .para(&format!(
            "当事人涉嫌违反{}的规定，依据{}，可以给予{}（罚款幅度：{}）。\
             违法行为未超过《中华人民共和国行政处罚法》第三十六条规定的追责时效（至{}），\
             有明确的当事人，属于本机关管辖，符合立案条件，建议立案调查。",
            s.item.spec.legal_basis,
            s.item.spec.penalty_basis,
            s.item
                .spec
                .penalty_kinds
                .iter()
                .map(|k| k.label_zh())
                .collect::<Vec<_>>()
                .join("、"),
            s.item.spec.fine_range_zh(),
            date_zh(s.limitation_end(&f.rules)),
        ))
        .heading(1, "三、承办人意见")
        .para(&format!(
            "同意立案。承办人：{}。",
            f.officers_zh(&s.officers)
        ));
    let mut doc = doc;
    for id in &s.officers {
        doc = doc.sign_line(&format!("承办人（{}）签名：", f.name_of(Some(*id))), 8);
    }
    doc = doc
        .heading(1, "四、承办机构意见")
        .sign_line("负责人签名：", 8)
        .heading(1, "五、机关负责人审批意见")
        .sign_line("负责人签名：", 8)
        .line(&format!("立案日期：{}", date_zh(s.opened_on)));
    f.sign_off(doc, s.opened_on)
}

/// 行政处罚事先告知书: the intended penalty, the facts, reasons and basis, and the
/// rights to 陈述、申辩 and, where Art 63 applies, 听证 with its last day.
pub(super) fn notice(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let n = s.notice.as_ref().expect("checked by DocKind::check");
    let you = f.you();
    let evidence: Vec<&str> = {
        let mut v: Vec<&str> = s.evidence.iter().map(|e| e.kind.label_zh()).collect();
        v.dedup();
        v
    };
    let mut doc = Gongwen::new()
        .title("行政处罚事先告知书")
        .centered(&f.doc_number("告"))
        .line(&format!("{}：", s.party.name))
        .para(&format!(
            "经调查，{you}于{}{}。以上事实有{}等证据证实。",
            date_zh(s.act_on),
            f.facts(),
            if evidence.is_empty() {
                "调查材料".to_string()
            } else {
                evidence.join("、")
            }
        ))
        .para(&format!(
            "{you}的上述行为违反了{}的规定。依据{}，按照行政处罚裁量基准（{}），\
             本机关拟对{you}作出如下行政处罚：{}。",
            s.item.spec.legal_basis,
            s.item.spec.penalty_basis,
            n.grade.label_zh(),
            n.penalty.label_zh()
        ))
        .para(&format!(
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}有权进行陈述和申辩。\
             如需陈述、申辩，请于{}前向本机关提出；逾期未提出的，视为放弃陈述、申辩的权利。\
             本机关不因{you}陈述、申辩而给予更重的处罚。",
            date_zh(n.defence_due)
        ));
    if n.hearing_right {
        doc = doc.para(&format!(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行听证。\
             如要求听证，应当自收到本告知书之日起{}内，即于{}前向本机关提出；\
             逾期未提出的，视为放弃听证的权利。当事人不承担听证的费用。",
            super::period_zh(f.rules.hearing_request_period),
            date_zh(n.hearing_request_due)
        ));
    }
    doc = doc
        .para(&format!("承办人：{}。", f.officers_zh(&s.officers)))
        .para("特此告知。");
    doc = f.sign_off(doc, n.on);
    doc.blank()
        .sign_line("当事人签收：", 8)
        .sign_line("签收日期：", 8)
}

/// 听证通知书: the hearing's day, the rights at it, and blanks for the time, place
/// and chair (who must not be one of the investigators).
pub(super) fn hearing_notice(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let h = s.hearing.as_ref().expect("checked by DocKind::check");
    let on = h.scheduled_on.expect("checked by DocKind::check");
    let you = f.you();
    let requested = h
        .requested_on
        .map(|d| format!("于{}", date_zh(d)))
        .unwrap_or_default();
    let doc = Gongwen::new()
        .title("听证通知书")
        .centered(&f.doc_number("听"))
        .line(&format!("{}：", s.party.name))
        .para(&format!(
            "关于{you}{}一案（案号：{}），{you}{requested}提出了听证申请。\
             根据《中华人民共和国行政处罚法》第六十四条的规定，本机关定于{}举行听证。",
            f.facts(),
            f.number,
            date_zh(on)
        ))
        .sign_line("听证时间：", 10)
        .sign_line("听证地点：", 10)
        .sign_line("听证主持人：", 10)
        .para(
            "请准时出席。当事人可以亲自参加听证，也可以委托一至二人代理；委托代理人的，\
             应当在听证前提交授权委托书。认为主持人与本案有直接利害关系的，有权申请回避。\
             听证公开举行，涉及国家秘密、商业秘密或者个人隐私依法予以保密的除外。\
             当事人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，\
             本机关终止听证。",
        )
        .para("特此通知。");
    f.sign_off(doc, h.notified_on.unwrap_or(f.today))
}

/// 法制审核意见书: what was reviewed (the 118号 checklist) and the latest opinion.
pub(super) fn review_opinion(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let r = s
        .reviews
        .iter()
        .rev()
        .find(|r| r.opinion.is_some())
        .expect("checked by DocKind::check");
    let opinion = r.opinion.expect("found above");
    let proposed = s
        .notice
        .as_ref()
        .map(|n| format!("{}（{}）", n.penalty.label_zh(), n.grade.label_zh()))
        .unwrap_or_else(|| "（未告知）".into());
    let reviewed_on = r.reviewed_on.unwrap_or(f.today);
    let mut doc = f
        .header(
            Gongwen::new()
                .title("法制审核意见书")
                .centered(&f.doc_number("审")),
        )
        .line(&format!("送审日期：{}", date_zh(r.submitted_on)))
        .line(&format!("拟作出的处理决定：{proposed}"))
        .heading(1, "一、案件基本情况")
        .para(s.facts.trim())
        .heading(1, "二、审核内容")
        .para(
            "依照《中华人民共和国行政处罚法》第五十八条和国务院办公厅关于全面推行行政执法公示制度\
             执法全过程记录制度重大执法决定法制审核制度的指导意见，对本案执法主体是否合法、\
             执法人员是否具备执法资格，执法程序是否合法，案件事实是否清楚、证据是否合法充分，\
             适用法律、法规、规章是否准确，裁量基准运用是否适当，是否超越执法机关法定权限，\
             执法文书是否完备、规范，违法行为是否涉嫌犯罪需要移送司法机关等进行了审核。",
        )
        .heading(1, "三、审核意见")
        .para(&format!("{}。", opinion.label_zh()));
    if !r.note.trim().is_empty() {
        doc = doc.para(r.note.trim());
    }
    doc = doc
        .line(&format!("审核日期：{}", date_zh(reviewed_on)))
        .sign_line(
            &format!("法制审核人员（{}）签名：", f.name_of(r.reviewer)),
            8,
        );
    f.sign_off(doc, reviewed_on)
}

/// 结案审批表: the outcome, service and execution, and the approvals.
pub(super) fn closing(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let d = s.decision.as_ref();
    let outcome = d.map_or_else(String::new, |d| match &d.penalty {
        Some(p) if d.outcome == CaseOutcome::Penalty => {
            format!("{}：{}", d.outcome.label_zh(), p.label_zh())
        }
        _ => d.outcome.label_zh().to_string(),
    });
    let mut doc = f
        .header(Gongwen::new().title("结案审批表"))
        .line(&format!("立案日期：{}", date_zh(s.opened_on)));
    if let Some(d) = d {
        doc = doc
            .line(&format!("处理结果：{outcome}"))
            .line(&format!("决定日期：{}", date_zh(d.on)));
    }
    if let Some(sv) = &s.service {
        doc = doc.line(&format!(
            "送达：{}，{}",
            date_zh(sv.on),
            sv.method.label_zh()
        ));
    }
    doc = doc.heading(1, "一、简要案情").para(s.facts.trim());
    let fine = s.fine_fen();
    let execution = if fine > 0 {
        let paid: Vec<String> = s
            .payments
            .iter()
            .map(|p| format!("{}缴纳{}元", date_zh(p.on), yuan(p.amount_fen)))
            .collect();
        let surcharge = s.surcharge(f.today, &f.rules);
        format!(
            "罚款{}元，已缴纳{}元{}{}。",
            yuan(fine),
            yuan(s.paid()),
            if paid.is_empty() {
                String::new()
            } else {
                format!("（{}）", paid.join("，"))
            },
            if surcharge > 0 {
                format!("，加处罚款{}元", yuan(surcharge))
            } else {
                String::new()
            }
        )
    } else if d.is_some_and(|d| d.outcome == CaseOutcome::Penalty) {
        "处罚决定已执行完毕。".to_string()
    } else {
        format!("本案{}，无需执行。", d.map_or("", |d| d.outcome.label_zh()))
    };
    doc = doc
        .heading(1, "二、执行情况")
        .para(&execution)
        .heading(1, "三、承办人意见")
        .para("本案已处理完毕，建议结案。");
    for id in &s.officers {
        doc = doc.sign_line(&format!("承办人（{}）签名：", f.name_of(Some(*id))), 8);
    }
    doc = doc
        .heading(1, "四、机关负责人审批意见")
        .sign_line("负责人签名：", 8);
    let on = s.closed_on.unwrap_or(f.today);
    f.sign_off(doc, on)
}
