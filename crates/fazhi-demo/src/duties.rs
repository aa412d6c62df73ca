//! The demo district's duties beside publicity, written through the real storage
//! functions: each village's standing (some 示范村, most 村规民约 reviewed, most with a
//! legal adviser), each township's 普法 plan (its progress comes from the demo events),
//! enterprise visits with one issue left open past its day, emergency plans with drills
//! (one never drilled, one due for review), and 青石镇's 述法 statements.

use fazhi_core::division::Level;
use fazhi_core::education::{
    DrillFields, DrillForm, EmergencyPlanFields, EventKind, HeadPost, ModelLevel, PlanItemFields,
    PlanKind, StatementFields, StatementOccasion, StatementRating, VillageFields, VisitFields,
};
use fazhi_db::Db;
use fazhi_db::admin::{divisions, units};
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_db::education::emergency::{self, NewDrill, NewPlan};
use fazhi_db::education::plan::{self, NewPlanItem};
use fazhi_db::education::statements::{self, NewStatement};
use fazhi_db::education::villages;
use fazhi_db::education::visits::{self, NewVisit};
use fazhi_db::pii::Vault;
use time::{Date, Duration, Month};

/// What was added.
#[derive(Debug, Default)]
pub struct Added {
    pub villages: usize,
    pub plan_items: usize,
    pub visits: usize,
    pub emergency_plans: usize,
    pub drills: usize,
    pub statements: usize,
}

const ADVISERS: [&str; 6] = ["林晓", "何志远", "陈静", "周明", "唐雪", "宋立"];
const FIRMS: [&str; 3] = ["清溪律师事务所", "渝清律师事务所", "石桥法律服务所"];
const ENTERPRISES: [&str; 6] = [
    "建材有限公司",
    "食品厂",
    "农业专业合作社",
    "物流有限公司",
    "竹木制品厂",
    "商贸有限公司",
];

/// A demo plan: kind, title, version, approved, filed, next review, last drill.
type DemoPlan = (
    PlanKind,
    &'static str,
    &'static str,
    Date,
    Option<Date>,
    Date,
    Option<Date>,
);

fn day(y: i32, m: Month, d: u8) -> Date {
    Date::from_calendar_date(y, m, d).expect("a day")
}

