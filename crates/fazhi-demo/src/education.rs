//! A year of legal education in the demo district: events on the theme days and the
//! 六进 rounds across every village, monthly 会前学法 and quarterly 中心组学法 with
//! attendance in 青石镇 (the township with accounts), a yearly exam per township, and
//! the rosters of every village,
//! one of 青石镇's villages short of 法律明白人 so the gap list has something to show;
//! with a file store, photos (small PNGs drawn here) of 青石镇's latest events and its
//! enterprise visits (`seed_photos`).

use fazhi_core::division::Level;
use fazhi_core::education::ExamResult;
use fazhi_core::education::{
    EventFields, EventKind, RosterFields, RosterRole, StudyFields, StudyKind, default_theme_days,
};
use fazhi_db::Db;
use fazhi_db::admin::{divisions, grids, units};
use fazhi_db::audit::Actor;
use fazhi_db::education::events::{self, NewEvent};
use fazhi_db::education::exams::{self, NewExam};
use fazhi_db::education::roster::{self, NewPerson};
use fazhi_db::education::study::{self, NewStudy};
use fazhi_db::education::{Place, themes};
use fazhi_db::pii::Vault;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration};

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 16] = [
    "建华", "秀英", "国强", "桂芳", "志明", "玉兰", "德福", "春梅", "永红", "晓燕", "成刚", "丽君",
    "海涛", "淑珍", "开明", "小琴",
];
const LAWS: [&str; 10] = [
    "宪法",
    "民法典",
    "反电信网络诈骗法",
    "未成年人保护法",
    "反家庭暴力法",
    "土地管理法",
    "安全生产法",
    "消费者权益保护法",
    "国家安全法",
    "法治宣传教育法",
];
const ROUNDS: [(EventKind, &str); 6] = [
    (EventKind::Villages, "法律明白人入户宣讲"),
    (EventKind::Communities, "社区法治讲堂"),
    (EventKind::Schools, "法治进校园"),
    (EventKind::Enterprises, "企业法治体检宣讲"),
    (EventKind::Agencies, "机关干部学法讲座"),
    (EventKind::Performance, "法治文艺演出"),
];

/// 青石镇, whose second village is short of 法律明白人.
const QINGSHI: &str = "500160101000";

/// What was added.
#[derive(Debug, Default)]
pub struct Added {
    pub events: usize,
    pub sessions: usize,
    pub people: usize,
    pub exam_results: usize,
    /// Villages, plan, visits, emergency and 述法 (`duties`).
    pub duties: crate::duties::Added,
    pub rescue: crate::rescue::Added,
}

fn person(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES.choose(rng).expect("names"),
        GIVEN.choose(rng).expect("names")
    )
}

fn laws(rng: &mut StdRng, n: usize) -> Vec<String> {
    let mut out: Vec<String> = LAWS.sample(rng, n).map(|l| l.to_string()).collect();
    out.sort();
    out
}

