//! JSON lines for `analyze --format jsonl`, written directly: the same bytes as
//! `serde_json::to_vec(&report)` (a unit test holds the two together), in about half
//! the time, since most strings need no escaping and are copied whole. Anything
//! unusual (a string that needs escaping, a non-integer number) is handed to
//! serde_json itself, so the rules for escaping and number formatting stay its own.

use crate::{Check, Figure, Report, Section};

/// Appends the compact JSON of `report` to `out` (no newline).
pub fn write_report(out: &mut Vec<u8>, r: &Report) {
    out.extend_from_slice(b"{\"file\":");
    string(out, &r.file);
    out.extend_from_slice(b",\"title\":");
    opt_string(out, r.title.as_deref());
    out.extend_from_slice(b",\"issuer\":");
    opt_string(out, r.issuer.as_deref());
    out.extend_from_slice(b",\"issuer_full\":");
    opt_string(out, r.issuer_full.as_deref());
    out.extend_from_slice(b",\"issuer_code\":");
    opt_string(out, r.issuer_code.as_deref());
    out.extend_from_slice(b",\"county\":");
    opt_string(out, r.county.as_deref());
    out.extend_from_slice(b",\"city\":");
    opt_string(out, r.city.as_deref());
    out.extend_from_slice(b",\"province\":");
    opt_string(out, r.province.as_deref());
    out.extend_from_slice(b",\"year\":");
    opt_int(out, r.year.map(i64::from));
    out.extend_from_slice(b",\"date\":");
    opt_string(out, r.date.as_deref());
    out.extend_from_slice(b",\"doc_number\":");
    opt_string(out, r.doc_number.as_deref());
    out.extend_from_slice(b",\"issuer_basis\":");
    basis(out, &r.issuer_basis);
    out.extend_from_slice(b",\"year_basis\":");
    basis(out, &r.year_basis);
    out.extend_from_slice(b",\"sections\":[");
    for (i, s) in r.sections.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        section(out, s);
    }
    let rs = r.required_sections;
    out.extend_from_slice(b"],\"required_sections\":{\"measures\":");
    boolean(out, rs.measures);
    out.extend_from_slice(b",\"first_responsible\":");
    boolean(out, rs.first_responsible);
    out.extend_from_slice(b",\"shortcomings\":");
    boolean(out, rs.shortcomings);
    out.extend_from_slice(b",\"next_year\":");
    boolean(out, rs.next_year);
    out.extend_from_slice(b"},\"figures\":[");
    for (i, f) in r.figures.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        figure(out, f);
    }
    out.extend_from_slice(b"],\"checks\":[");
    for (i, c) in r.checks.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        check(out, c);
    }
    out.extend_from_slice(b"]}");
}

