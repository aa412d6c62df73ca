//! Reading matters: one by id, lists with filters and keyset pages, my tasks, the
//! timeline, the public tracking view, other matters of the same person, overdue
//! lists per handling unit. Every read except the public one is scoped.

use fazhi_core::matter::{
    ActionCode, AssigneeKind, Channel, ClosureType, DeadlineKind, Kind, MatterState,
    MediationOutcome, RiskLevel, Satisfaction, Status, SupervisionLevel,
};
use time::Date;

use super::page::{Cursor, Key, MatterSort};
use crate::sql::{Sql, Target, row};
use crate::{Conn, Db, DbError, Result};

row!(
    /// One matter with the names of its place and handler.
    MatterRow {
        id: i64,
        tracking_code: String,
        kind: Kind,
        channel: Channel,
        /// A code of the category list (settings; old codes stay valid for old matters).
        category: String,
        status: Status,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        grid_id: Option<i64>,
        grid_name: Option<String>,
        summary: String,
        address: Option<String>,
        received_on: Date,
        accepted_on: Option<Date>,
        closed_on: Option<Date>,
        due_kind: Option<DeadlineKind>,
        due_on: Option<Date>,
        handling_due: Option<Date>,
        paused: bool,
        assignee_kind: Option<AssigneeKind>,
        assignee_id: Option<i64>,
        assignee_path: Option<String>,
        assignee_name: Option<String>,
        supervision: Option<SupervisionLevel>,
        closure_type: Option<ClosureType>,
        resolved: Option<bool>,
        outcome: Option<MediationOutcome>,
        on_time: Option<bool>,
        satisfaction: Option<Satisfaction>,
        /// The centre's risk level (研判).
        risk: Option<RiskLevel>,
        /// Urgent or red-risk.
        urgent: bool,
        repeat_of: Option<i64>,
        state: String,
        version: i64,
        created_by: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
);

impl MatterRow {
    /// The workflow state stored with the row.
    pub fn state(&self) -> Result<MatterState> {
        serde_json::from_str(&self.state)
            .map_err(|e| DbError::Config(format!("matter {} has a damaged state: {e}", self.id)))
    }
}

/// The select list of a matter row.
const SELECT: &str = "SELECT m.id, m.tracking_code, m.kind, m.channel, m.category, m.status, m.division_id, d.code AS division_code, d.name AS division_name, m.division_path, m.grid_id, g.name AS grid_name, m.summary, m.address, m.received_on, m.accepted_on, m.closed_on, m.due_kind, m.due_on, m.handling_due, m.paused, m.assignee_kind, m.assignee_id, m.assignee_path, COALESCE(au.name, ad.name) AS assignee_name, m.supervision, m.closure_type, m.resolved, m.outcome, m.on_time, m.satisfaction, m.risk, m.urgent, m.repeat_of, m.state, m.version, m.created_by, m.created_at, m.updated_at";
/// Joins that name the place and handler of `m`.
const JOINS: &str = " JOIN divisions d ON d.id = m.division_id LEFT JOIN grids g ON g.id = m.grid_id LEFT JOIN units au ON m.assignee_kind = 'unit' AND au.id = m.assignee_id LEFT JOIN divisions ad ON m.assignee_kind = 'division' AND ad.id = m.assignee_id";
const COLS: &str = "SELECT m.id, m.tracking_code, m.kind, m.channel, m.category, m.status, m.division_id, d.code AS division_code, d.name AS division_name, m.division_path, m.grid_id, g.name AS grid_name, m.summary, m.address, m.received_on, m.accepted_on, m.closed_on, m.due_kind, m.due_on, m.handling_due, m.paused, m.assignee_kind, m.assignee_id, m.assignee_path, COALESCE(au.name, ad.name) AS assignee_name, m.supervision, m.closure_type, m.resolved, m.outcome, m.on_time, m.satisfaction, m.risk, m.urgent, m.repeat_of, m.state, m.version, m.created_by, m.created_at, m.updated_at FROM matters m JOIN divisions d ON d.id = m.division_id LEFT JOIN grids g ON g.id = m.grid_id LEFT JOIN units au ON m.assignee_kind = 'unit' AND au.id = m.assignee_id LEFT JOIN divisions ad ON m.assignee_kind = 'division' AND ad.id = m.assignee_id";

/// The scope condition of matters: their place, or the village they were assigned to.
const SCOPE_COLUMNS: [&str; 2] = ["m.division_path", "m.assignee_path"];

/// Statuses in which a deadline runs.
pub const OPEN_STATUSES: [&str; 6] = [
    "pending",
    "registered",
    "accepted",
    "assigned",
    "in_progress",
    "reviewing",
];

/// One matter by id, unscoped (for the code that just wrote it).
pub async fn by_id(db: &Db, id: i64) -> Result<MatterRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE m.id = ").bind(id);
    q.fetch_one(db.quick()).await
}