/// Adds the records of every township, dated up to `today`.
pub async fn seed(db: &Db, vault: &Vault, today: Date) -> anyhow::Result<Added> {
    let actor = Actor::system("demo");
    let mut added = Added::default();
    let all = divisions::tree(db, &["/".to_string()]).await?;
    let year = today.year();
    for (t_index, township) in all
        .iter()
        .filter(|d| d.level == Level::Township)
        .enumerate()
    {
        let villages_of: Vec<_> = all
            .iter()
            .filter(|d| d.level == Level::Village && d.parent_id == Some(township.id))
            .collect();
        for (i, v) in villages_of.iter().enumerate() {
            let model = match (t_index, i) {
                (0, 0) => Some((ModelLevel::Provincial, 2019)),
                (_, 2) => Some((ModelLevel::City, 2021)),
                (_, i) if i % 5 == 4 => Some((ModelLevel::County, 2022 + (i % 3) as i32)),
                _ => None,
            };
            let reviewed = (i % 3 != 2).then(|| {
                (
                    (today - Duration::days(30 + 17 * i as i64)).max(day(
                        year - 1,
                        Month::March,
                        1,
                    )),
                    format!("{}司法所", township.name),
                )
            });
            let adviser = (i % 4 != 3 || t_index == 0).then(|| {
                (
                    ADVISERS[(i + t_index) % ADVISERS.len()].to_string(),
                    Some(FIRMS[i % FIRMS.len()].to_string()),
                )
            });
            let f = VillageFields {
                model,
                rules_review: reviewed,
                adviser,
            };
            villages::save(db, &actor, v.id, &v.path, None, &f).await?;
            added.villages += 1;
        }

        // The plan: the units' laws and planned activities (the events name the same units).
        let township_units =
            units::list(db, std::slice::from_ref(&township.path), None, 0, 100).await?;
        let plan_rows: [(&str, &[&str], Option<EventKind>, i64); 3] = [
            ("司法所", &["民法典", "宪法", "法治宣传教育法"], None, 8),
            ("派出所", &["反电信网络诈骗法", "未成年人保护法"], None, 5),
            (
                "综合执法大队",
                &["安全生产法", "土地管理法"],
                Some(EventKind::Enterprises),
                3,
            ),
        ];
        for (kind, laws, event_kind, planned) in plan_rows {
            let Some(u) = township_units.iter().find(|u| u.kind == kind) else {
                continue;
            };
            plan::create(
                db,
                &actor,
                &NewPlanItem {
                    township_id: township.id,
                    division_path: township.path.clone(),
                    unit_id: u.id,
                    fields: PlanItemFields {
                        year,
                        laws: laws.iter().map(|l| l.to_string()).collect(),
                        kind: event_kind,
                        planned,
                        note: None,
                    },
                },
            )
            .await?;
            added.plan_items += 1;
        }

        // Enterprise visits over the year: most find something, one is left open late.
        for n in 0..6i64 {
            let visited_on =
                (today - Duration::days(20 + 55 * n)).max(day(year, Month::January, 2));
            let place = villages_of.get((n as usize * 3) % villages_of.len().max(1));
            let (division_id, division_path, place_name) = match place {
                Some(v) => (v.id, v.path.clone(), v.name.clone()),
                None => (township.id, township.path.clone(), township.name.clone()),
            };
            let issues = n % 3 != 2;
            let rectify_by = issues.then(|| visited_on + Duration::days(30));
            // The latest visit's issues are still being fixed; the second is overdue.
            let rectified_on = match n {
                0 | 1 => None,
                _ => rectify_by.map(|d| (d - Duration::days(5)).min(today)),
            };
            let fields = VisitFields {
                enterprise: format!(
                    "{}{}",
                    place_name.trim_end_matches(['村', '社', '区']),
                    ENTERPRISES[n as usize % ENTERPRISES.len()]
                ),
                visited_on,
                visitors: format!("{}司法所、法律顾问", township.name),
                contact_name: Some("企业负责人".into()),
                contact_phone: Some(format!("1367{:07}", 1_000_000 + n * 7 + t_index as i64)),
                issues: issues.then(|| {
                    [
                        "劳动合同未按时续签",
                        "安全生产制度未上墙",
                        "合同范本条款不完整",
                    ][n as usize % 3]
                        .to_string()
                }),
                issue_count: if issues { 1 + n % 2 } else { 0 },
                advice: issues.then(|| "出具法治体检意见书，建议限期整改".to_string()),
                rectify_by,
                rectified_on,
            };
            visits::create(
                db,
                vault,
                &actor,
                &NewVisit {
                    fields,
                    division_id,
                    division_path,
                    keep_phone: false,
                },
            )
            .await?;
            added.visits += 1;
        }

        // Emergency plans: filed and drilled, never drilled, due for review.
        let plans: [DemoPlan; 4] = [
            (
                PlanKind::General,
                "突发事件总体应急预案",
                "2023版",
                day(2023, Month::April, 10),
                Some(day(2023, Month::May, 6)),
                day(year + 1, Month::April, 10),
                Some((today - Duration::days(90)).max(day(year, Month::January, 1))),
            ),
            (
                PlanKind::NaturalDisaster,
                "防汛抗旱应急预案",
                "2021版",
                day(2021, Month::May, 8),
                Some(day(2021, Month::June, 1)),
                today + Duration::days(20),
                Some(day(year - 1, Month::June, 12)),
            ),
            (
                PlanKind::NaturalDisaster,
                "森林防灭火应急预案",
                "2022版",
                day(2022, Month::February, 15),
                None,
                day(year + 2, Month::February, 15),
                None,
            ),
            (
                PlanKind::Accident,
                "安全生产事故应急预案",
                "2024版",
                day(2024, Month::March, 1),
                Some(day(2024, Month::March, 20)),
                day(year + 1, Month::March, 1),
                Some(today - Duration::days(200)),
            ),
        ];
        for (kind, title, label, approved_on, filed_on, next_review_on, drilled) in plans {
            let p = emergency::create_plan(
                db,
                &actor,
                &NewPlan {
                    division_id: township.id,
                    division_path: township.path.clone(),
                    fields: EmergencyPlanFields {
                        kind,
                        title: format!("{}{title}", township.name),
                        version_label: label.into(),
                        approved_on,
                        approved_by: format!("{}人民政府", township.name),
                        filed_on,
                        next_review_on,
                        drill_years: 3,
                    },
                },
            )
            .await?;
            added.emergency_plans += 1;
            if let Some(held_on) = drilled.filter(|d| *d <= today) {
                emergency::create_drill(
                    db,
                    &actor,
                    &NewDrill {
                        plan_id: p.id,
                        division_path: township.path.clone(),
                        fields: DrillFields {
                            held_on,
                            scenario: format!("{title}演练"),
                            form: if added.drills % 2 == 0 {
                                DrillForm::Field
                            } else {
                                DrillForm::Tabletop
                            },
                            participants: 40 + (added.drills as i64 * 13) % 60,
                            evaluation: Some("响应及时，信息报送环节偏慢".into()),
                            revisions: Some("补充村级信息员联络表".into()),
                        },
                    },
                )
                .await?;
                added.drills += 1;
            }
        }
    }

    // 青石镇's head states last year's duties in January (rated by the district), and
    // this year's at the year-end meeting in December (before that, at a meeting).
    let qingshi = divisions::by_code(db, "500160101000").await?;
    let (Ok(leader), Ok(district)) = (
        users::by_username(db, "leader").await,
        users::by_username(db, "district").await,
    ) else {
        return Ok(added);
    };
    let district_actor = Actor {
        id: Some(district.id),
        name: "district".into(),
        shown: None,
    };
    let this_year = (today - Duration::days(2)).max(day(year, Month::January, 1));
    let years = [
        (
            year - 1,
            day(year, Month::January, 16),
            StatementOccasion::YearEnd,
        ),
        (
            year,
            this_year,
            if today.month() == Month::December {
                StatementOccasion::YearEnd
            } else {
                StatementOccasion::Meeting
            },
        ),
    ];
    for (y, delivered_on, occasion) in years.into_iter().filter(|(_, d, _)| *d <= today) {
        let s = statements::create(
            db,
            &Actor {
                id: Some(leader.id),
                name: "leader".into(), shown: None,
            },
            &NewStatement {
                township_id: qingshi.id,
                division_path: qingshi.path.clone(),
                user_id: leader.id,
                fields: StatementFields {
                    year: y,
                    post: HeadPost::GovernmentHead,
                    delivered_on,
                    occasion,
                    title: format!("{y}年度履行推进法治建设第一责任人职责情况述法报告"),
                    text: format!(
                        "一、{y}年履职情况\n带头学法，主持党委理论学习中心组学法，落实会前学法制度；重大行政决策全部经合法性审查和集体讨论。\n二、存在的不足\n基层执法规范化水平仍需提高。\n三、下一步打算\n持续推进法治政府建设。"
                    ),
                },
            },
        )
        .await?;
        added.statements += 1;
        if y < year {
            statements::rate(
                db,
                &district_actor,
                s.id,
                s.version,
                StatementRating::Good,
                Some("履职较好，建议加强执法监督".into()),
            )
            .await?;
        }
    }
    Ok(added)
}
