//! The demo district 清溪区: a realistic, fictional organisation with its accounts
//! (`seed`), two years of matters (`matters::seed`) and a year of enforcement cases
//! (`enforcement::seed`). `fazhi demo` serves it; tests
//! and the capacity benchmarks build on it. Production code does not depend on it.

pub mod advisers;
pub mod annual;
pub mod contracts;
pub mod decisions;
pub mod duties;
pub mod education;
pub mod enforcement;
pub mod litigation;
pub mod major;
pub mod matter_files;
pub mod matters;
pub mod normative;
pub mod rescue;

use fazhi_core::division::Level;
use fazhi_core::role::Role;
use fazhi_db::Db;
use fazhi_db::admin::divisions::NewDivision;
use fazhi_db::admin::import::{NewGrid, NewUnit};
use fazhi_db::audit::Actor;
use fazhi_db::auth::{grants, users};

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "fazhi-demo";

/// A fictional district code (GB/T 2260 prefix 5001, county part 60 is unused).
const DISTRICT: &str = "500160000000";

/// (township code part, name, is street office, village count)
const TOWNSHIPS: [(&str, &str, bool, usize); 3] = [
    ("101", "青石镇", false, 16),
    ("001", "清溪街道", true, 12),
    ("102", "白沙镇", false, 19),
];

const FIRST: [&str; 24] = [
    "青龙", "石桥", "白鹤", "金竹", "柏林", "桂花", "双河", "长岭", "杨柳", "高峰", "新华", "红岩",
    "梨树", "清泉", "龙井", "凤凰", "永安", "太平", "团结", "和平", "茶园", "枫香", "黄桷", "荷花",
];

/// Unit kinds of a township; the district has its own.
const TOWNSHIP_UNITS: [(&str, &str); 6] = [
    ("综治中心", "综治中心"),
    ("平安法治办", "平安法治办"),
    ("综合行政执法大队", "综合执法大队"),
    ("司法所", "司法所"),
    ("派出所", "派出所"),
    ("信访办", "信访办"),
];

const NUMERALS: [&str; 4] = ["一", "二", "三", "四"];

/// Most townships `fazhi demo --townships` makes.
pub const MAX_TOWNSHIPS: usize = 3 + 2 * FIRST.len();

/// The demo organisation: divisions (with parent codes), grids, units.
pub fn organisation() -> (fazhi_web::admin::import::Plan, Vec<NewUnit>) {
    organisation_of(TOWNSHIPS.len())
}

/// The three named townships, then generated ones (for capacity tests), each with 15
/// villages; `townships` is at most [`MAX_TOWNSHIPS`].
fn township_list(townships: usize) -> Vec<(String, String, bool, usize)> {
    let named = TOWNSHIPS
        .iter()
        .map(|(c, n, s, v)| (c.to_string(), n.to_string(), *s, *v));
    let generated = (0..2 * FIRST.len()).map(|i| {
        let east = if i < FIRST.len() { "" } else { "东" };
        (
            format!("{}", 103 + i),
            format!("{}{east}镇", FIRST[i % FIRST.len()]),
            false,
            15,
        )
    });
    named.chain(generated).take(townships).collect()
}

/// The organisation with `townships` townships.
pub fn organisation_of(townships: usize) -> (fazhi_web::admin::import::Plan, Vec<NewUnit>) {
    let div = |code: String, name: String, level| NewDivision {
        code,
        name,
        level,
        parent_id: None,
        valid_from: Some(time::macros::date!(2025 - 01 - 01)),
        valid_to: None,
    };
    let mut divisions = vec![(div(DISTRICT.into(), "清溪区".into(), Level::County), None)];
    let mut grids = Vec::new();
    let mut units = vec![
        NewUnit {
            division_code: DISTRICT.into(),
            name: "区依法治区办".into(),
            kind: "依法治区办".into(),
        },
        NewUnit {
            division_code: DISTRICT.into(),
            name: "区信访办".into(),
            kind: "信访办".into(),
        },
    ];
    let mut seq = 7usize; // a fixed walk through the name table: same demo every time
    for (t_code, t_name, street, villages) in township_list(townships) {
        let (t_code, t_name) = (t_code.as_str(), t_name.as_str());
        let t_full = format!("500160{t_code}000");
        divisions.push((
            div(t_full.clone(), t_name.into(), Level::Township),
            Some(DISTRICT.into()),
        ));
        for (name, kind) in TOWNSHIP_UNITS {
            // Street offices have no enforcement brigade of their own in many districts;
            // keep one anyway so every township can take enforcement work later.
            units.push(NewUnit {
                division_code: t_full.clone(),
                name: format!("{t_name}{name}"),
                kind: kind.into(),
            });
        }
        // Names are unique within a township, as real ones are (two townships may share one).
        let mut used = std::collections::HashSet::new();
        for v in 0..villages {
            seq = (seq * 5 + 3) % FIRST.len();
            let community = street || v % 5 == 4;
            let suffix = if community { "社区" } else { "村" };
            let v_name = (0..FIRST.len())
                .map(|k| format!("{}{suffix}", FIRST[(seq + v + k) % FIRST.len()]))
                .find(|n| !used.contains(n))
                .expect("more names than villages");
            used.insert(v_name.clone());
            // Communities are numbered from 001, village committees from 200 (rules.md §10).
            let v_code = if community {
                format!("{:03}", v + 1)
            } else {
                format!("{:03}", 200 + v)
            };
            let v_full = format!("500160{t_code}{v_code}");
            divisions.push((
                div(v_full.clone(), v_name, Level::Village),
                Some(t_full.clone()),
            ));
            for (g, numeral) in NUMERALS
                .iter()
                .enumerate()
                .take(2 + (v * 7 + t_code.len()) % 3)
            {
                grids.push(NewGrid {
                    village_code: v_full.clone(),
                    name: format!("第{numeral}网格"),
                    households: Some(120 + ((v * 37 + g * 53) % 180) as i64),
                });
            }
        }
    }
    ((divisions, grids), units)
}

