//! Reading township 法治政府建设 annual reports: plain text from TXT/HTML/DOCX, the
//! heading tree, figures with indicators, consistency checks and near-duplicate
//! paragraphs. No database, no network.
//!
//! Entry points: [`analyze_bytes`] and [`analyze_text`] for one report,
//! [`dups::near_duplicates`] across reports, [`run::analyze_paths`] for streaming a
//! directory tree.

pub mod bounded;
pub mod charset;
pub mod checks;
pub mod chrome;
pub mod decode;
pub mod doc;
pub mod dups;
pub mod figures;
pub mod gazetteer;
pub mod indicator;
pub mod issuer;
pub mod json;
pub mod meta;
pub mod msdoc;
pub mod numerals;
pub mod parts;
pub mod pdf;
pub mod run;
pub mod sections;

pub use checks::Check;
pub use dups::{Cluster, near_duplicates};
pub use figures::Figure;
pub use sections::Section;

use serde::Serialize;

/// Errors while reading a report.
#[derive(Debug)]
pub enum Error {
    /// The file could not be read.
    Io(std::path::PathBuf, std::io::Error),
    /// The file is not in a format we can read.
    Format(String),
    /// An archive unpacks to more than this many bytes.
    TooLarge(u64),
    /// A PDF without a text layer (a scanned document): there is nothing to read
    /// without OCR.
    NoText,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            Error::Format(m) => write!(f, "{m}"),
            Error::TooLarge(n) => write!(f, "the file unpacks to more than {n} bytes"),
            Error::NoText => write!(
                f,
                "the PDF has no text layer (a scanned document?): run OCR on it first"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Which of the four required parts the report has.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct RequiredSections {
    /// Main measures and results.
    pub measures: bool,
    /// The heads' duty as first responsible persons.
    pub first_responsible: bool,
    /// Shortcomings and their causes.
    pub shortcomings: bool,
    /// Plans for next year.
    pub next_year: bool,
}

/// Everything read from one report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// File name or path as given.
    pub file: String,
    /// Title line.
    pub title: Option<String>,
    /// Short issuer name (余家镇), null when the text never names it.
    pub issuer: Option<String>,
    /// Full issuing body (重庆市万州区余家镇人民政府).
    pub issuer_full: Option<String>,
    /// The issuer's 9-digit 统计用区划代码 (500101135), when the national gazetteer
    /// holds one township of that name, or one under the county or city the text names.
    pub issuer_code: Option<String>,
    /// That township's county-level division (万州区).
    pub county: Option<String>,
    /// Its prefecture-level city (None for the municipalities' districts and counties).
    pub city: Option<String>,
    /// Its province-level division (重庆市).
    pub province: Option<String>,
    /// The year covered.
    pub year: Option<i32>,
    /// Issue date (ISO 8601).
    pub date: Option<String>,
    /// Document number.
    pub doc_number: Option<String>,
    /// How sure the issuer is and the line that decided it.
    pub issuer_basis: meta::Basis,
    /// How sure the year is and the line that decided it.
    pub year_basis: meta::Basis,
    /// Heading tree, in text order.
    pub sections: Vec<Section>,
    /// Which required parts are present.
    pub required_sections: RequiredSections,
    /// Figures, in text order.
    pub figures: Vec<Figure>,
    /// Proofreading findings.
    pub checks: Vec<Check>,
}

impl Report {
    /// The report's value for one indicator: its figures summed (counts) or averaged
    /// (rates, labels ending in `_rate`); None when no figure has that label. A part
    /// of a total with the same label is left out (1290件，其中640件 counts 1290).
    pub fn indicator_value(&self, label: &str) -> Option<f64> {
        let figs = &self.figures;
        let vals: Vec<f64> = figs
            .iter()
            .filter(|f| f.indicator == Some(label))
            .filter(|f| {
                f.part_of
                    .and_then(|t| figs.get(t))
                    .is_none_or(|t| t.indicator != Some(label))
            })
            .map(|f| f.value)
            .collect();
        if vals.is_empty() {
            return None;
        }
        Some(if label.ends_with("_rate") {
            vals.iter().sum::<f64>() / vals.len() as f64
        } else {
            vals.iter().sum()
        })
    }

    /// True when a check has severity `error`.
    pub fn has_errors(&self) -> bool {
        self.checks.iter().any(|c| c.severity == "error")
    }