/// Fills the education records of the last year (up to `today`) for every township.
pub async fn seed(db: &Db, vault: &Vault, today: Date) -> anyhow::Result<Added> {
    let mut rng = StdRng::seed_from_u64(20_251_101);
    let actor = Actor::system("demo");
    let mut added = Added::default();
    let all = divisions::tree(db, &["/".to_string()]).await?;
    let first = today - Duration::days(364);
    let mut theme_days = default_theme_days(first.year());
    if today.year() != first.year() {
        theme_days.extend(default_theme_days(today.year()));
    }
    // The current year's table is stored, as a district would after checking it.
    themes::replace(db, &actor, today.year(), &default_theme_days(today.year())).await?;
    for township in all.iter().filter(|d| d.level == Level::Township) {
        let villages: Vec<_> = all
            .iter()
            .filter(|d| d.level == Level::Village && d.parent_id == Some(township.id))
            .collect();
        let unit_ids: Vec<i64> =
            units::list(db, std::slice::from_ref(&township.path), None, 0, 100)
                .await?
                .into_iter()
                .filter(|u| matches!(u.kind.as_str(), "司法所" | "派出所" | "综合执法大队"))
                .map(|u| u.id)
                .collect();
        let event = |kind: EventKind,
                     theme: Option<(String, String)>,
                     held_on: Date,
                     title: String,
                     rng: &mut StdRng,
                     village: &divisions::DivisionRow| {
            let participants = rng.random_range(20..150);
            let n_laws = rng.random_range(1..3);
            NewEvent {
                fields: EventFields {
                    kind,
                    theme,
                    held_on,
                    title,
                    place: Some(format!("{}活动室", village.name)),
                    participants,
                    reached: participants * rng.random_range(1..4),
                    materials: rng.random_range(0..5) * 50,
                    laws: laws(rng, n_laws),
                    summary: None,
                },
                place: Place {
                    division_id: village.id,
                    division_path: village.path.clone(),
                    grid_id: None,
                },
                unit_id: unit_ids
                    .choose(rng)
                    .copied()
                    .filter(|_| rng.random_range(0..2) == 0),
            }
        };
        // Theme days: a handful of villages each.
        for t in theme_days
            .iter()
            .filter(|t| t.starts_on >= first && t.starts_on <= today)
        {
            for v in villages.sample(&mut rng, 4) {
                let day = t.starts_on
                    + Duration::days(rng.random_range(0..=(t.ends_on - t.starts_on).whole_days()));
                let day = day.min(today);
                let e = event(
                    EventKind::ThemeDay,
                    Some((t.key.clone(), t.name.clone())),
                    day,
                    format!("{}主题宣传", t.name),
                    &mut rng,
                    v,
                );
                events::create(db, &actor, &e).await?;
                added.events += 1;
            }
        }
        // 六进 rounds: each village about every two months.
        for v in &villages {
            for _ in 0..6 {
                let (kind, title) = *ROUNDS.choose(&mut rng).expect("rounds");
                let day = first + Duration::days(rng.random_range(0..365));
                let e = event(kind, None, day.min(today), title.to_string(), &mut rng, v);
                events::create(db, &actor, &e).await?;
                added.events += 1;
            }
        }
        // Rosters: 3–4 法律明白人, a mediator or two, a grid worker per grid; the second
        // village of 青石镇 has only two 法律明白人.
        for (v_index, v) in villages.iter().enumerate() {
            let village_grids =
                grids::list(db, std::slice::from_ref(&v.path), Some(v.id), 0, 10).await?;
            let literate = if township.code == QINGSHI && v_index == 1 {
                2
            } else {
                rng.random_range(3..5)
            };
            let mut people: Vec<(RosterRole, Option<i64>)> =
                vec![(RosterRole::LegalLiterate, None); literate];
            people.extend(vec![(RosterRole::Mediator, None); rng.random_range(1..3)]);
            people.extend(
                village_grids
                    .iter()
                    .map(|g| (RosterRole::GridWorker, Some(g.id))),
            );
            for (role, grid_id) in people {
                let p = NewPerson {
                    fields: RosterFields {
                        role,
                        name: person(&mut rng),
                        phone: Some(format!("139{:08}", rng.random_range(0..100_000_000u32))),
                        id_number: None,
                        // Hours from the township's trainings; mediators hold the
                        // county's training certificate.
                        training_tenths: Some(i64::from(rng.random_range(4..40u8)) * 5),
                        certificates: (role == RosterRole::Mediator)
                            .then(|| "人民调解员岗位培训合格证".to_string()),
                        note: (role == RosterRole::LegalLiterate).then(|| {
                            ["村民小组长", "五老", "妇女主任", "党员"]
                                .choose(&mut rng)
                                .expect("notes")
                                .to_string()
                        }),
                    },
                    place: Place {
                        division_id: v.id,
                        division_path: v.path.clone(),
                        grid_id,
                    },
                    active: true,
                    keep_phone: false,
                    keep_id: false,
                };
                roster::create(db, vault, &actor, &p).await?;
                added.people += 1;
            }
        }
        // The yearly exam of the township's staff, exported by the exam platform.
        // In this year's figures: 20 November, or today before that.
        let exam_day = Date::from_calendar_date(today.year(), time::Month::November, 20)
            .expect("a day")
            .min(today);
        let unit_names: Vec<String> =
            units::list(db, std::slice::from_ref(&township.path), None, 0, 100)
                .await?
                .into_iter()
                .map(|u| u.name)
                .collect();
        let results: Vec<ExamResult> = (0..rng.random_range(60..90))
            .map(|_| ExamResult {
                name: person(&mut rng),
                unit: unit_names
                    .choose(&mut rng)
                    .cloned()
                    .unwrap_or_else(|| township.name.clone()),
                // One in twenty does not sit it; most pass.
                score: (rng.random_range(0..20) != 0).then(|| rng.random_range(52..=100) as f64),
            })
            .collect();
        added.exam_results += results.len();
        exams::create(
            db,
            &actor,
            &NewExam {
                title: format!("{}年度国家工作人员学法考试", exam_day.year()),
                held_on: exam_day,
                division_id: township.id,
                division_path: township.path.clone(),
                source_name: "考试平台导出.xlsx".into(),
                results,
            },
        )
        .await?;
        // Study sessions where the township has accounts to take attendance from.
        let accounts = study::candidates(db, &township.path).await?;
        let staff: Vec<i64> = accounts
            .iter()
            .filter(|c| c.division_path == township.path)
            .map(|c| c.id)
            .collect();
        if staff.is_empty() {
            continue;
        }
        for month in 0..12 {
            let day = first + Duration::days(month * 30 + rng.random_range(0..10));
            if day > today {
                break;
            }
            let (kind, topic, minutes) = if month % 3 == 2 {
                (StudyKind::CentralGroup, "党委理论学习中心组专题学法", 120)
            } else if month % 4 == 1 {
                (StudyKind::Lecture, "领导干部法治专题讲座", 90)
            } else {
                (StudyKind::PreMeeting, "会前学法", 30)
            };
            let law = laws(&mut rng, 1);
            let s = NewStudy {
                fields: StudyFields {
                    kind,
                    held_on: day,
                    topic: format!("{topic}：学习《{}》", law[0]),
                    speaker: Some(
                        if kind == StudyKind::Lecture {
                            "区司法局法律顾问"
                        } else {
                            "镇党委书记"
                        }
                        .into(),
                    ),
                    minutes,
                    laws: law,
                    summary: None,
                },
                division_id: township.id,
                division_path: township.path.clone(),
                // Now and then someone is away.
                attendance: staff
                    .iter()
                    .map(|id| (*id, rng.random_range(0..8) != 0))
                    .collect(),
            };
            study::create(db, &actor, &s).await?;
            added.sessions += 1;
        }
    }
    added.duties = crate::duties::seed(db, vault, today).await?;
    added.rescue = crate::rescue::seed(db, vault, today).await?;
    Ok(added)
}

