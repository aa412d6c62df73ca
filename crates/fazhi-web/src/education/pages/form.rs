//! What the duty pages (述法, villages, plan, visits, emergency) share: the values of a
//! posted form kept as typed (shown again when refused), and numbers read from them.

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::error::ApiError;

/// A posted form's values by field name (the last value of a repeated name).
#[derive(Debug, Clone, Default)]
pub(crate) struct FormValues(BTreeMap<String, String>);

impl FormValues {
    pub(crate) fn parse(pairs: Vec<(String, String)>) -> FormValues {
        FormValues(pairs.into_iter().collect())
    }

    /// The value as typed, "" when absent.
    pub(crate) fn get(&self, k: &str) -> &str {
        self.0.get(k).map(String::as_str).unwrap_or("")
    }

    pub(crate) fn set(&mut self, k: &str, v: impl ToString) {
        self.0.insert(k.to_string(), v.to_string());
    }

    /// The value as an optional text for the API (empty stays empty: the checks treat
    /// it as not given).
    pub(crate) fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).to_string())
    }

    /// A number typed in the form: empty is None, anything else must parse.
    pub(crate) fn num<T: FromStr>(
        &self,
        errors: &mut BTreeMap<String, String>,
        k: &str,
    ) -> Option<T> {
        let raw = self.get(k).trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.insert(k.into(), "请填写整数".into());
                None
            }
        }
    }
}

/// Whether a refused form is shown again with its messages (input and version errors),
/// rather than as an error page (403, 404, server errors).
pub(crate) fn redisplay(e: &ApiError) -> bool {
    e.status.is_client_error() && !matches!(e.status.as_u16(), 403 | 404)
}