/// One matter by id inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<MatterRow> {
    by_id_in(db.quick(), roots, id).await
}

pub(crate) async fn by_id_in(
    to: impl Into<Target<'_>>,
    roots: &[String],
    id: i64,
) -> Result<MatterRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE m.id = ")
        .bind(id)
        .push(" AND ")
        .scope_any(&SCOPE_COLUMNS, roots);
    q.fetch_one(to).await
}

pub(crate) async fn open_page_in(
    conn: &mut Conn,
    after: i64,
    limit: i64,
) -> Result<Vec<MatterRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE m.id > ")
        .bind(after)
        .push(" AND m.status IN (");
    for (i, s) in OPEN_STATUSES.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(s.to_string());
    }
    q.push(") ORDER BY m.id LIMIT ").bind(limit);
    q.fetch_all(&mut *conn).await
}

/// Filters of the matter list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct MatterFilter {
    pub statuses: Vec<String>,
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub category: Option<String>,
    /// Only matters placed inside this division subtree (a path already checked against the scope).
    pub division_path: Option<String>,
    pub grid_id: Option<i64>,
    /// Handled by this unit or village: (`unit` | `division`, id).
    pub assignee: Option<(String, i64)>,
    /// Received on or after this day (YYYY-MM-DD).
    pub received_from: Option<String>,
    /// Received on or before this day.
    pub received_to: Option<String>,
    /// Only matters whose running deadline passed before this day.
    pub overdue_on: Option<String>,
    /// Only repeats (true) or only first petitions (false).
    pub repeat: Option<bool>,
    /// Keywords: found in the summary, party names, place and address.
    pub text: Option<String>,
    /// Registered by this user.
    pub created_by: Option<i64>,
    /// Only the matters a statistic counts, by their stored figure flags.
    pub figure: Option<fazhi_core::stats::Figure>,
    /// 风险等级 code, closure type code, the urgent flag.
    pub risk: Option<String>,
    pub closure_type: Option<String>,
    pub urgent: Option<bool>,
    /// The matter with this 查询码 (canonical form).
    pub tracking_code: Option<String>,
    /// Matters with a party whose ID number or phone has one of these blind indexes.
    pub party_keys: Vec<String>,
    /// Any of these words (a synonym group), or the group's category.
    pub any_words: Option<AnyWords>,
}

/// A synonym group as a filter: matters whose text holds one of the words (each
/// narrowed first by one of its search terms), or of the category.
#[derive(Debug, Clone, Default)]
pub struct AnyWords {
    /// (normalised word, one of its search terms).
    pub words: Vec<(String, String)>,
    pub category: Option<String>,
}

fn push_in(q: &mut Sql, column: &'static str, values: &[String]) {
    q.push(" AND ").push(column).push(" IN (");
    for (i, s) in values.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(s.clone());
    }
    q.push(")");
}

fn push_filter(q: &mut Sql, f: &MatterFilter) {
    if !f.statuses.is_empty() {
        push_in(q, "m.status", &f.statuses);
    }
    let eq: [(&'static str, &Option<String>); 3] = [
        (" AND m.kind = ", &f.kind),
        (" AND m.channel = ", &f.channel),
        (" AND m.category = ", &f.category),
    ];
    for (cond, v) in eq {
        if let Some(v) = v {
            q.push(cond).bind(v.clone());
        }
    }
    if let Some(p) = &f.division_path {
        q.push(" AND m.division_path LIKE ").bind(format!("{p}%"));
    }
    if let Some(g) = f.grid_id {
        q.push(" AND m.grid_id = ").bind(g);
    }
    if let Some((k, id)) = &f.assignee {
        q.push(" AND m.assignee_kind = ").bind(k.clone());
        q.push(" AND m.assignee_id = ").bind(*id);
    }
    if let Some(d) = &f.received_from {
        q.push(" AND m.received_on >= ").bind(d.clone());
    }
    if let Some(d) = &f.received_to {
        q.push(" AND m.received_on <= ").bind(d.clone());
    }
    if let Some(d) = &f.overdue_on {
        q.push(" AND m.paused = 0 AND m.due_on < ").bind(d.clone());
    }
    match f.repeat {
        Some(true) => {
            q.push(" AND m.repeat_of IS NOT NULL");
        }
        Some(false) => {
            q.push(" AND m.repeat_of IS NULL");
        }
        None => {}
    }
    if let Some(fig) = f.figure {
        let (mask, value) = fig.flag_test();
        q.push(" AND (m.figure_flags & ").bind(mask);
        q.push(") = ").bind(value);
    }
    if let Some(u) = f.created_by {
        q.push(" AND m.created_by = ").bind(u);
    }
    if let Some(r) = &f.risk {
        q.push(" AND m.risk = ").bind(r.clone());
    }
    if let Some(c) = &f.closure_type {
        q.push(" AND m.closure_type = ").bind(c.clone());
    }
    if let Some(u) = f.urgent {
        q.push(" AND m.urgent = ").bind(i64::from(u));
    }
    if let Some(c) = &f.tracking_code {
        q.push(" AND m.tracking_code = ").bind(c.clone());
    }
    if !f.party_keys.is_empty() {
        q.push(" AND m.id IN (SELECT matter_id FROM parties WHERE id_number_idx IN (");
        for (i, k) in f.party_keys.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(k.clone());
        }
        q.push(") OR phone_idx IN (");
        for (i, k) in f.party_keys.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(k.clone());
        }
        q.push("))");
    }
    if let Some(a) = &f.any_words {
        q.push(" AND (");
        if let Some(c) = &a.category {
            q.push("m.category = ").bind(c.clone()).push(" OR ");
        }
        // The terms narrow the candidates by index; the text decides.
        q.push("(m.id IN (SELECT matter_id FROM matter_terms WHERE term IN (");
        for (i, (_, term)) in a.words.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(term.clone());
        }
        q.push(")) AND EXISTS (SELECT 1 FROM matter_search s WHERE s.matter_id = m.id AND (");
        for (i, (word, _)) in a.words.iter().enumerate() {
            if i > 0 {
                q.push(" OR ");
            }
            let w = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            q.push("s.text LIKE ")
                .bind(format!("%{w}%"))
                .push(" ESCAPE '\\'");
        }
        q.push("))))");
    }
}