fn opt_int(out: &mut Vec<u8>, v: Option<i64>) {
    match v {
        Some(n) => int(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn basis(out: &mut Vec<u8>, b: &crate::meta::Basis) {
    out.extend_from_slice(b"{\"confidence\":");
    opt_string(out, b.confidence);
    out.extend_from_slice(b",\"line\":");
    opt_int(out, b.line.map(i64::from));
    out.extend_from_slice(b",\"text\":");
    opt_string(out, b.text.as_deref());
    out.extend_from_slice(b",\"note\":");
    opt_string(out, b.note.as_deref());
    out.push(b'}');
}

fn section(out: &mut Vec<u8>, s: &Section) {
    out.extend_from_slice(b"{\"marker\":");
    string(out, &s.marker);
    out.extend_from_slice(b",\"title\":");
    string(out, &s.title);
    out.extend_from_slice(b",\"level\":");
    int(out, s.level as i64);
    out.extend_from_slice(b",\"role\":");
    string(out, s.role);
    out.extend_from_slice(b",\"start\":");
    int(out, s.start as i64);
    out.extend_from_slice(b",\"end\":");
    int(out, s.end as i64);
    out.push(b'}');
}

fn figure(out: &mut Vec<u8>, f: &Figure) {
    out.extend_from_slice(b"{\"text\":");
    string(out, &f.text);
    out.extend_from_slice(b",\"value\":");
    number(out, f.value);
    if let Some(m) = f.value_max {
        out.extend_from_slice(b",\"value_max\":");
        number(out, m);
    }
    out.extend_from_slice(b",\"unit\":");
    opt_string(out, f.unit);
    out.extend_from_slice(b",\"approx\":");
    opt_string(out, f.approx);
    out.extend_from_slice(b",\"indicator\":");
    opt_string(out, f.indicator);
    out.extend_from_slice(b",\"section\":");
    opt_string(out, f.section);
    out.extend_from_slice(b",\"start\":");
    int(out, f.start as i64);
    out.extend_from_slice(b",\"end\":");
    int(out, f.end as i64);
    if let Some(p) = f.part_of {
        out.extend_from_slice(b",\"part_of\":");
        int(out, p as i64);
    }
    out.push(b'}');
}

fn check(out: &mut Vec<u8>, c: &Check) {
    out.extend_from_slice(b"{\"kind\":");
    string(out, c.kind);
    out.extend_from_slice(b",\"severity\":");
    string(out, c.severity);
    out.extend_from_slice(b",\"message\":");
    string(out, &c.message);
    out.extend_from_slice(b",\"start\":");
    int(out, c.start as i64);
    out.extend_from_slice(b",\"end\":");
    int(out, c.end as i64);
    out.extend_from_slice(b",\"line\":");
    int(out, c.line as i64);
    out.extend_from_slice(b",\"column\":");
    int(out, c.column as i64);
    out.push(b'}');
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn int(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// A figure value: whole numbers as integers (as [`crate::figures::ser_num`]).
fn number(out: &mut Vec<u8>, v: f64) {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        int(out, v as i64);
    } else {
        serde(out, &v);
    }
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string: copied whole unless a byte needs escaping (a quote, a backslash or
/// a control character), which serde_json then writes.
fn string(out: &mut Vec<u8>, s: &str) {
    // No early exit: the loop vectorises, and report strings are short.
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20 && b != b'"' && b != b'\\'));
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        serde(out, s);
    }
}

fn serde<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // Writing a string or number into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_as_serde_json() {
        let text = "标题“引号”\n关于2024年\"的\"报告\\ 制表\t符\u{1}\u{7f}😀 100％\r\n\
            一、主要举措和成效\n共受理2.5万件，增长12.34%，调解5至8.5件，总额1e300元。\n";
        let mut r = crate::analyze_text("a\"b\\c\u{8}.txt", text);
        r.figures.push(Figure {
            text: "x".into(),
            value: 0.1 + 0.2,
            value_max: Some(f64::NAN),
            unit: None,
            approx: Some("约"),
            indicator: None,
            section: None,
            start: 0,
            end: 1,
            part_of: None,
        });
        r.figures.push(Figure {
            value: -3.0,
            value_max: Some(1e16),
            part_of: Some(0),
            ..r.figures[0].clone()
        });
        r.year = Some(-5);
        assert!(!r.sections.is_empty() && !r.checks.is_empty());
        let mut ours = Vec::new();
        write_report(&mut ours, &r);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(&r).unwrap()
        );
        // Issuer and year found in the body, with bases (a line with a quote in it).
        let body = crate::analyze_text(
            "b.txt",
            "2024年，青柳街道深入推进\"法治\"建设。青柳街道党工委研究法治工作。\n一、主要举措和成效\n",
        );
        assert_eq!(body.issuer.as_deref(), Some("青柳街道"));
        let mut ours = Vec::new();
        write_report(&mut ours, &body);
        assert_eq!(ours, serde_json::to_vec(&body).unwrap());
        let empty = crate::analyze_text("e.txt", "");
        let mut ours = Vec::new();
        write_report(&mut ours, &empty);
        assert_eq!(ours, serde_json::to_vec(&empty).unwrap());
    }
}
