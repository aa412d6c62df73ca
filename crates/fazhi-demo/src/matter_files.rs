//! Files of the demo's matters (一事一档): the scanned letter of 青石镇's letters and
//! petitions, and the signed agreement of its mediations that succeeded. Each is a
//! small PDF made here (no file ships with the demo), stored through the app's own
//! file store and recorded with the attachments API just after its step.

use std::path::Path;

use fazhi_core::matter::{ActionCode, AttachmentKind, Channel, Kind, MediationOutcome};
use fazhi_db::Db;
use fazhi_db::audit::Actor;
use fazhi_db::matters::attachments::{self, NewAttachment};
use fazhi_db::matters::{MatterFilter, MatterRow, MatterSort, read};
use time::Date;

/// The township whose recent matters get files (the demo's centre account is there).
const TOWNSHIP: &str = "500160101000";

/// Files made, at most.
pub const DEFAULT_FILES: usize = 24;

/// Stores up to `max` files under `dir` for the newest matters of 青石镇; returns how
/// many were recorded.
pub async fn seed(db: &Db, dir: &Path, max: usize) -> anyhow::Result<usize> {
    let town = fazhi_db::admin::divisions::by_code(db, TOWNSHIP).await?;
    let rows = read::list(
        db,
        std::slice::from_ref(&town.path),
        &MatterFilter::default(),
        MatterSort::IdDesc,
        None,
        300,
    )
    .await?;
    let mut made = 0;
    for m in rows {
        let events = read::events(db, m.id).await?;
        for (kind, day, step) in files_of(&m) {
            // Filed a minute after the step the file belongs to, so the timeline reads
            // in order (the letter after registering, the agreement after the mediation).
            let last = |code: ActionCode| events.iter().rev().find(|e| e.action == code);
            // An agreement reached at the closing itself follows the closing.
            let Some(after) = last(step).or_else(|| {
                (step == ActionCode::RecordMediation)
                    .then(|| last(ActionCode::Close))
                    .flatten()
            }) else {
                continue;
            };
            if made >= max {
                return Ok(made);
            }
            let (name, pdf) = scan(&m, kind, day);
            let Some(f) = fazhi_web::store_bytes(dir, &name, &pdf).await? else {
                anyhow::bail!("a generated PDF was not recognised as one");
            };
            let n = NewAttachment {
                matter_id: m.id,
                kind,
                name: f.name,
                description: match kind {
                    AttachmentKind::Letter if m.channel == Channel::Letter => {
                        "来信原件扫描件".into()
                    }
                    AttachmentKind::Letter => "来访登记材料扫描件".into(),
                    _ => "双方签字的调解协议书扫描件".into(),
                },
                content_type: f.content_type.into(),
                size: f.size as i64,
                sha256: f.sha256,
                sm3: f.sm3,
                personal: kind.personal_by_default(),
                step: after.to_status,
            };
            // Filed by whoever took the step (its account, else its name).
            let by = match after.actor_id {
                Some(id) => Actor {
                    id: Some(id),
                    name: fazhi_db::auth::users::get(db, id).await?.username,
                    shown: None,
                },
                None => Actor::system(&after.actor),
            };
            attachments::add_at(db, &by, &n, after.at + 60_000).await?;
            made += 1;
        }
    }
    Ok(made)
}

/// Which files a matter has, with the day on them and the step they follow: the
/// letter when it came by letter or is a petition, the agreement when its mediation
/// succeeded (wholly or in part).
fn files_of(m: &MatterRow) -> Vec<(AttachmentKind, Date, ActionCode)> {
    let mut out = Vec::new();
    if m.channel == Channel::Letter || m.kind == Kind::Petition {
        out.push((AttachmentKind::Letter, m.received_on, ActionCode::Register));
    }
    let agreed = matches!(
        m.outcome,
        Some(MediationOutcome::Success | MediationOutcome::Partial)
    );
    if let (true, Some(closed)) = (agreed, m.closed_on) {
        out.push((
            AttachmentKind::Agreement,
            closed,
            ActionCode::RecordMediation,
        ));
    }
    out
}

/// The file's name and a one-page PDF standing in for the scan.
fn scan(m: &MatterRow, kind: AttachmentKind, day: Date) -> (String, Vec<u8>) {
    let code = fazhi_core::matter::tracking_shown(&m.tracking_code);
    let (name, title) = match kind {
        AttachmentKind::Letter => (
            format!("来信来访材料-{code}.pdf"),
            "Scanned letter or visit record",
        ),
        _ => (
            format!("调解协议书-{code}.pdf"),
            "Signed mediation agreement",
        ),
    };
    let lines = [
        format!("Fazhi demo: {title} (placeholder)"),
        format!("Matter {code}, {day}"),
    ];
    (name, pdf(&lines))
}

/// A minimal PDF of one A4 page with ASCII `lines` in Helvetica.
fn pdf(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT /F1 14 Tf 72 770 Td 18 TL");
    for l in lines {
        let escaped = l
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!(" ({escaped}) Tj T*"));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_placeholder_is_a_pdf_whose_cross_references_point_at_its_objects() {
        let p = super::pdf(&["a (b)".to_string()]);
        assert!(p.starts_with(b"%PDF-1.4\n"));
        let text = String::from_utf8(p.clone()).unwrap();
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[xref..].starts_with("xref"));
        for (i, line) in text[xref..].lines().skip(3).take(5).enumerate() {
            let at: usize = line[..10].parse().unwrap();
            assert!(
                text[at..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
        assert!(text.contains("(a \\(b\\)) Tj"));
    }
}
