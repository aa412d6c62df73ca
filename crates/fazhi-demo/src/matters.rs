//! Two years of fictional matters for the demo district, made by walking each one
//! through the real state machine (`fazhi_core::matter::apply`) day by day, so every
//! stored state and timeline is one the workflow can produce.

use fazhi_core::calendar::Calendar;
use fazhi_core::matter::{
    Action, Assignee, AssigneeKind, Channel, ClosureType, DEFAULT_CATEGORIES, DeadlineRules, Hands,
    Kind, MatterState, MediationOutcome, PetitionOpinion, RiskLevel, Route, Satisfaction, Status,
    SupervisionLevel, TrackingCode, apply, apply_as,
};
use fazhi_core::party::{self, PartyRole};
use fazhi_db::Db;
use fazhi_db::admin::{divisions, grids, units};
use fazhi_db::audit::Actor;
use fazhi_db::matters::{NewEvent, NewMatter, NewParty, bulk};
use fazhi_db::pii::Vault;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration};

/// Matters per township when `fazhi demo` creates the district.
pub const DEFAULT_PER_TOWNSHIP: usize = 3000;

/// Matters inserted per transaction.
const BATCH: usize = 500;

const SURNAMES: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "罗", "高", "林", "谭", "冉", "向", "秦", "蒋", "邓", "唐", "熊", "彭", "余",
];
const GIVEN: [&str; 24] = [
    "建国", "秀英", "德明", "桂兰", "志强", "小红", "永福", "淑珍", "国平", "玉兰", "长江", "春梅",
    "光荣", "翠花", "家兴", "明华", "大勇", "素芬", "海燕", "文军", "兴旺", "丽", "平", "军",
];

/// (category code, summary templates; `{v}` is the village, `{n}` a name).
const SUMMARIES: [(&str, &[&str]); 18] = [
    (
        "neighbour",
        &[
            "{v}村民{n}反映邻居修建围墙占用公共通道，双方多次争吵",
            "{n}与邻居因排水沟堵塞积水浸泡房屋发生纠纷",
        ],
    ),
    (
        "marriage_family",
        &[
            "{n}夫妻因家庭琐事长期争吵，女方要求离婚并分割财产",
            "{v}{n}与儿媳因赡养及家务分工产生矛盾",
        ],
    ),
    (
        "inheritance_support",
        &[
            "{n}兄妹三人因父母赡养费用分担发生争议",
            "{n}家族成员因老宅继承份额产生纠纷",
        ],
    ),
    (
        "land_rights",
        &[
            "{v}{n}与邻组村民因承包地边界不清发生争执，要求重新丈量",
            "{n}反映林地确权面积与实际不符",
        ],
    ),
    (
        "homestead",
        &[
            "{n}与邻居因宅基地界址发生争议，影响建房",
            "{v}{n}反映邻户新建房屋超占宅基地",
        ],
    ),
    (
        "unpaid_wages",
        &[
            "{n}等12名务工人员反映某建筑工地拖欠工资约8.6万元",
            "{n}反映在本地加工厂务工被拖欠3个月工资",
        ],
    ),
    (
        "property_management",
        &[
            "{v}小区业主{n}反映物业服务差、电梯长期停运",
            "{n}反映物业公司擅自提高停车费",
        ],
    ),
    (
        "expropriation",
        &[
            "{n}对征地补偿标准有异议，要求复核青苗补偿",
            "{v}{n}反映房屋征收安置房交付延期",
        ],
    ),
    (
        "traffic_accident",
        &[
            "{n}驾驶摩托车与三轮车相撞受伤，双方就赔偿协商未果",
            "{v}路口交通事故，{n}要求对方赔偿医疗费",
        ],
    ),
    (
        "consumer",
        &[
            "{n}在场镇购买的冰箱出现质量问题，商家拒绝退换",
            "{n}反映农资店销售的化肥疑似假冒",
        ],
    ),
    (
        "environment",
        &[
            "{v}{n}反映养殖场粪污直排污染稻田",
            "{n}反映夜间工地施工噪音扰民",
        ],
    ),
    (
        "contract_debt",
        &[
            "{n}与同村村民因借款2万元到期未还发生纠纷",
            "{n}反映土地流转租金未按合同支付",
        ],
    ),
    (
        "construction",
        &[
            "{n}反映自建房承包人偷工减料，墙体开裂",
            "{v}{n}与施工队因工程款结算发生争议",
        ],
    ),
    (
        "medical",
        &[
            "{n}对卫生院诊疗结果有异议，要求赔偿",
            "{n}家属反映村卫生室用药不当",
        ],
    ),
    (
        "damage_compensation",
        &[
            "{n}家的狗咬伤邻居小孩，双方就赔偿金额协商不成",
            "{v}{n}反映邻居放养的鸡鸭毁坏菜地",
        ],
    ),
    (
        "village_affairs",
        &[
            "{v}村民{n}要求公开集体经济收支情况",
            "{n}反映村组道路硬化项目资金使用不透明",
        ],
    ),
    (
        "social_security",
        &[
            "{n}反映低保资格被取消，要求说明理由",
            "{n}咨询城乡居民养老保险补缴政策",
        ],
    ),
    (
        "other",
        &["{n}反映场镇占道经营影响通行", "{v}{n}咨询法律援助申请条件"],
    ),
];