/// A page of matters in scope in the given order; `after` is the cursor of the
/// previous page's last row (its order must be `sort`).
pub async fn list(
    db: &Db,
    roots: &[String],
    f: &MatterFilter,
    sort: MatterSort,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<MatterRow>> {
    list_with(db, roots, f, sort, after, limit, super::search::COMMON).await
}

/// [`list`]; `common` is the number of postings from which the rarest term no longer
/// fences the candidates of orders other than id (tests try both ways).
async fn list_with(
    db: &Db,
    roots: &[String],
    f: &MatterFilter,
    sort: MatterSort,
    after: Option<&Cursor>,
    limit: i64,
    common: i64,
) -> Result<Vec<MatterRow>> {
    if after.is_some_and(|c| c.sort != sort) {
        return Err(DbError::Config("cursor of another order".into()));
    }
    let text = f.text.as_deref().map(fazhi_core::search::normalize);
    let terms: Vec<String> = text
        .as_deref()
        .map(|t| fazhi_core::search::terms(t).into_iter().collect())
        .unwrap_or_default();
    let counted = if terms.is_empty() {
        Vec::new()
    } else {
        super::search::rarest_first(db, terms).await?
    };
    // Fenced candidates (see `push_from`) when a page in id order stops early in the
    // rarest term's postings, or when that term is rare enough to check them all;
    // otherwise the planner may as well walk the order's index and probe the postings.
    let fence = sort == MatterSort::IdDesc || counted.first().is_some_and(|(n, _)| *n < common);
    let terms: Vec<String> = counted.into_iter().map(|(_, t)| t).collect();
    let base = |below: Option<i64>| {
        let mut q = Sql::new(SELECT);
        push_from(&mut q, roots, f, text.as_deref(), &terms, fence, below);
        q
    };
    let key = after.map(|c| &c.key);
    let after_id = after.map(|c| c.id);
    match sort {
        MatterSort::IdDesc => {
            let mut q = base(after_id);
            if terms.is_empty() {
                q.push(" ORDER BY m.id DESC LIMIT ").bind(limit);
            } else {
                q.push(" ORDER BY c.matter_id DESC LIMIT ").bind(limit);
            }
            q.fetch_all(db.reader()).await
        }
        MatterSort::ReceivedDesc | MatterSort::ReceivedAsc | MatterSort::UpdatedDesc => {
            let (col, desc, order) = match sort {
                MatterSort::ReceivedDesc => (
                    "m.received_on",
                    true,
                    " ORDER BY m.received_on DESC, m.id DESC LIMIT ",
                ),
                MatterSort::ReceivedAsc => (
                    "m.received_on",
                    false,
                    " ORDER BY m.received_on, m.id LIMIT ",
                ),
                _ => (
                    "m.updated_at",
                    true,
                    " ORDER BY m.updated_at DESC, m.id DESC LIMIT ",
                ),
            };
            let mut q = base(None);
            if let (Some(k), Some(id)) = (key, after_id) {
                push_keyset(&mut q, col, desc, k, id);
            }
            q.push(order).bind(limit);
            q.fetch_all(db.reader()).await
        }
        MatterSort::DueAsc => {
            // Two index ranges: matters with a deadline by (due_on, id), then the rest by id.
            let mut rows = Vec::new();
            if key != Some(&Key::Null) {
                let mut q = base(None);
                q.push(" AND m.due_on IS NOT NULL");
                if let (Some(k), Some(id)) = (key, after_id) {
                    push_keyset(&mut q, "m.due_on", false, k, id);
                }
                q.push(" ORDER BY m.due_on, m.id LIMIT ").bind(limit);
                rows = q.fetch_all(db.reader()).await?;
            }
            let left = limit - rows.len() as i64;
            if left > 0 {
                let mut q = base(None);
                q.push(" AND m.due_on IS NULL");
                if let (Some(Key::Null), Some(id)) = (key, after_id) {
                    q.push(" AND m.id > ").bind(id);
                }
                q.push(" ORDER BY m.id LIMIT ").bind(left);
                rows.extend(q.fetch_all::<MatterRow>(db.reader()).await?);
            }
            Ok(rows)
        }
    }
}

/// `AND col ⋚= k AND (col ⋚ k OR m.id ⋚ id)`: strictly after (k, id) in the order,
/// written so that the first condition is an index range on both backends.
fn push_keyset(q: &mut Sql, col: &'static str, desc: bool, key: &Key, id: i64) {
    let (le, lt) = if desc {
        (" <= ", " < ")
    } else {
        (" >= ", " > ")
    };
    let bind = |q: &mut Sql| match key {
        Key::Text(s) => {
            q.bind(s.clone());
        }
        Key::Int(i) => {
            q.bind(*i);
        }
        // Not reached: only id orders and missing deadlines lack a key.
        Key::Null | Key::None => {
            q.push("NULL");
        }
    };
    q.push(" AND ").push(col).push(le);
    bind(q);
    q.push(" AND (").push(col).push(lt);
    bind(q);
    q.push(" OR m.id").push(lt).bind(id).push(")");
}

/// Joins of the other query terms to the candidates `c`: probes by primary key.
const TERM_JOINS: [&str; 6] = [
    "",
    " JOIN matter_terms t1 ON t1.matter_id = c.matter_id AND t1.term = ",
    " JOIN matter_terms t2 ON t2.matter_id = c.matter_id AND t2.term = ",
    " JOIN matter_terms t3 ON t3.matter_id = c.matter_id AND t3.term = ",
    " JOIN matter_terms t4 ON t4.matter_id = c.matter_id AND t4.term = ",
    " JOIN matter_terms t5 ON t5.matter_id = c.matter_id AND t5.term = ",
];

/// `FROM … WHERE …` of the list: scope, filters, keywords (`terms` rarest first) and
/// `m.id < below`, ready for `AND …`.
///
/// With terms, the candidates `c` are the rarest term's postings; the other terms are
/// probed by primary key. With `fence` they come from a subquery that PostgreSQL plans
/// on its own (it does not pull up a subquery with ORDER BY or LIMIT), so the plan
/// starts from them. The text is checked by a correlated subquery naming both `c` and
/// `m`, so it runs once per candidate in scope, never for every row of a scan: joined
/// to `matter_search`, PostgreSQL guessed that `LIKE '%…%'` matches a few dozen rows
/// and started from a scan of that whole table (over 100 ms at a million matters).
fn push_from(
    q: &mut Sql,
    roots: &[String],
    f: &MatterFilter,
    text: Option<&str>,
    terms: &[String],
    fence: bool,
    below: Option<i64>,
) {
    if terms.is_empty() {
        q.push(" FROM matters m").push(JOINS);
        if text.is_some() {
            q.push(" JOIN matter_search s ON s.matter_id = m.id");
        }
        q.push(" WHERE ");
    } else if fence {
        q.push(" FROM (SELECT matter_id FROM matter_terms WHERE term = ")
            .bind(terms[0].clone());
        if let Some(b) = below {
            q.push(" AND matter_id < ").bind(b);
        }
        // Newest first, so that a page in id order stops early (both engines keep the
        // subquery's order). LIMIT rather than OFFSET 0: SQLite has no OFFSET alone.
        q.push(" ORDER BY matter_id DESC LIMIT 9223372036854775807) c");
    } else {
        q.push(" FROM matter_terms c");
    }
    if !terms.is_empty() {
        q.push(" JOIN matters m ON m.id = c.matter_id").push(JOINS);
        for (i, t) in terms.iter().enumerate().skip(1) {
            q.push(TERM_JOINS[i]).bind(t.clone());
        }
        q.push(" WHERE ");
        if !fence {
            q.push("c.term = ").bind(terms[0].clone()).push(" AND ");
        }
    }
    q.scope_any(&SCOPE_COLUMNS, roots);
    push_filter(q, f);
    if let Some(t) = text {
        // Terms narrow the candidates; the text itself decides (adjacency, one character).
        let t = t
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        if terms.is_empty() {
            q.push(" AND s.text LIKE ")
                .bind(format!("%{t}%"))
                .push(" ESCAPE '\\'");
        } else {
            q.push(" AND (SELECT s.text LIKE ")
                .bind(format!("%{t}%"))
                .push(" ESCAPE '\\' FROM matter_search s WHERE s.matter_id = c.matter_id AND s.matter_id = m.id)");
        }
    }
    if let Some(b) = below.filter(|_| terms.is_empty() || !fence) {
        q.push(" AND m.id < ").bind(b);
    }
}

/// How many matters in scope match the filter (key figures on the home page).
pub async fn count(db: &Db, roots: &[String], f: &MatterFilter) -> Result<i64> {
    count_up_to(db, roots, f, None).await
}

/// [`count`], stopping at `cap + 1` (the ledger says "more than `cap`" rather than
/// count a million rows for every page).
pub async fn count_up_to(
    db: &Db,
    roots: &[String],
    f: &MatterFilter,
    cap: Option<i64>,
) -> Result<i64> {
    let text = f.text.as_deref().map(fazhi_core::search::normalize);
    let mut q = Sql::new(if cap.is_some() {
        "SELECT COUNT(*) FROM (SELECT 1 FROM matters m"
    } else {
        "SELECT COUNT(*) FROM matters m"
    });
    if text.is_some() {
        q.push(" JOIN matter_search s ON s.matter_id = m.id");
    }
    q.push(" WHERE ").scope_any(&SCOPE_COLUMNS, roots);
    push_filter(&mut q, f);
    if let Some(t) = text {
        let t = t
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        q.push(" AND s.text LIKE ")
            .bind(format!("%{t}%"))
            .push(" ESCAPE '\\'");
    }
    if let Some(cap) = cap {
        q.push(" LIMIT ").bind(cap + 1).push(") c");
    }
    let c: crate::sql::Count = q.fetch_one(db.reader()).await?;
    Ok(c.0)
}

/// Who a task list is for: work waiting at the centre, and work assigned to a handler.
#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    /// Subtrees where the user triages and supervises (center staff): pending,
    /// registered, accepted, returned and closed-but-not-followed-up matters.
    pub triage_roots: Vec<String>,
    /// Handlers the user works for: (`unit` | `division`, id); assigned and in-progress matters.
    pub handlers: Vec<(String, i64)>,
    /// Subtrees where the user handles matters.
    pub handle_roots: Vec<String>,
}

