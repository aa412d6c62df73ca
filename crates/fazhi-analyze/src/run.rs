//! Running the reader over many files: directory walking, streaming in ordered
//! chunks on all cores (bounded memory), progress bar, and the text formats.

use crate::{Error, Report, analyze_bytes, decode, dups};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Reports analysed at once; memory stays bounded by one chunk of reports.
const CHUNK: usize = 64;

/// Expands files and directories (recursively) into report files, sorted for stable output.
/// A path given explicitly is kept whatever its extension.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::Io(p.clone(), e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::Io(dir.to_path_buf(), e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::Io(dir.to_path_buf(), e))?;
        let path = entry.path();
        let mut ft = entry.file_type().map_err(|e| Error::Io(path.clone(), e))?;
        if ft.is_symlink() {
            // Follow links to directories and files (a corpus assembled with ln -s).
            ft = std::fs::metadata(&path)
                .map_err(|e| Error::Io(path.clone(), e))?
                .file_type();
        }
        if ft.is_dir() {
            walk(&path, out)?;
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(decode::is_report_name)
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads and analyses one file.
pub fn analyze_file(path: &Path) -> Result<Report, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io(path.to_path_buf(), e))?;
    analyze_bytes(&path.display().to_string(), &bytes)
}

fn progress(len: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let pb = indicatif::ProgressBar::new(len as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} 剩余 {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(pb)
}

/// Analyses `files` on all cores in ordered chunks, handing each result to `sink` in file order.
pub fn for_each_report<F>(files: &[PathBuf], sink: F) -> Result<(), Error>
where
    F: FnMut(&Path, Result<Report, Error>) -> Result<(), Error>,
{
    for_each_mapped(files, |_, r| r, sink)
}

/// Like [`for_each_report`], but `map` (for example serialisation) also runs on the
/// worker threads; only `sink` runs on the calling thread, in file order.
pub fn for_each_mapped<T, M, F>(files: &[PathBuf], map: M, mut sink: F) -> Result<(), Error>
where
    T: Send,
    M: Fn(&Path, Result<Report, Error>) -> T + Sync,
    F: FnMut(&Path, T) -> Result<(), Error>,
{
    let pb = progress(files.len());
    for chunk in files.chunks(CHUNK) {
        let results: Vec<T> = chunk.par_iter().map(|p| map(p, analyze_file(p))).collect();
        for (p, r) in chunk.iter().zip(results) {
            sink(p, r)?;
        }
        if let Some(pb) = &pb {
            pb.inc(chunk.len() as u64);
        }
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    Ok(())
}

/// Output formats of `fazhi analyze` that this crate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One pretty JSON document (an array when there are several reports).
    Json,
    /// One JSON document per line.
    Jsonl,
    /// A readable table.
    Table,
}

fn io(e: std::io::Error) -> Error {
    Error::Io(PathBuf::from("<output>"), e)
}

/// Streams the analysis of `files` to `out`. Unreadable files are reported on stderr
/// and counted; returns the number of files that failed.
pub fn write_reports(
    files: &[PathBuf],
    format: Format,
    out: &mut dyn Write,
) -> Result<usize, Error> {
    let mut failed = 0;
    let mut n = 0;
    let many = files.len() != 1;
    if format == Format::Json && many {
        out.write_all(b"[\n").map_err(io)?;
    }
    if format == Format::Table {
        writeln!(out, "{}", table_header()).map_err(io)?;
    }
    let render = |_: &Path, r: Result<Report, Error>| -> Result<Vec<u8>, Error> {
        let report = r?;
        let ser = |e: serde_json::Error| Error::Format(e.to_string());
        Ok(match format {
            Format::Jsonl => {
                let mut v = Vec::with_capacity(4096);
                crate::json::write_report(&mut v, &report);
                v.push(b'\n');
                v
            }
            Format::Json => serde_json::to_vec_pretty(&report).map_err(ser)?,
            Format::Table => format!("{}\n", table_row(&report)).into_bytes(),
        })
    };
    for_each_mapped(files, render, |path, r| {
        let bytes = match r {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e} ({})", path.display());
                failed += 1;
                return Ok(());
            }
        };
        if format == Format::Json && many && n > 0 {
            out.write_all(b",\n").map_err(io)?;
        }
        out.write_all(&bytes).map_err(io)?;
        if format == Format::Json && !many {
            out.write_all(b"\n").map_err(io)?;
        }
        n += 1;
        Ok(())
    })?;
    if format == Format::Json && many {
        out.write_all(b"\n]\n").map_err(io)?;
    }
    Ok(failed)
}