/// What a township offers the generator.
struct Township {
    villages: Vec<Village>,
    units: Vec<(i64, String, String)>, // (id, kind, division path)
}

struct Village {
    id: i64,
    name: String,
    path: String,
    grids: Vec<i64>,
}

async fn townships(db: &Db) -> anyhow::Result<Vec<Township>> {
    let everything = vec!["/".to_string()];
    let all = divisions::tree(db, &everything).await?;
    let all_grids = grids::list(db, &everything, None, 0, 100_000).await?;
    let all_units = units::list(db, &everything, None, 0, 100_000).await?;
    let mut out = Vec::new();
    for t in all
        .iter()
        .filter(|d| d.level == fazhi_core::division::Level::Township)
    {
        let villages = all
            .iter()
            .filter(|d| d.parent_id == Some(t.id))
            .map(|v| Village {
                id: v.id,
                name: v.name.clone(),
                path: v.path.clone(),
                grids: all_grids
                    .iter()
                    .filter(|g| g.division_id == v.id)
                    .map(|g| g.id)
                    .collect(),
            })
            .collect::<Vec<_>>();
        let units = all_units
            .iter()
            .filter(|u| u.division_id == t.id)
            .map(|u| (u.id, u.kind.clone(), u.division_path.clone()))
            .collect();
        if !villages.is_empty() {
            out.push(Township { villages, units });
        }
    }
    Ok(out)
}

fn person(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES.choose(rng).expect("names"),
        GIVEN.choose(rng).expect("names")
    )
}

/// A random ID number with a correct GB 11643 check digit (fictional region 500160).
fn id_number(rng: &mut StdRng) -> String {
    let birth = Date::from_ordinal_date(rng.random_range(1945..2004), rng.random_range(1..=365))
        .expect("valid ordinal");
    let first17 = format!(
        "500160{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month() as u8,
        birth.day(),
        rng.random_range(0..1000)
    );
    let check = party::id_check_digit(&first17).expect("17 digits");
    format!("{first17}{check}")
}

