//! `fazhi analyze` and `fazhi check`: reading township reports (see fazhi-analyze).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use fazhi_analyze::run;

/// Output format of `fazhi analyze`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnalyzeFormat {
    /// Pretty JSON: one document, or an array for several reports.
    Json,
    /// One JSON document per line.
    Jsonl,
    /// A readable summary table.
    Table,
    /// An Excel workbook (needs -o or a redirected stdout).
    Xlsx,
}

/// Arguments of `fazhi analyze`.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// Report files or directories (.txt in UTF-8 or GBK, .html, .docx, .doc/.wps
    /// (Word 97–2003), .pdf with a text layer).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format [default: json; for --dups a readable listing].
    #[arg(long, value_enum)]
    pub format: Option<AnalyzeFormat>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// List paragraphs copied across reports (also edited copies) instead of analysing each report.
    #[arg(long)]
    pub dups: bool,
    /// With --dups: templates or earlier years' reports (files or directories); their
    /// paragraphs are listed as sources of the reports' paragraphs, never on their own.
    #[arg(long, requires = "dups")]
    pub against: Vec<PathBuf>,
    /// With --dups: least similarity (3-gram overlap, 0–1) of two paragraphs to count as copies.
    #[arg(long, requires = "dups", default_value_t = fazhi_analyze::dups::DEFAULT_THRESHOLD)]
    pub similarity: f32,
}

/// Output format of `fazhi check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// One finding per line: file:line:column.
    Text,
    /// `{"file","checks":[…]}`.
    Json,
}

/// Arguments of `fazhi check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The report to proofread.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
}

fn open_output(path: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

pub fn run_analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let files = match run::collect_files(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    if files.is_empty() {
        eprintln!("error: no report files (.txt, .html, .htm, .docx, .doc, .wps, .pdf) found");
        return Ok(ExitCode::from(2));
    }
    if args.format == Some(AnalyzeFormat::Xlsx)
        && args.output.is_none()
        && std::io::stdout().is_terminal()
    {
        eprintln!("error: the xlsx format is binary; write it with -o FILE.xlsx");
        return Ok(ExitCode::from(2));
    }
    let mut out = open_output(&args.output)?;
    if args.dups {
        if !(0.0..=1.0).contains(&args.similarity) {
            eprintln!("error: --similarity must be between 0 and 1");
            return Ok(ExitCode::from(2));
        }
        let against = match run::collect_files(&args.against) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::from(2));
            }
        };
        let settings = fazhi_analyze::dups::Settings {
            threshold: args.similarity,
            ..Default::default()
        };
        let clusters = run::find_dups(&files, &against, settings)?;
        match args.format {
            Some(AnalyzeFormat::Json | AnalyzeFormat::Jsonl) => {
                serde_json::to_writer_pretty(&mut out, &clusters)?;
                out.write_all(b"\n")?
            }
            _ => run::write_clusters(&mut out, &clusters)?,
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let failed = match args.format.unwrap_or(AnalyzeFormat::Json) {
        AnalyzeFormat::Xlsx => {
            let mut wb =
                fazhi_office::analysis::AnalysisWorkbook::new().map_err(anyhow::Error::msg)?;
            let mut failed = 0;
            run::for_each_report(&files, |path, r| {
                match r {
                    Ok(r) => wb.add(&r).map_err(fazhi_analyze::Error::Format)?,
                    Err(e) => {
                        eprintln!("error: {e} ({})", path.display());
                        failed += 1;
                    }
                }
                Ok(())
            })?;
            // The sheet of copied paragraphs: a second, lighter pass over the files.
            let clusters = run::find_dups(&files, &[], fazhi_analyze::dups::Settings::default())?;
            wb.add_clusters(&clusters).map_err(anyhow::Error::msg)?;
            out.write_all(&wb.finish().map_err(anyhow::Error::msg)?)?;
            failed
        }
        f => {
            let format = match f {
                AnalyzeFormat::Jsonl => run::Format::Jsonl,
                AnalyzeFormat::Table => run::Format::Table,
                _ => run::Format::Json,
            };
            run::write_reports(&files, format, &mut out)?
        }
    };
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn run_check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let report = match run::analyze_file(&args.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let name = args.file.display().to_string();
    let text = match args.format {
        CheckFormat::Json => run::checks_json(&name, &report) + "\n",
        CheckFormat::Text => run::format_checks(&name, &report),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