    /// How many errors and warnings were found, counting those a capped kind's summary
    /// stands for (the list shows at most `checks::MAX_PER_KIND` of a kind).
    pub fn check_counts(&self) -> (usize, usize) {
        self.checks
            .iter()
            .fold((0, 0), |(e, w), c| match c.severity {
                "error" => (e + c.stands_for, w),
                _ => (e, w + c.stands_for),
            })
    }
}

/// Reads one report from the bytes of a file; the name decides the format (.txt, .html,
/// .docx, .doc, .wps, .pdf).
pub fn analyze_bytes(file_name: &str, bytes: &[u8]) -> Result<Report, Error> {
    let text = decode::to_text(file_name, bytes)?;
    Ok(analyze_text(file_name, &text))
}

/// Reads one report from its plain text. Offsets in the result count characters of `text`.
pub fn analyze_text(file_name: &str, text: &str) -> Report {
    let doc = doc::Doc::new(text);
    analyze_doc(file_name, &doc)
}

/// Reads one report from a prepared [`doc::Doc`].
pub fn analyze_doc(file_name: &str, doc: &doc::Doc) -> Report {
    let (sections, numbering, dropped_sections) = sections::find_sections_counted(doc);
    let (mut figures, dropped_figures) = figures::find_figures_counted(doc);
    let undecided = indicator::label_all(&doc.chars, &mut figures);
    parts::link_parts(&doc.chars, &mut figures);
    indicator::inherit(&doc.chars, &mut figures, &undecided);
    // Top-level sections are in text order and do not overlap: the last one starting
    // at or before a figure is the only candidate (a search, not a scan per figure).
    let tops: Vec<&Section> = sections.iter().filter(|s| s.level == 1).collect();
    for f in &mut figures {
        let i = tops.partition_point(|s| s.start <= f.start);
        f.section = i
            .checked_sub(1)
            .map(|i| tops[i])
            .filter(|s| f.start < s.end)
            .map(|s| s.role);
    }
    let meta = meta::read_meta(doc, &sections);
    let has = |role: &str| sections.iter().any(|s| s.level == 1 && s.role == role);
    let required_sections = RequiredSections {
        measures: has("measures"),
        first_responsible: has("first_responsible"),
        shortcomings: has("shortcomings"),
        next_year: has("next_year"),
    };
    let dropped = checks::Dropped {
        figures: dropped_figures,
        sections: dropped_sections,
    };
    let checks = checks::run_checks(doc, &sections, &numbering, &figures, &meta, dropped);
    Report {
        file: file_name.to_string(),
        title: meta.title,
        issuer: meta.issuer,
        issuer_full: meta.issuer_full,
        issuer_code: meta.place.as_ref().map(|p| p.code.clone()),
        county: meta.place.as_ref().map(|p| p.county.clone()),
        city: meta.place.as_ref().and_then(|p| p.city.clone()),
        province: meta.place.map(|p| p.province),
        year: meta.year,
        date: meta.date,
        doc_number: meta.doc_number,
        issuer_basis: meta.issuer_basis,
        year_basis: meta.year_basis,
        sections,
        required_sections,
        figures,
        checks,
    }
}

/// One file of an uploaded archive: its path inside the archive and what was read.
pub type ZipEntry = (String, Result<Report, Error>);

/// Reads every report (.txt, .html, .htm, .docx, .doc, .wps, .pdf) inside an uploaded ZIP archive, in
/// name order. Entries that cannot be read come back as errors; other files are skipped.
pub fn analyze_zip(bytes: &[u8]) -> Result<Vec<ZipEntry>, Error> {
    let mut out = Vec::new();
    zip_reports(bytes, u64::MAX, |name, data| {
        let result = data.and_then(|b| analyze_bytes(name, &b));
        out.push((name.to_string(), result));
    })?;
    Ok(out)
}

/// Hands the path and bytes of every report file (.txt, .html, .htm, .docx, .doc, .wps,
/// .pdf) in a ZIP
/// archive to `each`, in name order; other files are skipped. At most `max_bytes` are
/// unpacked in all: an archive that holds more (a ZIP bomb, say) stops there with an
/// error, so an upload cannot exhaust memory.
pub fn zip_reports(
    bytes: &[u8],
    max_bytes: u64,
    mut each: impl FnMut(&str, Result<Vec<u8>, Error>),
) -> Result<(), Error> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Format(format!("not a ZIP archive: {e}")))?;
    let mut names: Vec<(String, usize)> = zip
        .file_names_raw()
        .map(entry_name)
        .enumerate()
        .map(|(i, n)| (n, i))
        .filter(|(n, _)| !n.ends_with('/') && decode::is_report_name(n))
        .collect();
    names.sort();
    let mut left = max_bytes;
    for (name, index) in names {
        let mut buf = Vec::new();
        let read = zip
            .by_index(index)
            .map_err(|e| e.to_string())
            .and_then(|f| {
                // One byte more than allowed tells "too large" from "exactly the limit".
                f.take(left.saturating_add(1))
                    .read_to_end(&mut buf)
                    .map_err(|e| e.to_string())
            });
        if buf.len() as u64 > left {
            return Err(Error::TooLarge(max_bytes));
        }
        left -= buf.len() as u64;
        match read {
            Ok(_) => each(&name, Ok(buf)),
            Err(e) => each(
                &name,
                Err(Error::Format(format!(
                    "cannot read {name} in the archive: {e}"
                ))),
            ),
        }
    }
    Ok(())
}

/// The name of an archive entry. Archives made on Chinese Windows store names in GBK
/// without saying so (the ZIP format's default would be CP437): names that are not
/// UTF-8 are read as GB18030.
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

/// Proofreads one report file's bytes and returns the findings.
pub fn check(file_name: &str, bytes: &[u8]) -> Result<Vec<Check>, Error> {
    analyze_bytes(file_name, bytes).map(|r| r.checks)
}