fn phone(rng: &mut StdRng) -> String {
    let prefix = ["138", "139", "150", "151", "177", "180", "187", "199"]
        .choose(rng)
        .expect("prefixes");
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

fn new_party(role: PartyRole, name: String, idn: Option<String>, ph: Option<String>) -> NewParty {
    NewParty {
        role,
        id_number_mask: idn.as_deref().map(party::mask_id_number),
        phone_mask: ph.as_deref().map(party::mask_phone),
        name,
        id_number: idn,
        phone: ph,
        address: None,
    }
}

fn pick_kind(rng: &mut StdRng) -> Kind {
    match rng.random_range(0..100) {
        0..55 => Kind::Dispute,
        55..75 => Kind::Petition,
        75..87 => Kind::Complaint,
        87..94 => Kind::Suggestion,
        _ => Kind::Consultation,
    }
}

fn pick_channel(rng: &mut StdRng, kind: Kind) -> Channel {
    use Channel::*;
    let choices: &[Channel] = match kind {
        Kind::Dispute => &[
            Visit,
            Visit,
            GridReport,
            GridReport,
            Phone,
            PoliceReferral,
            CourtReferral,
            Minhu,
            Hotline12345,
        ],
        Kind::Petition => &[
            Visit,
            Visit,
            Letter,
            PetitionSystem,
            PetitionSystem,
            Phone,
            Online,
        ],
        Kind::Complaint => &[Hotline12345, Hotline12345, Minhu, Phone, Online, Visit],
        _ => &[Visit, Phone, Online, Minhu, Other],
    };
    *choices.choose(rng).expect("channels")
}

fn pick_category(rng: &mut StdRng) -> &'static str {
    // Neighbour, family and land quarrels dominate township ledgers.
    let weights: [u32; 18] = [18, 10, 6, 10, 7, 6, 4, 4, 5, 3, 5, 6, 3, 2, 4, 3, 2, 2];
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return DEFAULT_CATEGORIES[i].code;
        }
        x -= w;
    }
    "other"
}

/// Walks one matter through the workflow and records each step.
struct Walk<'a> {
    state: MatterState,
    history: Vec<NewEvent>,
    cal: &'a Calendar,
    rules: &'a DeadlineRules,
    actor: &'a Actor,
    /// Who records the handling unit's or village's own steps.
    handlers: &'a Handlers,
    today: Date,
    rng: StdRng,
}

/// The person who records a handler's steps: the demo account that is a member of the
/// unit or mediates in the village, else the handler's 经办人 by name (no account), so a
/// timeline never shows the centre signing for a unit.
type Handlers = std::collections::HashMap<(AssigneeKind, i64), Actor>;

async fn handlers(db: &Db) -> anyhow::Result<Handlers> {
    let everything = vec!["/".to_string()];
    let named = |name: String| Actor {
        id: None,
        name,
        shown: None,
    };
    let mut out = Handlers::new();
    for u in units::list(db, &everything, None, 0, 100_000).await? {
        out.insert(
            (AssigneeKind::Unit, u.id),
            named(format!("{}经办人", u.name)),
        );
    }
    for d in divisions::tree(db, &everything).await? {
        if d.level == fazhi_core::division::Level::Village {
            out.insert(
                (AssigneeKind::Division, d.id),
                named(format!("{}调解员", d.name)),
            );
        }
    }
    for username in ["sifasuo", "enforcer", "village01"] {
        let Ok(u) = fazhi_db::auth::users::by_username(db, username).await else {
            continue;
        };
        let actor = Actor {
            id: Some(u.id),
            name: u.username.clone(),
            shown: None,
        };
        if let Some(unit) = u.unit_id {
            out.insert((AssigneeKind::Unit, unit), actor.clone());
        }
        if u.unit_id.is_none() {
            for g in fazhi_db::auth::grants::for_user(db, u.id).await? {
                out.insert((AssigneeKind::Division, g.division_id), actor.clone());
            }
        }
    }
    Ok(out)
}

