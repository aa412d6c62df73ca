//! Limits on what a ZIP container (a DOCX, an XLSX, an uploaded archive) may unpack to.
//! A few kilobytes of deflate can expand to gigabytes, so every part is read through a
//! byte budget, never by trusting the sizes the archive declares.

use std::io::Read;

use crate::Error;

/// The most a single DOCX part (`word/document.xml`) may unpack to. A long report's
/// body is a few megabytes of XML; 64 MB leaves ample room.
pub const DOCX_PART_MAX: u64 = 64 << 20;

/// The most one part, and all parts together, of an uploaded workbook may unpack to.
/// 20,000 rows of 64 columns of text is under 100 MB of sheet XML.
pub const XLSX_LIMITS: ZipLimits = ZipLimits {
    per_entry: 128 << 20,
    total: 256 << 20,
};

/// Unpacked-size limits for a ZIP container.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    pub per_entry: u64,
    pub total: u64,
}

/// Reads at most `max` bytes from `r`; more is [`Error::TooLarge`].
pub fn read_at_most(r: impl Read, max: u64) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    // One byte more than allowed tells "too large" from "exactly the limit".
    r.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Error::Format(format!("unreadable archive entry: {e}")))?;
    if buf.len() as u64 > max {
        return Err(Error::TooLarge(max));
    }
    Ok(buf)
}

/// Unpacks every entry of the archive into nothing, counting, and refuses it when one
/// entry or all of them together unpack to more than `limits` allow. Costs one pass of
/// decompression, bounded by the limits; memory stays constant.
pub fn check_zip(bytes: &[u8], limits: ZipLimits) -> Result<(), Error> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Format(format!("not a ZIP container: {e}")))?;
    let mut left = limits.total;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| Error::Format(format!("unreadable archive entry: {e}")))?;
        let max = limits.per_entry.min(left);
        let n = std::io::copy(&mut entry.take(max.saturating_add(1)), &mut std::io::sink())
            .map_err(|e| Error::Format(format!("unreadable archive entry: {e}")))?;
        if n > max {
            return Err(Error::TooLarge(max));
        }
        left -= n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A ZIP whose one entry is `n` zero bytes (deflate packs a megabyte into ~1 KB).
    fn zeros(name: &str, n: usize) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file(name, opts).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..n / chunk.len() {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_without_unpacking_it_whole() {
        let bomb = zeros("xl/worksheets/sheet1.xml", 300 << 20);
        assert!(bomb.len() < 1 << 20, "{} bytes packed", bomb.len());
        let limits = ZipLimits {
            per_entry: 8 << 20,
            total: 16 << 20,
        };
        assert!(matches!(check_zip(&bomb, limits), Err(Error::TooLarge(_))));
        let small = zeros("a.xml", 4 << 20);
        assert!(check_zip(&small, limits).is_ok());
    }

    #[test]
    fn a_docx_whose_body_expands_too_far_is_refused() {
        let bomb = zeros("word/document.xml", (DOCX_PART_MAX + (1 << 20)) as usize);
        let e = crate::decode::docx_to_text(&bomb).unwrap_err();
        assert!(matches!(e, Error::TooLarge(DOCX_PART_MAX)), "{e}");
    }
}