/// What the user must do next, nearest deadline first (matters without one last).
pub async fn tasks(db: &Db, t: &TaskQuery, limit: i64) -> Result<Vec<MatterRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE (");
    let mut any = false;
    if !t.triage_roots.is_empty() {
        // Closings to review, and dissatisfied follow-ups to send back (重新办理).
        q.push("((m.status IN ('pending', 'registered', 'accepted', 'reviewing', 'closed') OR (m.status = 'followed_up' AND m.satisfaction = 'dissatisfied')) AND ")
            .scope_any(&SCOPE_COLUMNS, &t.triage_roots)
            .push(")");
        any = true;
    }
    if !t.handlers.is_empty() && !t.handle_roots.is_empty() {
        if any {
            q.push(" OR ");
        }
        q.push("(m.status IN ('assigned', 'in_progress') AND (");
        for (i, (k, id)) in t.handlers.iter().enumerate() {
            if i > 0 {
                q.push(" OR ");
            }
            // The lead handler, or a co-handler (协办) of the current assignment.
            q.push("(m.assignee_kind = ")
                .bind(k.clone())
                .push(" AND m.assignee_id = ")
                .bind(*id)
                .push(") OR EXISTS (SELECT 1 FROM matter_co_handlers c WHERE c.matter_id = m.id AND c.assignee_kind = ")
                .bind(k.clone())
                .push(" AND c.assignee_id = ")
                .bind(*id)
                .push(")");
        }
        q.push(") AND ")
            .scope_any(&SCOPE_COLUMNS, &t.handle_roots)
            .push(")");
        any = true;
    }
    if !any {
        q.push("1 = 0");
    }
    // Urgent and red-risk first, then new intake, then by the nearest deadline.
    q.push(") ORDER BY (CASE WHEN m.urgent = 1 THEN 0 WHEN m.status IN ('pending', 'registered') THEN 1 ELSE 2 END), (m.due_on IS NULL), m.due_on, m.id LIMIT ")
        .bind(limit);
    q.fetch_all(db.reader()).await
}