impl Walk<'_> {
    /// Applies `action` on `day`; false (and nothing recorded) when the day is in the
    /// future or the workflow refuses.
    fn step(&mut self, day: Date, action: Action, note: &str) -> bool {
        self.step_by(None, day, action, note)
    }

    /// [`Walk::step`] taken by the handling unit or village (not the centre): its
    /// closing goes to the centre's review.
    fn handler_step(&mut self, day: Date, action: Action, note: &str) -> bool {
        let hands = Hands {
            manage: false,
            handle: true,
            support: false,
        };
        self.step_by(Some(hands), day, action, note)
    }

    fn step_by(&mut self, hands: Option<Hands>, day: Date, action: Action, note: &str) -> bool {
        // A timeline reads in order: no step before the one already taken.
        let last = self.history.last().map(|e| (e.on_date, e.at));
        let day = last.map_or(day, |(d, _)| day.max(d));
        if day > self.today {
            return false;
        }
        // A handler's step is theirs: a co-handler's report is the co-handler's.
        let by = match &action {
            Action::Feedback { by: Some(a), .. } => Some(*a),
            _ => self.state.assignment.as_ref().map(|a| a.assignee),
        };
        let actor = by
            .filter(|_| hands.is_some())
            .and_then(|a| self.handlers.get(&(a.kind, a.id)))
            .unwrap_or(self.actor)
            .clone();
        let t = match hands {
            None => apply(&self.state, &action, day, self.cal, self.rules),
            Some(h) => apply_as(&self.state, &action, h, day, self.cal, self.rules),
        };
        let Ok(t) = t else {
            return false;
        };
        let minutes = self.rng.random_range(0..8 * 60);
        let at = (time::PrimitiveDateTime::new(day, time::Time::MIDNIGHT)
            .assume_offset(time::UtcOffset::from_hms(8, 0, 0).expect("offset"))
            + Duration::minutes(8 * 60 + 30 + minutes))
        .unix_timestamp()
            * 1000;
        let at = last.map_or(at, |(_, before)| {
            at.max(before + 60_000 * self.rng.random_range(3..40))
        });
        self.history.push(NewEvent {
            action: t.action,
            from: Some(t.from),
            to: t.to,
            note: note.into(),
            payload: serde_json::to_string(&action).unwrap_or_else(|_| "{}".into()),
            on_date: day,
            at,
            actor,
        });
        self.state = t.state;
        true
    }

    fn days(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::days(self.rng.random_range(lo..=hi))
    }
}

/// Fills the demo townships with `per_township` matters each, received over the two
/// years before `today`. Returns how many were stored.
pub async fn seed(
    db: &Db,
    vault: &Vault,
    today: Date,
    per_township: usize,
) -> anyhow::Result<usize> {
    let cal = Calendar::builtin();
    let rules = DeadlineRules::default();
    let center = fazhi_db::auth::users::by_username(db, "center").await.ok();
    let staff = Actor {
        id: center.map(|u| u.id),
        name: "center".into(),
        shown: None,
    };
    let by_handler = handlers(db).await?;
    let mut rng = StdRng::seed_from_u64(20_261_124);
    let mut stored = 0usize;
    for (t_index, t) in townships(db).await?.iter().enumerate() {
        // Received days, oldest first, so repeats can point back to earlier petitions.
        let mut days: Vec<Date> = (0..per_township)
            .map(|_| today - Duration::days(rng.random_range(1..=730)))
            .collect();
        days.sort();
        let mut petitions: Vec<Petition> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        for (i, received) in days.into_iter().enumerate() {
            let (m, repeats) = one_matter(
                &mut rng,
                i,
                t_index,
                t,
                received,
                today,
                &cal,
                &rules,
                &staff,
                &by_handler,
                &petitions,
            );
            let slot = (m.state.kind == Kind::Petition && repeats.is_none()).then(|| {
                petitions.push(Petition {
                    id: None,
                    party: m.parties[0].clone(),
                    summary: m.summary.clone(),
                });
                petitions.len() - 1
            });
            pending.push(Pending { m, repeats, slot });
            if pending.len() == BATCH {
                stored += flush(db, vault, &staff, &mut pending, &mut petitions).await?;
            }
        }
        stored += flush(db, vault, &staff, &mut pending, &mut petitions).await?;
    }
    Ok(stored)
}

/// A first petition that later ones may repeat; `id` once stored.
struct Petition {
    id: Option<i64>,
    party: NewParty,
    summary: String,
}

/// A generated matter waiting for its batch: which petition it repeats, and which
/// petition slot it fills.
struct Pending {
    m: NewMatter,
    repeats: Option<usize>,
    slot: Option<usize>,
}

