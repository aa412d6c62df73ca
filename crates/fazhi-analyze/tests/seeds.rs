//! Quality against the gold annotations of the shared seed reports (../shared/seeds),
//! with the same matching as bench/analyze/score.py. Skips when the seeds are absent.

use serde_json::Value;
use std::path::PathBuf;

fn seeds_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FAZHI_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"));
    dir.join("gold").is_dir().then_some(dir)
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

#[test]
fn seeds_meet_quality_targets() {
    let Some(dir) = seeds_dir() else {
        println!(
            "skipping: seed reports not found (set FAZHI_SEEDS or place them in ../shared/seeds)"
        );
        return;
    };
    let mut golds: Vec<PathBuf> = std::fs::read_dir(dir.join("gold"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    golds.sort();
    assert!(!golds.is_empty());
    let (mut tp, mut fp, mut fneg, mut ind_ok) = (0usize, 0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for g in &golds {
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(g).unwrap()).unwrap();
        let txt = dir.join(gold["file"].as_str().unwrap());
        let text = std::fs::read_to_string(&txt).unwrap();
        let r = fazhi_analyze::analyze_bytes(&txt.display().to_string(), text.as_bytes()).unwrap();
        let name = gold["file"].as_str().unwrap();
        if r.issuer.as_deref() != gold["issuer"].as_str() {
            problems.push(format!("{name}: issuer {:?}", r.issuer));
        }
        if r.year.map(i64::from) != gold["year"].as_i64() {
            problems.push(format!("{name}: year {:?}", r.year));
        }
        let rs = r.required_sections;
        if !(rs.measures && rs.first_responsible && rs.shortcomings && rs.next_year) {
            problems.push(format!("{name}: required sections {rs:?}"));
        }
        let tops: Vec<(String, String, String)> = r
            .sections
            .iter()
            .filter(|s| s.level == 1)
            .map(|s| (s.marker.clone(), s.title.clone(), s.role.to_string()))
            .collect();
        let gtops: Vec<(String, String, String)> = gold["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["marker"].as_str().unwrap().into(),
                    s["title"].as_str().unwrap().into(),
                    s["role"].as_str().unwrap().into(),
                )
            })
            .collect();
        if tops != gtops {
            problems.push(format!("{name}: sections {tops:?}"));
        }
        // Gold figures located left to right, in characters.
        let chars: Vec<char> = text.chars().collect();
        let mut pos = 0;
        let mut used = vec![false; r.figures.len()];
        for gf in gold["figures"].as_array().unwrap() {
            let gt: Vec<char> = gf["text"].as_str().unwrap().chars().collect();
            let s = (pos..=chars.len() - gt.len())
                .find(|&i| chars[i..i + gt.len()] == gt[..])
                .expect("gold text in report");
            let e = s + gt.len();
            pos = e;
            let hit = r
                .figures
                .iter()
                .enumerate()
                .position(|(k, f)| !used[k] && f.start < e && s < f.end);
            let Some(k) = hit else {
                fneg += 1;
                problems.push(format!("{name}: missed {}", gf["text"]));
                continue;
            };
            used[k] = true;
            let f = &r.figures[k];
            let same = Some(f.value) == num(&gf["value"])
                && f.value_max == gf.get("value_max").and_then(num)
                && f.unit == gf["unit"].as_str();
            if !same {
                fneg += 1;
                fp += 1;
                problems.push(format!("{name}: wrong {} for {}", f.text, gf["text"]));
                continue;
            }
            tp += 1;
            if f.indicator == gf["indicator"].as_str() {
                ind_ok += 1;
            } else {
                problems.push(format!(
                    "{name}: {} labelled {:?}, gold {}",
                    f.text, f.indicator, gf["indicator"]
                ));
            }
        }
        fp += used.iter().filter(|u| !**u).count();
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let rc = tp as f64 / (tp + fneg).max(1) as f64;
    let f1 = 2.0 * p * rc / (p + rc).max(f64::EPSILON);
    let acc = ind_ok as f64 / tp.max(1) as f64;
    println!("figure F1 {f1:.4} (tp {tp}, fp {fp}, fn {fneg}); indicator accuracy {acc:.4}");
    for pr in &problems {
        println!("  {pr}");
    }
    assert!(f1 >= 0.98, "figure F1 {f1:.4} below 0.98");
    assert!(acc >= 0.90, "indicator accuracy {acc:.4} below 0.90");
    let meta: Vec<&String> = problems
        .iter()
        .filter(|p| p.contains("issuer") || p.contains("year") || p.contains("sections"))
        .collect();
    assert!(meta.is_empty(), "{meta:?}");
}
