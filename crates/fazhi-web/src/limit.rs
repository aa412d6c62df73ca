//! A small fixed-window rate limiter, per client address and per network (an IPv4 /24,
//! an IPv6 /48), with an overall ceiling far above what the per-address limits let a
//! few dozen addresses reach: a flood from many addresses of one network is stopped by
//! the network limit, and nobody can close a form for everyone from a handful of hosts.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Counts events per address and network in fixed windows.
#[derive(Debug)]
pub struct RateLimiter {
    window_ms: i64,
    per_key: u32,
    per_network: u32,
    overall: u32,
    state: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    start: i64,
    total: u32,
    keys: HashMap<String, u32>,
    networks: HashMap<String, u32>,
}

/// The network an address belongs to, for the per-network limit.
fn network_of(key: &str) -> String {
    match key.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => {
            let o = a.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        Ok(IpAddr::V6(a)) => {
            let s = a.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => key.to_string(),
    }
}

impl RateLimiter {
    /// The public form: 5 submissions per address, 20 per network and 5000 in all
    /// (a bound on what anonymous visitors can write) per 10 minutes.
    pub fn public_form() -> RateLimiter {
        RateLimiter::new(10 * 60_000, 5, 20, 5000)
    }

    /// Tracking-code lookups: 60 per address and 600 per network per 10 minutes, so the
    /// codes cannot be enumerated; no overall ceiling.
    pub fn tracking() -> RateLimiter {
        RateLimiter::new(10 * 60_000, 60, 600, u32::MAX)
    }

    /// Failed logins: 20 per address and 200 per network per 10 minutes, on top of the
    /// per-account lock-out (which guessing across many accounts would not reach).
    pub fn failed_logins() -> RateLimiter {
        RateLimiter::new(10 * 60_000, 20, 200, u32::MAX)
    }

    pub fn new(window_ms: i64, per_key: u32, per_network: u32, overall: u32) -> RateLimiter {
        RateLimiter {
            window_ms,
            per_key,
            per_network,
            overall,
            state: Mutex::new(Windows::default()),
        }
    }

    fn window(&self, now_ms: i64) -> std::sync::MutexGuard<'_, Windows> {
        let mut w = self.state.lock().expect("lock");
        if now_ms - w.start >= self.window_ms {
            // A new window: memory is bounded by one window's counted events.
            *w = Windows {
                start: now_ms,
                ..Windows::default()
            };
        }
        w
    }

    fn over(&self, w: &Windows, key: &str, net: &str) -> bool {
        w.keys.get(key).copied().unwrap_or(0) >= self.per_key
            || w.networks.get(net).copied().unwrap_or(0) >= self.per_network
            || w.total >= self.overall
    }

    /// Whether `key` is over a limit at `now_ms`, without counting anything.
    pub fn exceeded(&self, key: &str, now_ms: i64) -> bool {
        let w = self.window(now_ms);
        self.over(&w, key, &network_of(key))
    }

    /// Counts one event for `key` at `now_ms`; false when over a limit (nothing counted).
    pub fn allow(&self, key: &str, now_ms: i64) -> bool {
        let net = network_of(key);
        let mut w = self.window(now_ms);
        if self.over(&w, key, &net) {
            return false;
        }
        *w.keys.entry(key.to_string()).or_default() += 1;
        *w.networks.entry(net).or_default() += 1;
        w.total += 1;
        true
    }
}

/// The client's address, for rate limits; "local" when the server was not given one
/// (tests driving the router directly). Behind a reverse proxy on the same host (the
/// usual HTTPS set-up) every connection comes from loopback, and one address would
/// share one budget for everyone: so when the peer is a loopback address, the last
/// `X-Forwarded-For` entry (the address that proxy saw) is the client. A header from
/// any other peer is ignored, as anyone could send it.
pub struct ClientAddr(pub String);

impl ClientAddr {
    fn of(peer: Option<std::net::IpAddr>, forwarded: Option<&str>) -> ClientAddr {
        let Some(peer) = peer else {
            return ClientAddr("local".into());
        };
        let via_local_proxy = forwarded
            .filter(|_| peer.is_loopback())
            .and_then(|f| f.rsplit(',').next())
            .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok());
        ClientAddr(via_local_proxy.unwrap_or(peer).to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(ClientAddr::of(peer, forwarded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_overall_and_resets() {
        let l = RateLimiter::new(1000, 2, 100, 3);
        assert!(l.allow("10.0.0.1", 0));
        assert!(l.allow("10.0.0.1", 1));
        assert!(!l.allow("10.0.0.1", 2), "per key");
        assert!(l.exceeded("10.0.0.1", 2));
        assert!(l.allow("10.0.1.2", 3));
        assert!(!l.allow("10.0.2.3", 4), "overall");
        assert!(l.allow("10.0.0.1", 1000), "new window");
    }

    #[test]
    fn a_local_proxy_names_the_client_and_nobody_else_can() {
        let lo: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let far: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        let of = |p, f| ClientAddr::of(p, f).0;
        assert_eq!(of(Some(lo), Some("10.1.2.3, 198.51.100.7")), "198.51.100.7");
        assert_eq!(of(Some(lo), Some("nonsense")), "127.0.0.1");
        assert_eq!(of(Some(lo), None), "127.0.0.1");
        assert_eq!(
            of(Some(far), Some("198.51.100.7")),
            "203.0.113.9",
            "spoofed"
        );
        assert_eq!(of(None, Some("198.51.100.7")), "local");
    }

    #[test]
    fn one_network_cannot_use_up_the_form_for_everyone() {
        let l = RateLimiter::public_form();
        let mut accepted = 0;
        // 50 addresses of one network, each trying 10 times.
        for host in 1..=50 {
            for _ in 0..10 {
                accepted += l.allow(&format!("203.0.113.{host}"), 0) as u32;
            }
        }
        assert_eq!(accepted, 20, "the network's share");
        // 50 addresses from 50 networks, each at its own limit, leave the form open.
        for n in 0..50 {
            for _ in 0..5 {
                assert!(l.allow(&format!("198.{n}.1.1"), 0));
            }
        }
        assert!(l.allow("192.0.2.7", 0), "someone else still gets through");
        assert_eq!(network_of("2001:db8:1:2::5"), "2001:db8:1::/48");
    }
}