/// Inserts a batch in order in one transaction, linking repeats to the stored ids.
/// A repeat of a petition in the same batch starts a new statement group, so that the
/// petition has its id by then.
async fn flush(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    pending: &mut Vec<Pending>,
    petitions: &mut [Petition],
) -> anyhow::Result<usize> {
    let n = pending.len();
    type Links = Vec<(Option<usize>, Option<usize>)>;
    let (mut ms, links): (Vec<NewMatter>, Links) = pending
        .drain(..)
        .map(|p| (p.m, (p.repeats, p.slot)))
        .unzip();
    let mut tx = db.begin_bulk().await?;
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end < n {
            let waiting = links[end].0.is_some_and(|r| petitions[r].id.is_none());
            if waiting && end > start {
                break;
            }
            ms[end].repeat_of = links[end].0.and_then(|r| petitions[r].id);
            end += 1;
        }
        let batch: Vec<&NewMatter> = ms[start..end].iter().collect();
        let ids = bulk::insert(&mut tx, vault, actor, &batch).await?;
        for (link, id) in links[start..end].iter().zip(ids) {
            if let Some(s) = link.1 {
                petitions[s].id = Some(id);
            }
        }
        start = end;
    }
    tx.commit().await?;
    Ok(n)
}

#[allow(clippy::too_many_arguments)]
fn one_matter(
    rng: &mut StdRng,
    i: usize,
    t_index: usize,
    t: &Township,
    received: Date,
    today: Date,
    cal: &Calendar,
    rules: &DeadlineRules,
    staff: &Actor,
    by_handler: &Handlers,
    petitions: &[Petition],
) -> (NewMatter, Option<usize>) {
    // The first matters of each township cover every channel and category.
    let kind = if i < Channel::ALL.len() {
        [Kind::Dispute, Kind::Petition, Kind::Complaint][i % 3]
    } else {
        pick_kind(rng)
    };
    let channel = Channel::ALL
        .get(i)
        .copied()
        .unwrap_or_else(|| pick_channel(rng, kind));
    let category = DEFAULT_CATEGORIES
        .get(i)
        .map(|c| c.code)
        .unwrap_or_else(|| pick_category(rng));
    let village = t.villages.choose(rng).expect("villages");
    let grid_id = if rng.random_bool(0.7) {
        village.grids.choose(rng).copied()
    } else {
        None
    };
    // About one petition in fifteen repeats an earlier one by the same person.
    let repeat = (kind == Kind::Petition && !petitions.is_empty() && rng.random_bool(0.07))
        .then(|| rng.random_range(0..petitions.len()));
    let name = person(rng);
    let (summary, mut parties, repeat_of) = match repeat {
        Some(r) => (
            format!("再次反映：{}", petitions[r].summary),
            vec![petitions[r].party.clone()],
            Some(r),
        ),
        None => {
            let template = SUMMARIES
                .iter()
                .find(|(c, _)| *c == category)
                .map_or("{n}反映问题", |(_, t)| {
                    t.choose(rng).expect("templates")
                });
            let summary = template.replace("{v}", &village.name).replace("{n}", &name);
            let role = match kind {
                Kind::Dispute => PartyRole::Applicant,
                Kind::Petition => PartyRole::Petitioner,
                Kind::Complaint => PartyRole::Complainant,
                _ => PartyRole::Reporter,
            };
            let idn = rng.random_bool(0.8).then(|| id_number(rng));
            let ph = rng.random_bool(0.9).then(|| phone(rng));
            (summary, vec![new_party(role, name, idn, ph)], None)
        }
    };
    if kind == Kind::Dispute {
        let other = person(rng);
        let ph = rng.random_bool(0.5).then(|| phone(rng));
        parties.push(new_party(PartyRole::Respondent, other, None, ph));
    }
    let mut w = Walk {
        state: MatterState::register(kind, channel, received, cal, rules),
        history: Vec::new(),
        cal,
        rules,
        actor: staff,
        handlers: by_handler,
        today,
        rng: StdRng::seed_from_u64((t_index * 1_000_003 + i) as u64),
    };
    w.history.push(NewEvent {
        action: fazhi_core::matter::ActionCode::Register,
        from: None,
        to: Status::Registered,
        note: String::new(),
        payload: "{}".into(),
        on_date: received,
        at: (time::PrimitiveDateTime::new(received, time::Time::from_hms(9, 0, 0).expect("time"))
            .assume_offset(time::UtcOffset::from_hms(8, 0, 0).expect("offset")))
        .unix_timestamp()
            * 1000,
        actor: staff.clone(),
    });
    let assignee_path = walk(&mut w, t, village, received);
    let m = NewMatter {
        tracking_code: TrackingCode::generate(rng).as_str().to_string(),
        category: category.into(),
        division_id: village.id,
        division_path: village.path.clone(),
        grid_id,
        summary,
        address: None,
        state: w.state,
        repeat_of: None,
        parties,
        photos: Vec::new(),
        today: received,
        assignee_path,
        history: w.history,
        source_ref: None,
    };
    (m, repeat_of)
}