/// A small PNG (8-bit RGB) of `w` × `h` pixels coloured by `px`: enough of the format
/// for a photo placeholder, so the demo needs no image files.
pub fn png(w: u32, h: u32, px: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
    }
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for y in 0..h {
        raw.push(0); // filter: none
        for x in 0..w {
            raw.extend(px(x, y));
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).expect("writing to memory");
    let idat = z.finish().expect("writing to memory");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter method, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A placeholder photo: a sky and a field under a sun, its colours from `seed`.
fn scene(seed: u32) -> Vec<u8> {
    let hue = |k: u32| ((seed.wrapping_mul(53).wrapping_add(k * 97)) % 120) as u8;
    png(160, 120, |x, y| {
        let (dx, dy) = (x as i32 - 120, y as i32 - 30);
        if dx * dx + dy * dy < 225 {
            [250, 200, 60]
        } else if y < 70 {
            [90 + hue(1) / 2, 150 + hue(2) / 2, 230]
        } else {
            [60 + hue(3) / 2, 140 + (y as u8 / 2), 70]
        }
    })
}

/// Photos added by [`seed_photos`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Photos {
    pub events: usize,
    pub visits: usize,
    pub files: usize,
}

/// Photos of 青石镇's latest events and of its enterprise visits, stored in the file
/// store at `dir` (as uploads are) and recorded with them. Run after [`seed`].
pub async fn seed_photos(db: &Db, dir: &std::path::Path) -> anyhow::Result<Photos> {
    use fazhi_db::education::files::{self, FileRecord};
    use fazhi_db::education::visits;
    let actor = Actor::system("demo");
    let town = divisions::by_code(db, QINGSHI).await?;
    let roots = [town.path.clone()];
    let mut added = Photos::default();
    let recent = events::list(
        db,
        &roots,
        &events::EventFilter {
            limit: 6,
            ..Default::default()
        },
    )
    .await?;
    for (i, e) in recent.iter().enumerate() {
        let mut photos = Vec::new();
        for n in 0..(1 + i % 2) {
            let bytes = scene((e.id * 3 + n as i64) as u32);
            let name = format!("活动现场{}.png", n + 1);
            photos.push(
                fazhi_web::education::files::store_photo(dir, &name, &bytes)
                    .await
                    .map_err(anyhow::Error::msg)?,
            );
        }
        files::add(
            db,
            &actor,
            FileRecord::Event,
            e.id,
            &e.division_path,
            &photos,
        )
        .await?;
        added.events += 1;
        added.files += photos.len();
    }
    let visited = visits::list(
        db,
        &roots,
        &visits::VisitFilter {
            limit: 10,
            ..Default::default()
        },
    )
    .await?;
    for v in &visited {
        let bytes = scene(1000 + v.id as u32);
        let photo = fazhi_web::education::files::store_photo(dir, "走访现场.png", &bytes)
            .await
            .map_err(anyhow::Error::msg)?;
        files::add(
            db,
            &actor,
            FileRecord::Visit,
            v.id,
            &v.division_path,
            &[photo],
        )
        .await?;
        added.visits += 1;
        added.files += 1;
    }
    Ok(added)
}