row!(
    /// One entry of a matter's timeline.
    EventRow {
        id: i64,
        matter_id: i64,
        at: i64,
        on_date: Date,
        actor_id: Option<i64>,
        /// The actor's display name (the login name for the server's own entries).
        actor: String,
        action: ActionCode,
        from_status: Option<Status>,
        to_status: Status,
        note: String,
        payload: String,
    }
);

/// The actor is shown by their display name, as on a case's timeline; `e.actor` (the
/// login name stored with the entry) stands for the server and the command line.
const EVENT_COLS: &str = "SELECT e.id, e.matter_id, e.at, e.on_date, e.actor_id, COALESCE(u.display_name, e.actor) AS actor, e.action, e.from_status, e.to_status, e.note, e.payload FROM matter_events e LEFT JOIN users u ON u.id = e.actor_id";

/// The timeline of a matter, oldest first (the caller has checked the matter's scope).
pub async fn events(db: &Db, matter_id: i64) -> Result<Vec<EventRow>> {
    let mut q = Sql::new(EVENT_COLS);
    q.push(" WHERE e.matter_id = ")
        .bind(matter_id)
        .push(" ORDER BY e.id");
    q.fetch_all(db.reader()).await
}

row!(
    /// What the public tracking page may show: no names, no places, no notes.
    PublicRow {
        id: i64,
        tracking_code: String,
        kind: Kind,
        status: Status,
        received_on: Date,
        accepted_on: Option<Date>,
        closed_on: Option<Date>,
        handling_due: Option<Date>,
        paused: bool,
    }
);

