//! A small fixed-window rate limiter for the public form: per client address, and
//! overall, so an anonymous flood can neither drown the centre nor fill the disk.

use std::collections::HashMap;
use std::sync::Mutex;

/// Counts events per key in fixed windows.
#[derive(Debug)]
pub struct RateLimiter {
    window_ms: i64,
    per_key: u32,
    overall: u32,
    state: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    start: i64,
    total: u32,
    keys: HashMap<String, u32>,
}

impl RateLimiter {
    /// 5 submissions per address and 200 overall per 10 minutes.
    pub fn public_form() -> RateLimiter {
        RateLimiter::new(10 * 60_000, 5, 200)
    }

    pub fn new(window_ms: i64, per_key: u32, overall: u32) -> RateLimiter {
        RateLimiter {
            window_ms,
            per_key,
            overall,
            state: Mutex::new(Windows::default()),
        }
    }

    /// Counts one event for `key` at `now_ms`; false when over a limit (nothing counted).
    pub fn allow(&self, key: &str, now_ms: i64) -> bool {
        let mut w = self.state.lock().expect("lock");
        if now_ms - w.start >= self.window_ms {
            // A new window: memory is bounded by one window's distinct keys.
            *w = Windows {
                start: now_ms,
                ..Windows::default()
            };
        }
        let used = w.keys.get(key).copied().unwrap_or(0);
        if used >= self.per_key || w.total >= self.overall {
            return false;
        }
        w.keys.insert(key.to_string(), used + 1);
        w.total += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_overall_and_resets() {
        let l = RateLimiter::new(1000, 2, 3);
        assert!(l.allow("a", 0));
        assert!(l.allow("a", 1));
        assert!(!l.allow("a", 2), "per key");
        assert!(l.allow("b", 3));
        assert!(!l.allow("c", 4), "overall");
        assert!(l.allow("a", 1000), "new window");
    }
}
