//! The text layer of a PDF report (with `lopdf`): the strings each page shows, in
//! content order, a line break wherever the text moves to another line. Bounded: every
//! stream and all pages' content together decompress to at most [`PDF_CONTENT_MAX`], and
//! at most [`PDF_PAGES_MAX`] pages are read. A PDF without text (a scan) is
//! [`Error::NoText`], not empty output.

use crate::Error;
use lopdf::{Document, Encoding, LoadOptions, Object};
use std::collections::BTreeMap;

/// The most that any stream, and all pages' content streams together, may decompress
/// to. A long report's content is a few megabytes; pages are parsed one at a time.
pub const PDF_CONTENT_MAX: usize = 16 << 20;
/// The most pages read; a longer file is refused.
pub const PDF_PAGES_MAX: usize = 2_000;
/// The most a font's character map may decompress to, and the most fonts decoded: a
/// full Chinese font's map is well under a megabyte, and a report uses a handful.
const FONT_MAP_MAX: usize = 4 << 20;
const FONTS_MAX: usize = 64;

/// True when the bytes start like a PDF file.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The text of a PDF within the default bounds.
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, Error> {
    pdf_to_text_within(bytes, PDF_CONTENT_MAX)
}

/// The text of a PDF, with at most `max` bytes of decompressed content per stream and
/// for all pages together.
pub fn pdf_to_text_within(bytes: &[u8], max: usize) -> Result<String, Error> {
    let options = LoadOptions {
        max_decompressed_size: Some(max),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            Error::TooLarge(max as u64)
        }
        e => Error::Format(format!("cannot read the PDF: {e}")),
    })?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(Error::Format(
            "the PDF is encrypted and cannot be read without its password".into(),
        ));
    }
    let pages = doc.get_pages();
    if pages.len() > PDF_PAGES_MAX {
        return Err(Error::Format(format!(
            "the PDF has {} pages, more than the {PDF_PAGES_MAX} read",
            pages.len()
        )));
    }
    let mut left = max;
    let mut out = String::new();
    // Fonts decoded once, however many pages use them (keyed by the dictionary's
    // address in the document, which stays put while `doc` lives).
    let mut decoded: Vec<(usize, Option<Encoding>)> = Vec::new();
    for page_id in pages.into_values() {
        let content = doc
            .get_page_content_with_limit(page_id, left)
            .map_err(|e| match e {
                lopdf::Error::Decompress(_) => Error::TooLarge(max as u64),
                e => Error::Format(format!("cannot read a page of the PDF: {e}")),
            })?;
        left = left.saturating_sub(content.len());
        if left == 0 {
            return Err(Error::TooLarge(max as u64));
        }
        let fonts = doc.get_page_fonts(page_id).unwrap_or_default();
        let mut page_fonts: Vec<(Vec<u8>, usize)> = Vec::new();
        for (name, font) in fonts {
            let key = std::ptr::from_ref(font) as usize;
            let i = match decoded.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None if decoded.len() < FONTS_MAX => {
                    let limit = FONT_MAP_MAX.min(max);
                    let enc = match font.get_font_encoding_with_limit(&doc, limit) {
                        Ok(e) => Some(e),
                        Err(lopdf::Error::Decompress(_)) => {
                            return Err(Error::TooLarge(max as u64));
                        }
                        Err(_) => None,
                    };
                    decoded.push((key, enc));
                    decoded.len() - 1
                }
                None => continue,
            };
            page_fonts.push((name, i));
        }
        let encodings: BTreeMap<&[u8], &Encoding> = page_fonts
            .iter()
            .filter_map(|(name, i)| decoded[*i].1.as_ref().map(|e| (name.as_slice(), e)))
            .collect();
        let mut state = TextState::new();
        for piece in pieces(&content) {
            // A piece that does not parse is skipped, not the page or the file.
            if let Ok(ops) = lopdf::content::Content::decode(piece) {
                state.run(&ops.operations, &encodings, &mut out);
            }
        }
        if !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
    }
    // A scan has no text, or only a few characters of a stamp or page numbers.
    let meaningful = out.chars().filter(|c| c.is_alphanumeric()).count();
    if meaningful < 20 {
        return Err(Error::NoText);
    }
    Ok(out)
}

/// Content is parsed in pieces of about this size, so that the parsed operators of a
/// huge page never sit in memory at once.
const PIECE: usize = 256 << 10;

