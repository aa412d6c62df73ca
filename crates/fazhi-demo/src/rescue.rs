//! The demo district's remaining education records (issue 17 §2, §7), written through
//! the real storage functions: each township's rescue teams (防汛 and 森林防火, the
//! leaders' phones sealed) and a campaign of the year with its results, and 积分制
//! turned on in 青石镇 with the default points, so its villages'
//! points come from the demo events.

use fazhi_core::division::Level;
use fazhi_core::education::{CampaignFields, PointsRule, RescueTeamFields};
use fazhi_db::Db;
use fazhi_db::admin::divisions;
use fazhi_db::audit::Actor;
use fazhi_db::education::points;
use fazhi_db::education::rescue::{self, At, NewCampaign, NewTeam};
use fazhi_db::pii::Vault;
use time::{Date, Duration};

/// What was added.
#[derive(Debug, Default)]
pub struct Added {
    pub rescue_teams: usize,
    pub campaigns: usize,
    pub townships_with_points: usize,
}

/// The township that counts its villages' points (青石镇).
const POINTS_TOWNSHIP: &str = "500160101000";

const LEADERS: [&str; 6] = ["王强", "刘建国", "陈立", "杨海", "赵勇", "周平"];

/// Adds the records of every township, dated up to `today`.
pub async fn seed(db: &Db, vault: &Vault, today: Date) -> anyhow::Result<Added> {
    let actor = Actor::system("demo");
    let mut added = Added::default();
    let all = divisions::tree(db, &["/".to_string()]).await?;
    for (i, township) in all
        .iter()
        .filter(|d| d.level == Level::Township)
        .enumerate()
    {
        let at = At {
            division_id: township.id,
            division_path: township.path.clone(),
        };
        for (j, (kind, members)) in [("防汛抢险", 24 + i as i64), ("森林防火", 16 + i as i64)]
            .into_iter()
            .enumerate()
        {
            let fields = RescueTeamFields {
                name: format!("{}{kind}应急队", township.name),
                members,
                leader: LEADERS[(2 * i + j) % LEADERS.len()].to_string(),
                leader_phone: Some(format!("1390238{:02}{:02}", i % 100, 10 + j)),
                specialty: Some(kind.to_string()),
                formed_on: Some(today - Duration::days(900 + 30 * i as i64)),
            };
            let team = NewTeam {
                fields,
                at: at.clone(),
                keep_phone: false,
            };
            rescue::create_team(db, vault, &actor, &team).await?;
            added.rescue_teams += 1;
        }
        let starts_on = (today - Duration::days(120))
            .max(Date::from_calendar_date(today.year(), time::Month::January, 1).expect("a day"));
        let campaign = NewCampaign {
            fields: CampaignFields {
                name: "汛期安全隐患排查整治专项行动".into(),
                starts_on,
                ends_on: Some(starts_on + Duration::days(60)),
                results: Some(format!(
                    "排查隐患{}处，整改{}处，转移群众{}人",
                    12 + i,
                    10 + i,
                    30 * (i + 1)
                )),
            },
            at,
        };
        rescue::create_campaign(db, &actor, &campaign).await?;
        added.campaigns += 1;
        if township.code == POINTS_TOWNSHIP {
            let rule = PointsRule {
                enabled: true,
                ..PointsRule::default()
            };
            points::save(db, &actor, township.id, None, &rule).await?;
            added.townships_with_points += 1;
        }
    }
    Ok(added)
}
