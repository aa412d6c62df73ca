//! Text of Word 97–2003 documents (.doc) and of WPS Office files saved in the same
//! binary format (.wps): the main document's characters, read through the piece table
//! ([MS-DOC] 2.4.1), with paragraph marks as line breaks and field codes left out
//! (a field's shown result stays). Headers, footnotes and comments are not read.
//! Streams are read within [`DOC_STREAM_MAX`] bytes each.

use crate::Error;

/// The most a stream of the compound file may hold; a long report's WordDocument
/// stream is a few megabytes.
pub const DOC_STREAM_MAX: u64 = 64 << 20;

/// True when the bytes start like an OLE compound file (.doc, .wps, .xls …).
pub fn is_compound(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

fn format(m: impl Into<String>) -> Error {
    Error::Format(m.into())
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The text of a Word 97–2003 binary document.
pub fn doc_to_text(bytes: &[u8]) -> Result<String, Error> {
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
        .map_err(|e| format(format!("not a Word 97–2003 document: {e}")))?;
    let mut stream = |name: &str| -> Result<Vec<u8>, Error> {
        let s = file
            .open_stream(name)
            .map_err(|_| format(format!("not a Word 97–2003 document: no {name} stream")))?;
        crate::bounded::read_at_most(s, DOC_STREAM_MAX)
    };
    let word = stream("/WordDocument")?;
    let bad = || format("damaged Word document: unreadable file information block");
    if u16_at(&word, 0) != Some(0xA5EC) {
        return Err(format(
            "not a Word 97–2003 document (an older Word format?)",
        ));
    }
    let flags = u16_at(&word, 0x0A).ok_or_else(bad)?;
    if flags & 0x0100 != 0 {
        return Err(format(
            "the Word document is encrypted and cannot be read without its password",
        ));
    }
    let table = stream(if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    })?;
    // The FIB: 32 fixed bytes, then counted arrays of 16-bit, 32-bit and fc/lcb values.
    let csw = u16_at(&word, 32).ok_or_else(bad)? as usize;
    let rg_lw = 34 + csw * 2 + 2;
    let cslw = u16_at(&word, 34 + csw * 2).ok_or_else(bad)? as usize;
    let ccp_text = u32_at(&word, rg_lw + 12).ok_or_else(bad)? as usize;
    let rg_fc = rg_lw + cslw * 4 + 2;
    let fc_clx = u32_at(&word, rg_fc + 33 * 8).ok_or_else(bad)? as usize;
    let lcb_clx = u32_at(&word, rg_fc + 33 * 8 + 4).ok_or_else(bad)? as usize;
    let clx = table
        .get(fc_clx..fc_clx.saturating_add(lcb_clx))
        .ok_or_else(|| format("damaged Word document: piece table outside its stream"))?;
    let plc = piece_table(clx)?;
    let raw = pieces_text(&word, plc, ccp_text)?;
    Ok(clean(&raw))
}

/// The PlcPcd of a Clx: skips the Prc entries (formatting), returns the Pcdt's data.
fn piece_table(clx: &[u8]) -> Result<&[u8], Error> {
    let mut k = 0;
    while k < clx.len() {
        match clx[k] {
            0x01 => {
                let cb = u16_at(clx, k + 1).unwrap_or(u16::MAX) as usize;
                k += 3 + cb;
            }
            0x02 => {
                let lcb = u32_at(clx, k + 1).unwrap_or(u32::MAX) as usize;
                return clx
                    .get(k + 5..(k + 5).saturating_add(lcb))
                    .ok_or_else(|| format("damaged Word document: piece table cut short"));
            }
            _ => break,
        }
    }
    Err(format("damaged Word document: no piece table"))
}

/// The characters of the first `ccp_text` character positions, piece by piece: 8-bit
/// (Windows-1252) for compressed pieces, UTF-16 for the others.
fn pieces_text(word: &[u8], plc: &[u8], ccp_text: usize) -> Result<String, Error> {
    if plc.len() < 4 {
        return Err(format("damaged Word document: empty piece table"));
    }
    let n = (plc.len() - 4) / 12;
    let cp = |i: usize| u32_at(plc, i * 4).map(|v| v as usize);
    let mut out = String::new();
    for i in 0..n {
        let (Some(start), Some(end)) = (cp(i), cp(i + 1)) else {
            break;
        };
        let end = end.min(ccp_text);
        if start >= end {
            continue;
        }
        let count = end - start;
        let fc_raw = u32_at(plc, 4 * (n + 1) + i * 8 + 2)
            .ok_or_else(|| format("damaged Word document: piece table cut short"))?;
        let fc = (fc_raw & 0x3FFF_FFFF) as usize;
        let outside = || format("damaged Word document: text outside its stream");
        if fc_raw & 0x4000_0000 != 0 {
            let b = word.get(fc / 2..fc / 2 + count).ok_or_else(outside)?;
            out.push_str(&encoding_rs::WINDOWS_1252.decode_without_bom_handling(b).0);
        } else {
            let b = word
                .get(fc..fc.saturating_add(count.saturating_mul(2)))
                .ok_or_else(outside)?;
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            out.push_str(&String::from_utf16_lossy(&units));
        }
    }
    Ok(out)
}

/// Word's special characters: paragraph, line and page breaks and table cell marks
/// become line breaks; a field's code (between 0x13 and 0x14) goes, its result stays;
/// other control characters (pictures, footnote marks) go.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Per open field: true while inside its code.
    let mut fields: Vec<bool> = Vec::new();
    for c in raw.chars() {
        match c {
            '\u{13}' => {
                fields.push(true);
                continue;
            }
            '\u{14}' => {
                if let Some(f) = fields.last_mut() {
                    *f = false;
                }
                continue;
            }
            '\u{15}' => {
                fields.pop();
                continue;
            }
            _ => {}
        }
        if fields.iter().any(|&in_code| in_code) {
            continue;
        }
        match c {
            '\r' | '\u{0b}' | '\u{0c}' | '\u{07}' => out.push('\n'),
            '\u{1e}' => out.push('-'),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_result_and_breaks_become_lines() {
        let raw = "第一段\r\u{13} HYPERLINK \"x\" \u{14}链接\u{15}文字\u{0b}换行\u{07}\u{01}";
        assert_eq!(clean(raw), "第一段\n链接文字\n换行\n");
        // A nested field inside a code is dropped with it.
        assert_eq!(clean("a\u{13}X\u{13}Y\u{14}y\u{15}\u{14}b\u{15}c"), "abc");
    }
}