/// The life of one matter; returns the path of its assignee, if it was assigned.
fn walk(w: &mut Walk, t: &Township, village: &Village, received: Date) -> Option<String> {
    let mut day = received + w.days(0, 2);
    if w.rng.random_bool(0.03) {
        w.step(
            day,
            Action::Reject {
                reason: "不属于本机关职责范围，已告知向有权机关提出".into(),
            },
            "",
        );
        return None;
    }
    if !w.step(day, Action::Accept, "") {
        return None;
    }
    // The centre assesses the risk (研判) of some matters at intake.
    if w.rng.random_bool(0.12) {
        let risk = match w.rng.random_range(0..100) {
            0..8 => RiskLevel::Red,
            8..30 => RiskLevel::Orange,
            30..65 => RiskLevel::Yellow,
            _ => RiskLevel::Blue,
        };
        let group_people = w.rng.random_bool(0.2).then(|| w.rng.random_range(5..=60));
        let summary = match (risk, group_people) {
            (_, Some(_)) => "涉及人数较多，诉求集中，须专人跟进",
            (RiskLevel::Red | RiskLevel::Orange, None) => "当事人情绪激动，矛盾有激化苗头",
            _ => "矛盾较为清楚，按常规调处",
        };
        let assess = Action::Assess {
            risk,
            urgent: w.rng.random_bool(0.2),
            group_people,
            summary: summary.into(),
        };
        w.step(day, assess, summary);
    }
    // Villages mediate most disputes themselves; the rest go to a township unit.
    let (assignee, path) = if w.state.kind == Kind::Dispute && w.rng.random_bool(0.45) {
        (
            Assignee {
                kind: AssigneeKind::Division,
                id: village.id,
            },
            village.path.clone(),
        )
    } else {
        let wanted: &[&str] = match w.state.kind {
            Kind::Petition => &["信访办", "司法所", "平安法治办"],
            Kind::Complaint => &["综合执法大队", "平安法治办", "派出所"],
            _ => &["司法所", "派出所", "综合执法大队", "平安法治办"],
        };
        let kind = wanted.choose(&mut w.rng).expect("unit kinds");
        let (id, _, path) = t
            .units
            .iter()
            .find(|(_, k, _)| k == kind)
            .or_else(|| t.units.first())
            .expect("units");
        (
            Assignee {
                kind: AssigneeKind::Unit,
                id: *id,
            },
            path.clone(),
        )
    };
    // Some matters need a second unit (协办): the lead handles, the other reports too.
    let co_handlers: Vec<Assignee> =
        if assignee.kind == AssigneeKind::Unit && w.rng.random_bool(0.12) {
            t.units
                .iter()
                .filter(|(id, k, _)| *id != assignee.id && (k == "派出所" || k == "司法所"))
                .map(|(id, _, _)| Assignee {
                    kind: AssigneeKind::Unit,
                    id: *id,
                })
                .take(1)
                .collect()
        } else {
            Vec::new()
        };
    day += w.days(0, 1);
    if !w.step(
        day,
        Action::Assign {
            assignee,
            co_handlers: co_handlers.clone(),
            due: None,
        },
        "",
    ) {
        return None;
    }
    if let Some(c) = co_handlers.first() {
        let summary = "协办单位已配合走访核实，情况已告知承办单位";
        let on = day + w.days(1, 5);
        let report = Action::Feedback {
            summary: summary.into(),
            result: false,
            by: Some(*c),
        };
        w.handler_step(on, report, summary);
    }
    day += w.days(0, 2);
    if !w.handler_step(day, Action::Acknowledge, "") {
        return Some(path);
    }
    // A few units send work back that is not theirs (退回); the centre assigns it again.
    let mut path = path;
    if assignee.kind == AssigneeKind::Unit && w.rng.random_bool(0.04) {
        let reason = "该事项不属于本单位职责范围，请重新交办";
        let other = t
            .units
            .iter()
            .find(|(id, k, _)| *id != assignee.id && k == "平安法治办");
        if let Some((id, _, p)) = other
            && w.handler_step(
                day,
                Action::Return {
                    reason: reason.into(),
                },
                reason,
            )
        {
            day += w.days(0, 1);
            let again = Action::Assign {
                assignee: Assignee {
                    kind: AssigneeKind::Unit,
                    id: *id,
                },
                co_handlers: Vec::new(),
                due: None,
            };
            if !w.step(day, again, "") {
                return None;
            }
            path = p.clone();
            day += w.days(0, 1);
            if !w.handler_step(day, Action::Acknowledge, "") {
                return Some(path);
            }
        }
    }
    let due = w.state.handling.as_ref().map_or(day, |h| h.due);
    // Most close well inside the deadline; a few run late, a few stall and get supervised.
    let stalled = w.rng.random_bool(0.025);
    let late = w.rng.random_bool(0.08);
    let span = (due - day).whole_days().max(1);
    let close_day = if late {
        due + w.days(1, 20)
    } else {
        day + Duration::days(w.rng.random_range(1..=span))
    };
    if w.state.kind == Kind::Petition && w.rng.random_bool(0.05) {
        let on = day + w.days(3, 20);
        w.step(
            on,
            Action::Extend {
                days: 30,
                reason: "案情复杂，需补充调查".into(),
                approved_by: "镇长".into(),
            },
            "",
        );
    }
    if w.state.kind.allows_mediation() {
        for _ in 0..w.rng.random_range(1..=3) {
            let held = day
                + Duration::days(
                    w.rng
                        .random_range(0..=(close_day - day).whole_days().max(0)),
                );
            if held > w.today || held > close_day {
                break;
            }
            w.handler_step(
                held,
                Action::RecordMediation {
                    held_on: held,
                    summary: "组织双方当面调解，释法说理".into(),
                    outcome: None,
                },
                "组织双方当面调解，释法说理",
            );
        }
    }
    // Units report progress (反馈) along the way.
    if w.rng.random_bool(0.3) {
        let on = day + Duration::days((close_day - day).whole_days().max(0) / 2);
        let summary = "已约谈双方当事人，正在调查核实";
        let by = w.state.assignment.as_ref().map(|a| a.assignee);
        w.handler_step(
            on,
            Action::Feedback {
                summary: summary.into(),
                result: false,
                by,
            },
            summary,
        );
    }
    if stalled || close_day > w.today {
        // Still open: supervise it once it is overdue.
        let due = w.state.handling.as_ref().map_or(w.today, |h| h.due);
        if due < w.today {
            let late_days = (w.today - due).whole_days();
            let level = match late_days {
                0..=7 => SupervisionLevel::Normal,
                8..=30 => SupervisionLevel::YellowCard,
                _ => SupervisionLevel::RedCard,
            };
            w.step(
                w.today.min(due + Duration::days(3)),
                Action::Supervise {
                    level,
                    reason: "超过办理期限未办结".into(),
                },
                "超过办理期限未办结",
            );
        }
        return Some(path);
    }
    let Some(closed) = close(w, close_day) else {
        return Some(path);
    };
    let mut follow = closed + w.days(1, 7);
    if !follow_up(w, follow) {
        return Some(path);
    }
    if w.state.follow_up.as_ref().map(|f| f.satisfaction) == Some(Satisfaction::Dissatisfied)
        && w.rng.random_bool(0.5)
    {
        follow += w.days(1, 5);
        if w.step(
            follow,
            Action::Reopen {
                reason: "回访不满意，重新办理".into(),
            },
            "",
        ) {
            let again = follow + w.days(5, 25);
            let summary = "再次上门调解，补充落实协议内容";
            let step = Action::Feedback {
                summary: summary.into(),
                result: true,
                by: w.state.assignment.as_ref().map(|a| a.assignee),
            };
            if again <= w.today
                && w.handler_step(again, step, summary)
                && let Some(closed) = close(w, again)
            {
                let on = closed + w.days(1, 5);
                follow_up(w, on);
            }
        }
    }
    if w.state.status == Status::FollowedUp && (w.today - follow).whole_days() > 90 {
        let on = follow + w.days(30, 80);
        w.step(on, Action::Archive, "");
    }
    Some(path)
}

