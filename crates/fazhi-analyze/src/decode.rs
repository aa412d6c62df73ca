//! Bytes of a report file to plain text: UTF-8 or GB18030/GBK text, HTML pages, DOCX,
//! Word 97–2003 .doc (and WPS .wps in that format), PDF with a text layer.

use crate::Error;
use html5gum::{Token, Tokenizer};

/// The kind of file, from its name and, failing that, its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// A Word document.
    Docx,
    /// A PDF document.
    Pdf,
    /// A Word 97–2003 binary document (.doc, or .wps in the same format).
    Doc,
}

/// Guesses the kind of a file from its name, then its content.
pub fn kind_of(file_name: &str, bytes: &[u8]) -> Kind {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".docx") {
        Kind::Docx
    } else if lower.ends_with(".pdf") {
        Kind::Pdf
    } else if lower.ends_with(".doc") || lower.ends_with(".wps") {
        Kind::Doc
    } else if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".shtml") {
        Kind::Html
    } else if bytes.starts_with(b"PK\x03\x04") {
        Kind::Docx
    } else if crate::pdf::is_pdf(bytes) {
        Kind::Pdf
    } else if crate::msdoc::is_compound(bytes) {
        Kind::Doc
    } else {
        let head = &bytes[..bytes.len().min(512)];
        let head = String::from_utf8_lossy(head).to_ascii_lowercase();
        if head.contains("<!doctype html") || head.contains("<html") {
            Kind::Html
        } else {
            Kind::Text
        }
    }
}

/// True when the file name looks like a report we can read.
pub fn is_report_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".txt", ".html", ".htm", ".shtml", ".docx", ".doc", ".wps", ".pdf",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// True when bytes meant as text are something else: without a byte-order mark, either
/// valid UTF-8 holding NUL bytes or neither UTF-8 nor GB18030 (a binary file renamed to
/// .txt, say). [`decode_text`] would still turn them into (meaningless) text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return false;
    }
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        return memchr::memchr(0, bytes).is_some();
    }
    encoding_rs::GB18030.decode_without_bom_handling(bytes).1
}

/// Decodes text bytes: BOM, then UTF-8 if valid, else GB18030 (a superset of GBK and GB2312).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    // Validation is a pass over every byte: the SIMD validator is several times faster.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Extracts the text of a report from a file's bytes.
pub fn to_text(file_name: &str, bytes: &[u8]) -> Result<String, Error> {
    let text = match kind_of(file_name, bytes) {
        Kind::Text => decode_text(bytes),
        Kind::Html => html_to_text(&decode_html(bytes)),
        Kind::Docx => docx_to_text(bytes)?,
        Kind::Pdf => crate::pdf::pdf_to_text(bytes)?,
        Kind::Doc => crate::msdoc::doc_to_text(bytes)?,
    };
    // Most files have no carriage returns: skip the copy then.
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Ok(text);
    }
    Ok(text.replace("\r\n", "\n"))
}

/// Decodes an HTML page, honouring a declared GBK/GB2312 charset.
fn decode_html(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let declared_gb = [
        "charset=gb2312",
        "charset=gbk",
        "charset=gb18030",
        "charset=\"gb2312",
        "charset=\"gbk",
        "charset=\"gb18030",
    ]
    .iter()
    .any(|m| head.contains(m));
    if declared_gb && simdutf8::basic::from_utf8(bytes).is_err() {
        return encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned();
    }
    decode_text(bytes)
}

/// Elements whose content is never report text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "head", "nav", "header", "footer", "aside", "select", "iframe",
    "template", "svg", "button", "form",
];
/// Class or id fragments that mark site furniture (breadcrumbs, share bars, menus).
const SKIP_CLASSES: &[&str] = &[
    "nav",
    "header",
    "footer",
    "breadcrumb",
    "crumb",
    "share",
    "sidebar",
    "menu",
    "toolbar",
    "copyright",
    "position",
    "location",
    "bdsharebutton",
    "print",
];
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "ul",
    "ol",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "hr",
    "title",
    "center",
];
const VOID_TAGS: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track",
    "wbr", "param",
];