/// Display width: Han characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let mut t: String = String::new();
    let mut cur = 0;
    for c in s.chars() {
        let cw = width(&c.to_string());
        if cur + cw > w {
            break;
        }
        t.push(c);
        cur += cw;
    }
    t.push_str(&" ".repeat(w - cur));
    t
}

fn table_header() -> String {
    format!(
        "{} {} {} {} {} {} {} {}",
        pad("文件", 32),
        pad("发文单位", 14),
        pad("县（区）", 12),
        pad("年度", 6),
        pad("必备部分", 10),
        pad("数字", 6),
        pad("错误", 6),
        "提示"
    )
}

fn table_row(r: &Report) -> String {
    let name = Path::new(&r.file)
        .file_name()
        .map_or(r.file.clone(), |n| n.to_string_lossy().into_owned());
    let rs = r.required_sections;
    let missing = [
        rs.measures,
        rs.first_responsible,
        rs.shortcomings,
        rs.next_year,
    ]
    .iter()
    .filter(|b| !**b)
    .count();
    let marks = if missing == 0 {
        "齐全".to_string()
    } else {
        format!("缺{missing}项")
    };
    let (errors, warnings) = r.check_counts();
    format!(
        "{} {} {} {} {} {} {} {}",
        pad(&name, 32),
        pad(r.issuer.as_deref().unwrap_or("-"), 14),
        pad(r.county.as_deref().unwrap_or("-"), 12),
        pad(&r.year.map_or("-".into(), |y| y.to_string()), 6),
        pad(&marks, 10),
        pad(&r.figures.len().to_string(), 6),
        pad(&errors.to_string(), 6),
        warnings
    )
}

/// Proofreading output for people: one finding per line with line:column.
pub fn format_checks(file: &str, report: &Report) -> String {
    let mut s = String::new();
    for c in &report.checks {
        let sev = if c.severity == "error" {
            "错误"
        } else {
            "提示"
        };
        s.push_str(&format!(
            "{file}:{}:{}: {sev}[{}] {}\n",
            c.line, c.column, c.kind, c.message
        ));
    }
    let (errors, warnings) = report.check_counts();
    s.push_str(&format!(
        "共 {} 处问题（错误 {}，提示 {}）\n",
        errors + warnings,
        errors,
        warnings
    ));
    s
}

/// Reads a report file as text (for the duplicate finder's second look).
fn read_text(p: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(p).map_err(|e| Error::Io(p.to_path_buf(), e))?;
    decode::to_text(&p.display().to_string(), &bytes)
}