row!(
    /// A status change on the public timeline.
    PublicEvent {
        on_date: Date,
        action: ActionCode,
        to_status: Status,
    }
);

/// The public view of a matter by its tracking code, with its status changes.
pub async fn public(db: &Db, code: &str) -> Result<(PublicRow, Vec<PublicEvent>)> {
    let mut q = Sql::new(
        "SELECT id, tracking_code, kind, status, received_on, accepted_on, closed_on, handling_due, paused FROM matters WHERE tracking_code = ",
    );
    q.bind(code.to_string());
    let row: PublicRow = q.fetch_one(db.reader()).await?;
    let mut q = Sql::new("SELECT on_date, action, to_status FROM matter_events WHERE matter_id = ");
    q.bind(row.id).push(" ORDER BY id");
    let events = q.fetch_all(db.reader()).await?;
    Ok((row, events))
}

/// Matters in scope with a party found by any of the blind indexes (same ID or phone),
/// newest first.
pub async fn with_person(
    db: &Db,
    roots: &[String],
    keys: &[String],
    exclude: Option<i64>,
    limit: i64,
) -> Result<Vec<MatterRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope_any(&SCOPE_COLUMNS, roots);
    q.push(" AND m.id IN (SELECT p.matter_id FROM parties p WHERE p.id_number_idx IN (");
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(k.clone());
    }
    q.push(") OR p.phone_idx IN (");
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(k.clone());
    }
    q.push("))");
    if let Some(x) = exclude {
        q.push(" AND m.id <> ").bind(x);
    }
    q.push(" ORDER BY m.id DESC LIMIT ").bind(limit);
    q.fetch_all(db.reader()).await
}

/// The blind indexes of the parties of one matter (to find the same people elsewhere).
pub async fn person_keys(db: &Db, matter_id: i64) -> Result<Vec<String>> {
    row!(KeyRow {
        id_number_idx: Option<String>,
        phone_idx: Option<String>,
    });
    let mut q = Sql::new("SELECT id_number_idx, phone_idx FROM parties WHERE matter_id = ");
    q.bind(matter_id);
    let rows: Vec<KeyRow> = q.fetch_all(db.reader()).await?;
    Ok(rows
        .into_iter()
        .flat_map(|r| [r.id_number_idx, r.phone_idx])
        .flatten()
        .collect())
}

row!(
    /// The work in hand of one handling unit or village: open, not yet signed for,
    /// waiting for the centre's review, past the deadline (and of those supervised).
    WorkloadRow {
        assignee_kind: AssigneeKind,
        assignee_id: i64,
        assignee_name: Option<String>,
        /// The township of the village, or the division of the unit (villages of the
        /// same name are told apart by it).
        township_name: Option<String>,
        open: i64,
        unsigned: i64,
        reviewing: i64,
        overdue: i64,
        supervised: i64,
    }
);

