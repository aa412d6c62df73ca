//! `fazhi analyze --dups`: copied paragraphs across report files, with `--against`
//! templates and the similarity setting, as JSON.

use fazhi::cmd::analyze::{AnalyzeArgs, AnalyzeFormat, run_analyze};
use std::path::PathBuf;

const PARA: &str = "青石镇坚持每月召开一次法治建设工作例会，由司法所通报执法监督、矛盾纠纷化解和普法宣传的进展情况，逐项研究解决存在的问题，并将会议议定事项纳入督办台账跟踪落实。";

fn report(town: &str, date: &str, para: &str) -> String {
    format!(
        "示例县{town}人民政府关于2024年法治政府建设情况的报告\n{para}\n示例县{town}人民政府\n{date}\n"
    )
}

fn run(paths: Vec<PathBuf>, against: Vec<PathBuf>, similarity: f32) -> serde_json::Value {
    let out = std::env::temp_dir().join(format!(
        "fazhi-dups-{}-{}.json",
        std::process::id(),
        (similarity * 100.0) as u32
    ));
    let code = run_analyze(AnalyzeArgs {
        paths,
        format: Some(AnalyzeFormat::Json),
        output: Some(out.clone()),
        dups: true,
        against,
        similarity,
    })
    .unwrap();
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let v = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    std::fs::remove_file(out).ok();
    v
}

#[test]
fn edited_copy_template_and_threshold() {
    let dir = std::env::temp_dir().join(format!("fazhi-dups-{}", std::process::id()));
    let (reports, templates) = (dir.join("reports"), dir.join("templates"));
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        reports.join("a.txt"),
        report("青石镇", "2025年1月10日", PARA),
    )
    .unwrap();
    // 白沙镇 swapped the name, wrote 每季度 for 每月 and dropped a clause.
    let copy = PARA
        .replace("青石镇", "白沙镇")
        .replace("每月", "每季度")
        .replace("逐项研究解决存在的问题，", "");
    std::fs::write(
        reports.join("b.txt"),
        report("白沙镇", "2025年1月20日", &copy),
    )
    .unwrap();
    let v = run(vec![reports.clone()], vec![], 0.5);
    let groups = v.as_array().unwrap();
    assert_eq!(groups.len(), 1, "{v:#}");
    let g = &groups[0];
    assert_eq!(g["townships"], 2);
    assert_eq!(g["source"], 0, "青石镇 issued first");
    assert_eq!(g["members"][1]["township"], "白沙镇");
    let diff = g["pairs"][0]["diff"].as_array().unwrap();
    assert!(
        diff.iter()
            .any(|s| s["op"] == "new" && s["kind"] == "name" && s["text"] == "白沙"),
        "{v:#}"
    );
    // A stricter threshold than the copy's similarity leaves it out.
    let sim = g["members"][1]["similarity"].as_f64().unwrap() as f32;
    assert!(sim < 1.0);
    assert!(
        run(vec![reports.clone()], vec![], sim + 0.01)
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The county's template: the source, and the group is marked as a template's.
    std::fs::write(templates.join("t.txt"), PARA.replace("青石镇", "XX镇")).unwrap();
    let v = run(vec![reports], vec![templates], 0.5);
    let g = &v[0];
    assert_eq!(g["template"], true, "{v:#}");
    assert_eq!(g["members"][0]["reference"], true);
    assert_eq!(g["source"], 0);
    assert_eq!(g["members"].as_array().unwrap().len(), 3);
    std::fs::remove_dir_all(dir).ok();
}
