//! The matter settings an admin can change: holiday calendar, deadline rules and the
//! category list. Stored as settings rows (the database is the truth), cached here.

use std::sync::RwLock;

use fazhi_core::calendar::Calendar;
use fazhi_core::matter::{DEFAULT_CATEGORIES, DeadlineRules};
use fazhi_db::Db;
use fazhi_db::admin::settings;
use serde::{Deserialize, Serialize};

/// Settings keys.
pub const CALENDAR_KEY: &str = "matters.calendar";
pub const RULES_KEY: &str = "matters.deadline_rules";
pub const CATEGORIES_KEY: &str = "matters.categories";

/// One category of the live list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryItem {
    /// Stable code stored with each matter.
    pub code: String,
    /// Chinese label.
    pub label: String,
}

/// The cached settings.
#[derive(Debug)]
pub struct MatterConfig {
    calendar: RwLock<Calendar>,
    rules: RwLock<DeadlineRules>,
    categories: RwLock<Vec<CategoryItem>>,
}

impl Default for MatterConfig {
    fn default() -> Self {
        MatterConfig {
            calendar: RwLock::new(Calendar::builtin()),
            rules: RwLock::new(DeadlineRules::default()),
            categories: RwLock::new(
                DEFAULT_CATEGORIES
                    .iter()
                    .map(|c| CategoryItem {
                        code: c.code.into(),
                        label: c.label_zh.into(),
                    })
                    .collect(),
            ),
        }
    }
}

impl MatterConfig {
    /// Reads stored overrides; a damaged value is an error (never silently replaced).
    pub async fn load(&self, db: &Db) -> Result<(), String> {
        let get = |k| async move {
            settings::get(db, k)
                .await
                .map_err(|e| format!("cannot read setting {k}: {e}"))
        };
        if let Some(text) = get(CALENDAR_KEY).await? {
            let cal = Calendar::parse(&text)
                .map_err(|e| format!("the stored holiday calendar is invalid: {e}"))?;
            *self.calendar.write().expect("lock") = cal;
        }
        if let Some(text) = get(RULES_KEY).await? {
            let rules: DeadlineRules = serde_json::from_str(&text)
                .map_err(|e| format!("the stored deadline rules are invalid: {e}"))?;
            *self.rules.write().expect("lock") = rules;
        }
        if let Some(text) = get(CATEGORIES_KEY).await? {
            let cats: Vec<CategoryItem> = serde_json::from_str(&text)
                .map_err(|e| format!("the stored categories are invalid: {e}"))?;
            *self.categories.write().expect("lock") = cats;
        }
        Ok(())
    }

    /// The holiday calendar in force.
    pub fn calendar(&self) -> Calendar {
        self.calendar.read().expect("lock").clone()
    }

    /// The deadline rules in force.
    pub fn rules(&self) -> DeadlineRules {
        self.rules.read().expect("lock").clone()
    }

    /// Days before a deadline at which the yellow warning starts.
    pub fn yellow_days(&self) -> u32 {
        self.rules.read().expect("lock").yellow_days
    }

    /// The category list.
    pub fn categories(&self) -> Vec<CategoryItem> {
        self.categories.read().expect("lock").clone()
    }

    /// The Chinese label of a category code (the code itself if unknown).
    pub fn category_label(&self, code: &str) -> String {
        self.categories
            .read()
            .expect("lock")
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_string(), |c| c.label.clone())
    }

    pub(crate) fn set_calendar(&self, cal: Calendar) {
        *self.calendar.write().expect("lock") = cal;
    }

    pub(crate) fn set_rules(&self, rules: DeadlineRules) {
        *self.rules.write().expect("lock") = rules;
    }

    pub(crate) fn set_categories(&self, cats: Vec<CategoryItem>) {
        *self.categories.write().expect("lock") = cats;
    }
}