/// Finds near-duplicate paragraphs across `files`, reading them in parallel chunks;
/// `against` are templates or earlier years' reports, used as sources only. Texts are
/// not kept: the few paragraphs that need a second look are read from disk again.
pub fn find_dups(
    files: &[PathBuf],
    against: &[PathBuf],
    settings: dups::Settings,
) -> Result<Vec<dups::Cluster>, Error> {
    let all: Vec<(&PathBuf, bool)> = against
        .iter()
        .map(|p| (p, true))
        .chain(files.iter().map(|p| (p, false)))
        .collect();
    let pb = progress(all.len());
    let mut idx = dups::DupIndex::with_settings(settings);
    let mut paths: Vec<&PathBuf> = Vec::with_capacity(all.len());
    for chunk in all.chunks(CHUNK * 4) {
        let fps: Vec<Result<dups::Fingerprints, Error>> = chunk
            .par_iter()
            .map(|&(p, reference)| {
                let text = read_text(p)?;
                let mut info = dups::ReportInfo::read(&p.display().to_string(), &text);
                info.reference = reference;
                Ok(dups::fingerprint_with(info, &text, &settings))
            })
            .collect();
        for (fp, (p, _)) in fps.into_iter().zip(chunk) {
            match fp {
                Ok(fp) => {
                    idx.add(fp);
                    paths.push(p);
                }
                Err(e) => eprintln!("error: {e}"),
            }
        }
        if let Some(pb) = &pb {
            pb.inc(chunk.len() as u64);
        }
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    Ok(idx.clusters_with(&|i: usize, _: &dups::ReportInfo| read_text(paths[i]).ok()))
}

/// Readable listing of duplicate clusters: members with township, date and
/// similarity, the likely source, and what each copy changed.
pub fn format_clusters(clusters: &[dups::Cluster]) -> String {
    let mut v = Vec::new();
    let _ = write_clusters(&mut v, clusters);
    String::from_utf8(v).unwrap_or_default()
}

/// [`format_clusters`] written group by group, so a large listing is never held whole.
pub fn write_clusters(out: &mut dyn Write, clusters: &[dups::Cluster]) -> std::io::Result<()> {
    use dups::{Kind, Op};
    for (i, c) in clusters.iter().enumerate() {
        let mut s = String::new();
        let sample: String = c.text.chars().take(80).collect();
        let more = if c.text.chars().count() > 80 {
            "…"
        } else {
            ""
        };
        let origin = if c.template {
            "，见于模板或往年报告"
        } else {
            ""
        };
        s.push_str(&format!(
            "重复段落 {}（{} 个乡镇，{} 份报告，{} 处{origin}）：{sample}{more}\n",
            i + 1,
            c.townships,
            c.reports,
            c.members.len()
        ));
        for (k, m) in c.members.iter().enumerate() {
            let mut tags = Vec::new();
            if let Some(t) = &m.township {
                tags.push(t.clone());
            }
            if let Some(d) = &m.date {
                tags.push(d.clone());
            }
            if m.reference {
                tags.push("模板/往年".into());
            }
            if c.source == Some(k) {
                tags.push("可能的来源".into());
            } else {
                tags.push(format!("相似度 {:.2}", m.similarity));
            }
            s.push_str(&format!("  {}:{} {}\n", m.file, m.line, tags.join(" ")));
        }
        for p in &c.pairs {
            let changes: Vec<String> = p
                .diff
                .iter()
                .filter(|g| g.op != Op::Same)
                .map(|g| {
                    let sign = if g.op == Op::Old { "-" } else { "+" };
                    let kind = match g.kind {
                        Kind::Name => "名称",
                        Kind::Number => "数字",
                        Kind::Text => "文字",
                    };
                    format!("{sign}{kind}「{}」", g.text)
                })
                .collect();
            if changes.is_empty() {
                continue;
            }
            let (a, b) = (&c.members[p.a], &c.members[p.b]);
            s.push_str(&format!(
                "  差异 {}:{} → {}:{}：{}\n",
                a.file,
                a.line,
                b.file,
                b.line,
                changes.join(" ")
            ));
        }
        out.write_all(s.as_bytes())?;
    }
    writeln!(out, "共 {} 组重复段落", clusters.len())
}

/// `{"file","checks":[…]}` for `fazhi check --format json`.
pub fn checks_json(file: &str, report: &Report) -> String {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        file: &'a str,
        checks: &'a [crate::Check],
    }
    serde_json::to_string_pretty(&Out {
        file,
        checks: &report.checks,
    })
    .unwrap_or_default()
}

/// Duplicate clusters as JSON.
pub fn clusters_json(clusters: &[dups::Cluster]) -> String {
    serde_json::to_string_pretty(clusters).unwrap_or_default()
}