/// (username, display name, role, division code) of the demo accounts.
pub fn accounts() -> Vec<(&'static str, &'static str, Role, String)> {
    let town = "500160101000".to_string();
    let village = first_village_of("101");
    vec![
        ("admin", "系统管理员", Role::Admin, DISTRICT.into()),
        (
            "district",
            "区依法治区办 李明",
            Role::DistrictSupervisor,
            DISTRICT.into(),
        ),
        (
            "leader",
            "青石镇镇长 王强",
            Role::TownshipLeader,
            town.clone(),
        ),
        ("center", "综治中心 张丽", Role::CenterStaff, town.clone()),
        (
            "village01",
            "调解员 陈国华",
            Role::VillageMediator,
            village.clone(),
        ),
        ("grid01", "网格员 刘芳", Role::GridWorker, village),
        (
            "enforcer",
            "执法队员 赵刚",
            Role::EnforcementOfficer,
            town.clone(),
        ),
        (
            "enforcer2",
            "执法队员 周伟",
            Role::EnforcementOfficer,
            town.clone(),
        ),
        (
            "reviewer",
            "法制审核员 孙静",
            Role::LegalReviewer,
            town.clone(),
        ),
        ("sifasuo", "司法所 周敏", Role::UnitStaff, town),
    ]
}

fn first_village_of(t_code: &str) -> String {
    organisation()
        .0
        .0
        .into_iter()
        .find(|(d, _)| d.level == Level::Village && d.code[6..9] == *t_code)
        .map(|(d, _)| d.code)
        .expect("demo townships have villages")
}

/// Fills a new database with the demo district; leaves a used one alone.
pub async fn seed(db: &Db) -> anyhow::Result<bool> {
    seed_with(db, TOWNSHIPS.len()).await
}

/// [`seed`] with `townships` townships.
pub async fn seed_with(db: &Db, townships: usize) -> anyhow::Result<bool> {
    if fazhi_db::admin::divisions::count(db).await? > 0 || users::count(db).await? > 0 {
        return Ok(false);
    }
    let actor = Actor::system("demo");
    let ((divisions, grids), units) = organisation_of(townships);
    fazhi_db::admin::import::load(db, &actor, &divisions, &grids, &units).await?;
    // One hash for all demo accounts: they share a published password anyway.
    let hash = fazhi_web::auth::secrets::hash_password(DEMO_PASSWORD.to_string())
        .await
        .map_err(anyhow::Error::msg)?;
    for (username, name, role, code) in accounts() {
        let d = fazhi_db::admin::divisions::by_code(db, &code).await?;
        // Centre staff, enforcement officers and unit staff are members of a unit: what
        // is assigned to it is theirs to handle.
        let unit_kind = match (role, username) {
            (Role::CenterStaff, _) => Some("综治中心"),
            (Role::EnforcementOfficer, _) => Some("综合执法大队"),
            (Role::UnitStaff, "sifasuo") => Some("司法所"),
            _ => None,
        };
        let unit_id = match unit_kind {
            Some(kind) => {
                fazhi_db::admin::units::list(db, std::slice::from_ref(&d.path), Some(d.id), 0, 100)
                    .await?
                    .into_iter()
                    .find(|u| u.kind == kind)
                    .map(|u| u.id)
            }
            None => None,
        };
        let grid_id = if role == Role::GridWorker {
            fazhi_db::admin::grids::list(db, std::slice::from_ref(&d.path), Some(d.id), 0, 1)
                .await?
                .first()
                .map(|g| g.id)
        } else {
            None
        };
        let u = users::create(
            db,
            &actor,
            &users::NewUser {
                username: username.into(),
                display_name: name.into(),
                phone: None,
                password_hash: hash.clone(),
                grid_id,
                unit_id,
            },
        )
        .await?;
        grants::add(db, &actor, u.id, role, d.id).await?;
    }
    Ok(true)
}