/// The handler closes on `on` and the centre reviews it (审核): most closings pass, a
/// few are sent back and closed again after more work, the latest still wait. Returns
/// the day the closing was approved.
fn close(w: &mut Walk, on: Date) -> Option<Date> {
    if !submit_closing(w, on) {
        return None;
    }
    // The latest closings still wait for the centre (待审核).
    if (w.today - on).whole_days() <= 10 && w.rng.random_bool(0.5) {
        return None;
    }
    let mut review = on + w.days(0, 3);
    if w.rng.random_bool(0.06) {
        let reason = "办结材料不全，请补充调解协议或书面答复后再报";
        if !w.step(
            review,
            Action::RejectClosure {
                reason: reason.into(),
            },
            reason,
        ) {
            return None;
        }
        let again = review + w.days(1, 6);
        let summary = "已补充调解协议和书面答复";
        let step = Action::Feedback {
            summary: summary.into(),
            result: true,
            by: w.state.assignment.as_ref().map(|a| a.assignee),
        };
        if !w.handler_step(again, step, summary) || !submit_closing(w, again) {
            return None;
        }
        review = again + w.days(0, 3);
    }
    w.step(review, Action::ApproveClosure, "").then_some(review)
}

/// The handler's 办结 with its details, sent to the centre's review.
fn submit_closing(w: &mut Walk, on: Date) -> bool {
    let kind = w.state.kind;
    let (outcome, resolved, directed_to) = if kind == Kind::Dispute {
        match w.rng.random_range(0..100) {
            0..76 => (Some(MediationOutcome::Success), true, None),
            76..86 => (
                Some(MediationOutcome::Partial),
                w.rng.random_bool(0.5),
                None,
            ),
            _ => (
                Some(MediationOutcome::Failed),
                false,
                Some(
                    *[Route::Litigation, Route::Arbitration, Route::Administrative]
                        .choose(&mut w.rng)
                        .expect("routes"),
                ),
            ),
        }
    } else {
        (None, w.rng.random_bool(0.9), None)
    };
    let opinion = (kind == Kind::Petition).then(|| {
        *[
            PetitionOpinion::Support,
            PetitionOpinion::Explain,
            PetitionOpinion::NotSupport,
        ]
        .choose(&mut w.rng)
        .expect("opinions")
    });
    let closure_type = if resolved {
        ClosureType::Substantive
    } else if w.rng.random_bool(0.5) {
        ClosureType::Interim
    } else {
        ClosureType::Procedural
    };
    w.handler_step(
        on,
        Action::Close {
            closure_type,
            resolved,
            outcome,
            directed_to,
            opinion,
        },
        "",
    )
}

fn follow_up(w: &mut Walk, on: Date) -> bool {
    let satisfaction = match w.rng.random_range(0..100) {
        0..78 => Satisfaction::Satisfied,
        78..93 => Satisfaction::BasicallySatisfied,
        93..97 => Satisfaction::Dissatisfied,
        _ => Satisfaction::Unreachable,
    };
    w.step(on, Action::FollowUp { satisfaction }, "")
}
