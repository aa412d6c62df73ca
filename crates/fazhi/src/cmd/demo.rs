//! `fazhi demo`: the demo district of `fazhi-demo`, filled in once, then served.

use std::process::ExitCode;

use fazhi_demo::{
    DEMO_PASSWORD, MAX_TOWNSHIPS, accounts, decisions, enforcement, major, matters, seed_with,
};

use crate::config::{Config, DbArgs, ServeArgs};

/// Options of `fazhi demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Townships in the district: the three named ones, then generated ones (capacity tests).
    #[arg(long, default_value_t = 3)]
    pub townships: usize,
    /// Matters per township, received over the last two years.
    #[arg(long, default_value_t = matters::DEFAULT_PER_TOWNSHIP)]
    pub matters_per_township: usize,
    /// Create the data, then exit instead of serving.
    #[arg(long)]
    pub no_serve: bool,
}

pub async fn run(db: &DbArgs, a: &DemoArgs) -> anyhow::Result<ExitCode> {
    if !(1..=MAX_TOWNSHIPS).contains(&a.townships) {
        anyhow::bail!("--townships must be between 1 and {MAX_TOWNSHIPS}");
    }
    let s = &a.serve;
    let mut db = db.clone();
    if db.db.is_none() {
        db.db = Some("sqlite://fazhi-demo.db".into());
    }
    let cfg = Config::resolve(&db, s)?;
    let vault = super::serve::ensure_key(&cfg.key_file)?;
    let database = super::open_db(&cfg).await?;
    if seed_with(&database, a.townships).await? {
        // A new demo database starts a new audit chain: checkpoints left beside it by an
        // earlier demo database (deleted by hand) would read as a wiped log.
        let anchors = cfg.anchor_file();
        if anchors.exists() {
            let aside =
                anchors.with_extension(format!("anchors.replaced-{}", fazhi_db::now_ms() / 1000));
            std::fs::rename(&anchors, &aside)?;
            println!(
                "Moved the audit checkpoints of an earlier demo database aside to {}.",
                aside.display()
            );
        }
        println!(
            "Created the demo district 清溪区 ({} townships) in {}; adding two years of matters…",
            a.townships,
            crate::config::redact_url(&cfg.db)
        );
        let today = fazhi_web::Clock::default().today();
        let started = std::time::Instant::now();
        let n = matters::seed(&database, &vault, today, a.matters_per_township).await?;
        println!(
            "Added {n} demo matters in {:.1}s.",
            started.elapsed().as_secs_f64()
        );
        if let Some(dir) = &cfg.web.evidence_dir {
            let n = fazhi_demo::matter_files::seed(
                &database,
                dir,
                fazhi_demo::matter_files::DEFAULT_FILES,
            )
            .await?;
            println!(
                "Added {n} files to matters of 青石镇 (letters and agreements) in {}.",
                dir.display()
            );
        }
        let e = fazhi_demo::education::seed(&database, &vault, today).await?;
        println!(
            "Added a year of legal education: {} events, {} study sessions, {} exam results, {} people on the rosters.",
            e.events, e.sessions, e.exam_results, e.people
        );
        if let Some(dir) = &cfg.web.evidence_dir {
            let p = fazhi_demo::education::seed_photos(&database, dir).await?;
            println!(
                "Added {} photos to {} events and {} enterprise visits in 青石镇.",
                p.files, p.events, p.visits
            );
        }
        let n = enforcement::seed(&database, today, enforcement::DEFAULT_CASES).await?;
        println!("Added {n} demo enforcement cases in 青石镇.");
        let n = decisions::seed(&database, today).await?;
        println!("Added {n} demo legal review items in 青石镇.");
        // The roster before the other records, which name the advisers who acted.
        let n = fazhi_demo::advisers::seed(&database, today).await?;
        println!("Added {n} demo legal advisers (account lawyer in 青石镇).");
        let n = major::seed(&database, today).await?;
        println!("Added a catalogue of {n} major decisions in 青石镇.");
        let n = fazhi_demo::litigation::seed(&database, today).await?;
        println!("Added {n} demo 复议/诉讼 cases in 青石镇.");
        let n = fazhi_demo::contracts::seed(&database, today).await?;
        println!("Added {n} demo contracts in 青石镇.");
        let n = fazhi_demo::normative::seed(&database, today).await?;
        println!("Added {n} demo normative documents in 青石镇.");
        let state = fazhi_web::AppState::new(
            database.clone(),
            fazhi_web::Settings::default(),
            // The drafts read no sealed data; the state needs a vault of its own.
            super::serve::ensure_key(&cfg.key_file)?,
        );
        let n = fazhi_demo::annual::seed(&state, today).await?;
        println!(
            "Added {n} annual reports (last year's submitted and published, this year's drafts)."
        );
    } else {
        println!("The database already has data; the demo district was not created again.");
    }
    if a.no_serve {
        database.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    println!("Demo accounts (password {DEMO_PASSWORD}):");
    for (username, name, role, code) in accounts() {
        println!("  {username:<10} {:<10} {name} @ {code}", role.label_zh());
    }
    super::serve::run_server(&cfg, database, vault).await?;
    Ok(ExitCode::SUCCESS)
}