/// Text of an HTML page without scripts, styles, navigation, headers and footers.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    // Open elements: (name, skipping).
    let mut stack: Vec<(String, bool)> = Vec::new();
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if BLOCK_TAGS.contains(&name.as_str()) {
                    newline(&mut out);
                } else if name == "td" || name == "th" {
                    out.push(' ');
                }
                if VOID_TAGS.contains(&name.as_str()) || tag.self_closing {
                    continue;
                }
                let attr = |k: &[u8]| {
                    tag.attributes
                        .iter()
                        .find(|(n, _)| n.as_slice() == k)
                        .map(|(_, v)| String::from_utf8_lossy(v).to_ascii_lowercase())
                        .unwrap_or_default()
                };
                let marks = format!("{} {}", attr(b"class"), attr(b"id"));
                let skip = SKIP_TAGS.contains(&name.as_str())
                    || marks
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| SKIP_CLASSES.iter().any(|s| w == *s || w.starts_with(s)));
                stack.push((name, skip));
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if let Some(pos) = stack.iter().rposition(|(n, _)| *n == name) {
                    stack.truncate(pos);
                }
                if BLOCK_TAGS.contains(&name.as_str()) {
                    newline(&mut out);
                }
            }
            Token::String(s) => {
                if stack.iter().any(|(_, skip)| *skip) {
                    continue;
                }
                let s = String::from_utf8_lossy(&s);
                let mut last_space = out.ends_with(' ') || out.ends_with('\n') || out.is_empty();
                for c in s.chars() {
                    if c.is_ascii_whitespace() {
                        if !last_space {
                            out.push(' ');
                            last_space = true;
                        }
                    } else {
                        out.push(c);
                        last_space = false;
                    }
                }
            }
            _ => {}
        }
    }
    // Page furniture that is not marked up as such (索引号 tables, 扫一扫 captions).
    let kept: Vec<&str> = out
        .lines()
        .filter(|l| !crate::chrome::is_chrome_line(&l.chars().collect::<Vec<_>>()))
        .collect();
    tidy_lines(&kept.join("\n"))
}

fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Trims ASCII spaces at line ends and collapses runs of blank lines.
fn tidy_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let t = line.trim_matches(' ');
        if t.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// Text of a DOCX body: one line per paragraph.
pub fn docx_to_text(bytes: &[u8]) -> Result<String, Error> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Format(format!("not a DOCX file: {e}")))?;
    let part = zip
        .by_name("word/document.xml")
        .map_err(|e| Error::Format(format!("DOCX without word/document.xml: {e}")))?;
    let xml = crate::bounded::read_at_most(part, crate::bounded::DOCX_PART_MAX)?;
    let xml = String::from_utf8(xml)
        .map_err(|e| Error::Format(format!("unreadable word/document.xml: {e}")))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::with_capacity(xml.len() / 4);
    let mut in_text = false;
    loop {
        use quick_xml::events::Event;
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().into_inner() == "w:t" => in_text = true,
            Ok(Event::End(e)) if e.name().into_inner() == "w:t" => in_text = false,
            Ok(Event::End(e)) if e.name().into_inner() == "w:p" => out.push('\n'),
            Ok(Event::Empty(e)) if e.name().into_inner() == "w:tab" => out.push('\t'),
            Ok(Event::Empty(e)) if matches!(e.name().into_inner(), "w:br" | "w:cr") => {
                out.push('\n')
            }
            Ok(Event::Text(t)) if in_text => {
                let s = t.xml10_content();
                out.push_str(&s);
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                let name: &str = &r;
                match name {
                    "amp" => out.push('&'),
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "quot" => out.push('"'),
                    "apos" => out.push('\''),
                    _ => {
                        if let Ok(Some(c)) = r.resolve_char_ref() {
                            out.push(c);
                        }
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(Error::Format(format!("bad XML in DOCX: {e}"))),
            _ => {}
        }
    }
    Ok(out)
}