/// The page's content in pieces of about [`PIECE`] bytes, each ending after an `ET`,
/// `Tj` or `TJ` operator (the text state is carried across pieces). Where such a word
/// stands inside a string or an inline image instead, that piece fails to parse and
/// is skipped.
fn pieces(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= content.len() {
            return None;
        }
        let mut end = content.len();
        let mut k = start + PIECE;
        while k < content.len() {
            let Some(p) = memchr::memchr2(b'E', b'T', &content[k..]) else {
                break;
            };
            let at = k + p;
            let word = content.get(at..at + 2);
            let before = at.checked_sub(1).map(|b| content[b]);
            let after = content.get(at + 2).copied();
            if matches!(word, Some(b"ET" | b"Tj" | b"TJ"))
                && before.is_none_or(|c| c.is_ascii_whitespace() || b")>]".contains(&c))
                && after.is_none_or(|c| c.is_ascii_whitespace())
            {
                end = at + 2;
                break;
            }
            k = at + 1;
        }
        let piece = &content[start..end];
        start = end;
        Some(piece)
    })
}

/// The text state that matters for line breaks, carried from piece to piece of a page.
struct TextState<'e> {
    encoding: Option<&'e Encoding<'e>>,
    /// The text line's vertical position and scale (text matrix d), and the leading.
    y: f32,
    scale: f32,
    leading: f32,
    /// Where the last text was shown.
    shown_at: Option<f32>,
}

impl<'e> TextState<'e> {
    fn new() -> Self {
        TextState {
            encoding: None,
            y: 0.0,
            scale: 1.0,
            leading: 0.0,
            shown_at: None,
        }
    }

    /// Appends the text the operators show: a line break when the text line moves
    /// vertically, nothing between pieces of one line (Chinese has no spaces between
    /// words).
    fn run(
        &mut self,
        ops: &[lopdf::content::Operation],
        encodings: &BTreeMap<&[u8], &'e Encoding<'e>>,
        out: &mut String,
    ) {
        let num = |o: &Object| o.as_float().ok();
        for op in ops {
            let a = &op.operands;
            match op.operator.as_str() {
                "Tf" => {
                    self.encoding = a
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| encodings.get(n).copied());
                }
                "BT" => {
                    self.y = 0.0;
                    self.scale = 1.0;
                }
                "Tm" if a.len() == 6 => {
                    self.scale = num(&a[3]).unwrap_or(1.0);
                    self.y = num(&a[5]).unwrap_or(self.y);
                }
                "Td" | "TD" if a.len() == 2 => {
                    let ty = num(&a[1]).unwrap_or(0.0);
                    self.y += ty * self.scale;
                    if op.operator == "TD" {
                        self.leading = -ty;
                    }
                }
                "TL" => self.leading = a.first().and_then(num).unwrap_or(self.leading),
                "T*" => self.y -= self.leading * self.scale,
                "Tj" | "TJ" | "'" | "\"" => {
                    if matches!(op.operator.as_str(), "'" | "\"") {
                        self.y -= self.leading * self.scale;
                    }
                    let Some(enc) = self.encoding else { continue };
                    let y = self.y;
                    if self.shown_at.is_some_and(|at| (at - y).abs() > 0.5) && !out.ends_with('\n')
                    {
                        out.push('\n');
                    }
                    self.shown_at = Some(y);
                    let strings = match op.operator.as_str() {
                        "\"" => a.get(2).map(std::slice::from_ref).unwrap_or(&[]),
                        _ => &a[..],
                    };
                    show(strings, enc, out);
                }
                _ => {}
            }
        }
    }
}

/// The strings of a show operator (arrays of TJ included), decoded.
fn show(operands: &[Object], enc: &Encoding, out: &mut String) {
    for o in operands {
        match o {
            Object::String(bytes, _) => {
                if let Ok(s) = Document::decode_text(enc, bytes) {
                    out.extend(s.chars().filter(|c| *c != '\0'));
                }
            }
            Object::Array(items) => show(items, enc, out),
            // A wide gap between Latin words (in thousandths of the font size).
            Object::Integer(n) if *n < -300 && ends_ascii_word(out) => out.push(' '),
            Object::Real(n) if *n < -300.0 && ends_ascii_word(out) => out.push(' '),
            _ => {}
        }
    }
}

fn ends_ascii_word(s: &str) -> bool {
    s.chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_huge_text_object_is_cut_after_show_operators() {
        let mut content = b"BT /F1 12 Tf 72 800 Td\n".to_vec();
        for _ in 0..100_000 {
            content.extend_from_slice(b"(SET Tj) Tj 0 -14 Td\n");
        }
        content.extend_from_slice(b"ET\n");
        let parts: Vec<&[u8]> = pieces(&content).collect();
        assert!(parts.len() >= 8, "{}", parts.len());
        assert_eq!(parts.concat(), content);
        for p in &parts[..parts.len() - 1] {
            assert!(p.ends_with(b") Tj"), "{:?}", &p[p.len() - 8..]);
            assert!(p.len() >= PIECE);
        }
        // Each piece parses on its own.
        assert!(
            parts
                .iter()
                .all(|p| lopdf::content::Content::decode(p).is_ok())
        );
    }
}
