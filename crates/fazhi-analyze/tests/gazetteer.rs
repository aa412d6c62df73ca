//! The issuer checked and completed against the national township gazetteer (issue 20,
//! point 2), on texts written for these tests. Place names are real (they must be in
//! the list); the sentences are not from any report.

use fazhi_analyze::gazetteer::{self, Resolution};
use fazhi_analyze::{Report, analyze_text};

fn read(text: &str) -> Report {
    analyze_text("t.txt", text)
}

const BODY: &str = "一、主要举措和成效\n（一）加强组织领导。全年开展普法宣传活动12场次。\n\
    二、存在的不足\n执法力量不足。\n三、下一步工作安排\n继续推进依法行政。\n";

fn title(issuer: &str) -> String {
    format!("{issuer}\n关于2024年法治政府建设情况的报告\n{BODY}")
}

#[test]
fn a_unique_name_gets_its_code_county_city_and_province() {
    let r = read(&title("横店镇人民政府"));
    assert_eq!(r.issuer.as_deref(), Some("横店镇"));
    assert_eq!(r.issuer_code.as_deref(), Some("330783123"));
    assert_eq!(r.county.as_deref(), Some("东阳市"));
    assert_eq!(r.city.as_deref(), Some("金华市"));
    assert_eq!(r.province.as_deref(), Some("浙江省"));
    assert_eq!(r.issuer_basis.confidence, Some("high"));
    assert_eq!(r.issuer_basis.note, None);
}

#[test]
fn a_municipality_has_no_city() {
    let r = read(&title("重庆市江北区五里店街道办事处"));
    assert_eq!(r.issuer.as_deref(), Some("五里店街道"));
    assert_eq!(r.issuer_code.as_deref(), Some("500105007"));
    assert_eq!(r.county.as_deref(), Some("江北区"));
    assert_eq!(r.city, None);
    assert_eq!(r.province.as_deref(), Some("重庆市"));
}

#[test]
fn a_street_office_listed_with_its_office_suffix_is_found() {
    // The list has 保康街道办事处; the reader's short name is 保康街道.
    let r = read(&title("保康街道办事处"));
    assert_eq!(r.issuer.as_deref(), Some("保康街道"));
    assert_eq!(r.issuer_code.as_deref(), Some("150521403"));
}

#[test]
fn a_shared_name_stays_without_a_code_when_the_text_names_no_county() {
    let r = read(&title("城关镇人民政府"));
    assert_eq!(r.issuer.as_deref(), Some("城关镇"));
    assert_eq!(r.issuer_code, None);
    assert_eq!(r.county, None);
    assert_eq!(r.province, None);
    // Sharing a name is no doubt about the issuer itself.
    assert_eq!(r.issuer_basis.confidence, Some("high"));
    let note = r.issuer_basis.note.unwrap();
    assert!(note.contains("townships are named 城关镇"), "{note}");
}

#[test]
fn a_shared_name_is_placed_by_the_county_in_the_issuer_line() {
    let r = read(&title("清水河县城关镇人民政府"));
    assert_eq!(r.issuer.as_deref(), Some("城关镇"));
    assert_eq!(r.issuer_code.as_deref(), Some("150124100"));
    assert_eq!(r.county.as_deref(), Some("清水河县"));
    assert_eq!(r.city.as_deref(), Some("呼和浩特市"));
    assert_eq!(r.province.as_deref(), Some("内蒙古自治区"));
    assert_eq!(r.issuer_basis.confidence, Some("high"));
}

#[test]
fn a_shared_name_is_placed_by_the_county_named_in_the_body() {
    let text = format!(
        "城关镇人民政府\n关于2024年法治政府建设情况的报告\n\
         2024年，在清水河县委、县政府的领导下，我镇扎实推进法治建设。\n{BODY}"
    );
    let r = read(&text);
    assert_eq!(r.issuer_code.as_deref(), Some("150124100"));
    assert_eq!(r.county.as_deref(), Some("清水河县"));
}

#[test]
fn two_counties_named_leave_a_shared_name_open() {
    // Both counties have a 城关镇: the text does not say which one wrote it.
    let text = format!(
        "城关镇人民政府\n关于2024年法治政府建设情况的报告\n\
         2024年，我镇赴清水河县、和林格尔县学习法治建设经验。\n{BODY}"
    );
    let r = read(&text);
    assert_eq!(r.issuer.as_deref(), Some("城关镇"));
    assert_eq!(r.issuer_code, None);
}