/// Work in hand per handler in scope on `today`, most overdue first, then busiest.
pub async fn workload_by_handler(
    db: &Db,
    roots: &[String],
    today: &str,
) -> Result<Vec<WorkloadRow>> {
    // A closing under review has no running due date (`due_on` is null), so it is never overdue.
    let mut q = Sql::new(
        "SELECT m.assignee_kind, m.assignee_id, COALESCE(au.name, ad.name) AS assignee_name, dt.name AS township_name, COUNT(*) AS open, SUM(CASE WHEN m.status = 'assigned' THEN 1 ELSE 0 END) AS unsigned, SUM(CASE WHEN m.status = 'reviewing' THEN 1 ELSE 0 END) AS reviewing, SUM(CASE WHEN m.paused = 0 AND m.due_on < ",
    );
    q.bind(today.to_string())
        .push(" THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN m.paused = 0 AND m.supervision IS NOT NULL AND m.due_on < ")
        .bind(today.to_string())
        .push(" THEN 1 ELSE 0 END) AS supervised FROM matters m LEFT JOIN units au ON m.assignee_kind = 'unit' AND au.id = m.assignee_id LEFT JOIN divisions ad ON m.assignee_kind = 'division' AND ad.id = m.assignee_id LEFT JOIN divisions dt ON dt.id = COALESCE(au.division_id, ad.parent_id) WHERE m.assignee_kind IS NOT NULL AND m.status IN ('assigned', 'in_progress', 'reviewing') AND ")
        .scope_any(&SCOPE_COLUMNS, roots)
        .push(" GROUP BY m.assignee_kind, m.assignee_id, au.name, ad.name, dt.name ORDER BY overdue DESC, open DESC, m.assignee_id");
    q.fetch_all(db.reader()).await
}

row!(
    /// A stored photo.
    PhotoRow {
        id: i64,
        matter_id: i64,
        content_type: String,
        bytes: Vec<u8>,
    }
);

/// Ids of a matter's photos (the caller has checked the matter's scope).
pub async fn photo_ids(db: &Db, matter_id: i64) -> Result<Vec<i64>> {
    let mut q = Sql::new("SELECT id FROM matter_photos WHERE matter_id = ");
    q.bind(matter_id).push(" ORDER BY id");
    let rows: Vec<crate::sql::Count> = q.fetch_all(db.reader()).await?;
    Ok(rows.into_iter().map(|c| c.0).collect())
}

