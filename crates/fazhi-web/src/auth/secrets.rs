//! Random tokens, token hashes and password hashing.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

/// 32 random bytes, URL-safe base64: session ids, CSRF tokens, API tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Tokens are stored only as SHA-256 hashes: a copy of the database opens no session.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Threads that compute password hashes. Each argon2id hash takes 19 MiB and tens of
/// milliseconds of a core: on the shared blocking pool a burst of logins ran many at
/// once, and every thread's allocator arena kept its 19 MiB afterwards (64 logins left
/// the server at 400 MB). Two threads of our own bound both CPU and memory.
const HASH_THREADS: usize = 2;

type HashJob = Box<dyn FnOnce() + Send>;

/// Runs `f` on one of the hashing threads.
async fn on_hash_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    static QUEUE: OnceLock<Mutex<mpsc::Sender<HashJob>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<HashJob>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..HASH_THREADS {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("fazhi-hash-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            // A panicking job drops its answer (the caller sees a failed
                            // check); the thread stays for the next one.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                })
                .expect("spawning a password hashing thread");
        }
        Mutex::new(tx)
    });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let _ = tx.send(f());
    });
    queue.lock().ok()?.send(job).ok()?;
    rx.await.ok()
}

/// Hashes a password with argon2id on a hashing thread (it takes tens of milliseconds).
pub async fn hash_password(password: String) -> Result<String, String> {
    on_hash_thread(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .ok_or_else(|| "password hashing stopped".to_string())?
}

/// Checks a password against a stored PHC string on a hashing thread.
pub async fn verify_password(password: String, phc: String) -> bool {
    on_hash_thread(move || {
        PasswordHash::new(&phc)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A fixed argon2id hash to verify against when the username is unknown.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        Argon2::default()
            .hash_password(b"fazhi-no-such-user")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}