#[test]
fn a_county_outranks_a_province_named_in_the_body() {
    // 内蒙古自治区 holds several 城关镇, 清水河县 only one.
    let text = format!(
        "城关镇人民政府\n关于2024年法治政府建设情况的报告\n\
         2024年，我镇认真落实内蒙古自治区和清水河县法治建设部署。\n{BODY}"
    );
    let r = read(&text);
    assert_eq!(r.issuer_code.as_deref(), Some("150124100"));
}

#[test]
fn a_name_not_in_the_gazetteer_lowers_the_confidence() {
    let r = read(&title("白鹭镇人民政府"));
    assert_eq!(r.issuer.as_deref(), Some("白鹭镇"));
    assert_eq!(r.issuer_code, None);
    assert_eq!(r.issuer_basis.confidence, Some("medium"));
    let note = r.issuer_basis.note.unwrap();
    assert!(note.contains("白鹭镇 is not in"), "{note}");

    // From the body the confidence was medium: now low.
    let text = "一、主要举措和成效\n\
        2024年以来，白鹭镇深入贯彻习近平法治思想，白鹭镇党委定期研究法治工作。\n\
        白鹭镇人民政府严格执行重大行政决策程序，我镇开展普法宣传8场次。\n";
    let r = read(text);
    assert_eq!(r.issuer.as_deref(), Some("白鹭镇"));
    assert_eq!(r.issuer_basis.confidence, Some("low"));
}

#[test]
fn a_name_placed_elsewhere_than_the_issuer_line_says_lowers_the_confidence() {
    // 青石镇 exists (in 常山县 and elsewhere), but not in 示例县.
    let r = read(&title("示例县青石镇人民政府"));
    assert_eq!(r.issuer.as_deref(), Some("青石镇"));
    assert_eq!(r.issuer_code, None);
    assert_eq!(r.issuer_basis.confidence, Some("medium"));
    let note = r.issuer_basis.note.unwrap();
    assert!(note.contains("no 青石镇 in 示例县"), "{note}");
    // Under its real county it is found and stays high.
    let r = read(&title("常山县青石镇人民政府"));
    assert_eq!(r.issuer_code.as_deref(), Some("330822109"));
    assert_eq!(r.issuer_basis.confidence, Some("high"));
}

#[test]
fn no_issuer_no_lookup() {
    let r = read(BODY);
    assert_eq!(r.issuer, None);
    assert_eq!(r.issuer_code, None);
    assert_eq!(r.province, None);
}

#[test]
fn the_json_carries_the_place() {
    let r = read(&title("横店镇人民政府"));
    let v: serde_json::Value = serde_json::from_slice(&serde_json::to_vec(&r).unwrap()).unwrap();
    assert_eq!(v["issuer_code"], "330783123");
    assert_eq!(v["county"], "东阳市");
    assert_eq!(v["city"], "金华市");
    assert_eq!(v["province"], "浙江省");
    // The fast writer gives the same bytes as serde.
    let mut fast = Vec::new();
    fazhi_analyze::json::write_report(&mut fast, &r);
    assert_eq!(fast, serde_json::to_vec(&r).unwrap());
    let r = read(&title("城关镇人民政府"));
    let mut fast = Vec::new();
    fazhi_analyze::json::write_report(&mut fast, &r);
    let v: serde_json::Value = serde_json::from_slice(&fast).unwrap();
    assert!(v["issuer_code"].is_null() && v["city"].is_null());
}

#[test]
fn lookups_by_name_and_code() {
    assert_eq!(gazetteer::townships_named("城关镇").len(), 88);
    assert!(gazetteer::townships_named("白鹭镇").is_empty());
    let p = gazetteer::by_code("150124100000").unwrap();
    assert_eq!((p.name.as_str(), p.county.as_str()), ("城关镇", "清水河县"));
    assert!(gazetteer::len() > 40_000);
    let doc = fazhi_analyze::doc::Doc::new("清水河县");
    assert!(matches!(
        gazetteer::resolve(&doc, "城关镇", None),
        Resolution::Found(ref p, _) if p.code == "150124100"
    ));
}

/// The seeds' issuers (read from `../shared/seeds` when present) are all in the list.
#[test]
fn seed_issuers_are_found() {
    let dir = std::env::var_os("FAZHI_SEEDS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
        });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: seed reports not found in {}", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut found = 0;
    for p in paths {
        let r = read(&std::fs::read_to_string(&p).unwrap());
        println!(
            "{}: {:?} {:?} {:?} {:?}",
            p.display(),
            r.issuer,
            r.issuer_code,
            r.county,
            r.province
        );
        if r.issuer.is_some() {
            assert!(r.issuer_code.is_some(), "{:?}", r.issuer_basis);
            assert_eq!(r.issuer_basis.confidence, Some("high"));
            found += 1;
        }
    }
    assert!(found >= 4, "{found}");
}