/// One photo of a matter in scope.
pub async fn photo(db: &Db, roots: &[String], matter_id: i64, photo_id: i64) -> Result<PhotoRow> {
    let mut q = Sql::new(
        "SELECT p.id, p.matter_id, p.content_type, p.bytes FROM matter_photos p JOIN matters m ON m.id = p.matter_id WHERE p.id = ",
    );
    q.bind(photo_id)
        .push(" AND p.matter_id = ")
        .bind(matter_id)
        .push(" AND ")
        .scope_any(&SCOPE_COLUMNS, roots);
    q.fetch_one(db.reader()).await
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::HashMap;

    use fazhi_core::calendar::Calendar;
    use fazhi_core::division::Level;
    use fazhi_core::matter::{Channel, DeadlineRules, Kind, MatterState};

    use super::*;
    use crate::admin::divisions::{self, NewDivision};
    use crate::audit::Actor;
    use crate::matters::parties::NewParty;
    use crate::matters::search::text_of;
    use crate::matters::write::{self, NewMatter};
    use crate::pii::Vault;

    async fn division(
        db: &Db,
        code: &str,
        name: &str,
        level: Level,
        parent: Option<i64>,
    ) -> (i64, String) {
        let d = NewDivision {
            code: code.into(),
            name: name.into(),
            level,
            parent_id: parent,
            valid_from: None,
            valid_to: None,
        };
        let r = divisions::create(db, &Actor::system("test"), &d)
            .await
            .unwrap();
        (r.id, r.path)
    }

    /// The keyword list gives exactly the matters whose text holds the words, in every
    /// order and scope, page by page, whether the candidates are fenced or not.
    #[tokio::test]
    async fn keyword_lists_match_the_text_in_every_order_scope_and_plan() {
        const SUMMARIES: [&str; 6] = [
            "土地承包纠纷",
            "承包地边界争议",
            "务工人员反映欠薪",
            "邻居噪音扰民",
            "国土资源所反映地界",
            "宅基地地界纠纷",
        ];
        const NAMES: [&str; 4] = ["王建国", "李秀英", "张三", "王建"];
        let cal = Calendar::builtin();
        let rules = DeadlineRules::default();
        let vault = Vault::from_key_text("0123456789abcdef0123456789abcdef-test").unwrap();
        let actor = Actor::system("test");
        for t in crate::testing::all().await {
            let (db, name) = (&t.db, t.name());
            let (county, county_path) =
                division(db, "500160000000", "清溪区", Level::County, None).await;
            let (a, a_path) =
                division(db, "500160101000", "青石镇", Level::Township, Some(county)).await;
            let (b, _) =
                division(db, "500160102000", "白沙镇", Level::Township, Some(county)).await;
            let villages = [
                division(db, "500160101200", "龙井村", Level::Village, Some(a)).await,
                division(db, "500160101201", "双河村", Level::Village, Some(a)).await,
                division(db, "500160102200", "团结村", Level::Village, Some(b)).await,
            ];
            let day0 = time::macros::date!(2026 - 03 - 02);
            let mut names: HashMap<i64, Vec<String>> = HashMap::new();
            for i in 0..48usize {
                let (vid, vpath) = &villages[i % 3];
                let kind = if i % 4 == 0 {
                    Kind::Petition
                } else {
                    Kind::Dispute
                };
                let received = day0 + time::Duration::days((i * 7 % 30) as i64);
                let mut state = MatterState::register(kind, Channel::Visit, received, &cal, &rules);
                if i % 5 == 0 {
                    // No running deadline: the second part of the deadline order.
                    state.acceptance = None;
                    state.objection = None;
                }
                let who = vec![NAMES[(i / 2) % NAMES.len()].to_string()];
                let m = NewMatter {
                    tracking_code: (2_345_000_000 + i).to_string(),
                    category: "neighbour".into(),
                    division_id: *vid,
                    division_path: vpath.clone(),
                    grid_id: None,
                    summary: SUMMARIES[i % SUMMARIES.len()].into(),
                    address: (i % 2 == 0).then(|| "二组".to_string()),
                    state,
                    repeat_of: None,
                    parties: who
                        .iter()
                        .map(|n| NewParty {
                            role: fazhi_core::party::PartyRole::Applicant,
                            name: n.clone(),
                            ..NewParty::default()
                        })
                        .collect(),
                    photos: Vec::new(),
                    today: received,
                    assignee_path: None,
                    history: Vec::new(),
                    source_ref: None,
                };
                let row = write::create(db, &vault, &actor, &m).await.unwrap();
                names.insert(row.id, who);
            }
            let scopes = [
                vec![county_path.clone()],
                vec![a_path.clone()],
                vec![villages[1].1.clone(), villages[2].1.clone()],
            ];
            let filters = [
                MatterFilter::default(),
                MatterFilter {
                    kind: Some("petition".into()),
                    ..Default::default()
                },
                MatterFilter {
                    received_from: Some("2026-03-10".into()),
                    ..Default::default()
                },
            ];
            let mut seen = 0;
            for roots in &scopes {
                for base in &filters {
                    let all = list(db, roots, base, MatterSort::IdDesc, None, 10_000)
                        .await
                        .unwrap();
                    for q in [
                        "土地",
                        "承包地",
                        "王建国",
                        "地界纠纷",
                        "建国土",
                        "反映",
                        "村",
                    ] {
                        let mut expected: Vec<&MatterRow> = all
                            .iter()
                            .filter(|m| {
                                text_of(
                                    &m.summary,
                                    &names[&m.id],
                                    &m.division_name,
                                    m.grid_name.as_deref(),
                                    m.address.as_deref(),
                                )
                                .contains(q)
                            })
                            .collect();
                        seen += expected.len();
                        let f = MatterFilter {
                            text: Some(q.into()),
                            ..base.clone()
                        };
                        for sort in MatterSort::ALL {
                            match sort {
                                MatterSort::ReceivedDesc => {
                                    expected.sort_by_key(|m| Reverse((m.received_on, m.id)))
                                }
                                MatterSort::ReceivedAsc => {
                                    expected.sort_by_key(|m| (m.received_on, m.id))
                                }
                                MatterSort::DueAsc => {
                                    expected.sort_by_key(|m| (m.due_on.is_none(), m.due_on, m.id))
                                }
                                MatterSort::UpdatedDesc => {
                                    expected.sort_by_key(|m| Reverse((m.updated_at, m.id)))
                                }
                                MatterSort::IdDesc => expected.sort_by_key(|m| Reverse(m.id)),
                            }
                            let want: Vec<i64> = expected.iter().map(|m| m.id).collect();
                            // 0: only the id order fences the postings; MAX: every order.
                            for common in [0, i64::MAX] {
                                let mut got = Vec::new();
                                let mut after = None;
                                loop {
                                    let page =
                                        list_with(db, roots, &f, sort, after.as_ref(), 3, common)
                                            .await
                                            .unwrap();
                                    got.extend(page.iter().map(|m| m.id));
                                    match page.last().filter(|_| page.len() == 3) {
                                        Some(last) => after = Some(sort.cursor_of(last)),
                                        None => break,
                                    }
                                }
                                assert_eq!(
                                    got,
                                    want,
                                    "{name}: {q} {roots:?} {base:?} {} common {common}",
                                    sort.as_str()
                                );
                            }
                        }
                    }
                }
            }
            assert!(seen > 100, "{name}: the words are found ({seen})");
        }
    }
}
