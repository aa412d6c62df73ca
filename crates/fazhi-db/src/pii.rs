//! Personal data at rest: ID numbers and phones are sealed with AES-256-GCM and found
//! through a keyed blind index (HMAC-SHA256), both keyed from a file kept outside the
//! database, so a copied database file reveals neither.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

use crate::{DbError, Result};

/// Which kind of personal data a value is; bound into both the ciphertext and the index,
/// so a sealed phone cannot be passed off as an ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiiKind {
    IdNumber,
    Phone,
}

impl PiiKind {
    fn label(self) -> &'static [u8] {
        match self {
            PiiKind::IdNumber => b"id_number",
            PiiKind::Phone => b"phone",
        }
    }
}

/// The keys for sealing and indexing personal data.
pub struct Vault {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
    anchor_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

/// Version prefix of sealed values, so the scheme can change later.
const SEALED_PREFIX: &str = "v1:";

fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(master).expect("HMAC takes any key");
    mac.update(b"fazhi/");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Vault {
    /// Keys derived from the text of the key file (at least 32 characters of secret).
    pub fn from_key_text(text: &str) -> Result<Vault> {
        let master = text.trim();
        if master.len() < 32 {
            return Err(DbError::Config(
                "the personal-data key is too short (at least 32 characters)".into(),
            ));
        }
        let enc = derive(master.as_bytes(), b"pii-seal/v1");
        Ok(Vault {
            cipher: Aes256Gcm::new(&enc.into()),
            index_key: derive(master.as_bytes(), b"pii-index/v1"),
            anchor_key: derive(master.as_bytes(), b"audit-anchor/v1"),
        })
    }

    /// The audit log's checkpoint file at `path`, signed with a key derived from the
    /// same key file (so it too lives outside the database).
    pub fn anchor(&self, path: std::path::PathBuf) -> crate::audit::Anchor {
        crate::audit::Anchor::new(path, self.anchor_key)
    }

    /// Seals `plain` (already normalised) as `v1:` + hex(nonce ‖ ciphertext ‖ tag).
    pub fn seal(&self, kind: PiiKind, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: kind.label(),
                },
            )
            .expect("AES-GCM encryption of a short value cannot fail");
        let mut out = String::with_capacity(SEALED_PREFIX.len() + 2 * (12 + ct.len()));
        out.push_str(SEALED_PREFIX);
        out.push_str(&hex::encode(nonce));
        out.push_str(&hex::encode(ct));
        out
    }

    /// Opens a value sealed by [`Vault::seal`] with the same key.
    pub fn open(&self, kind: PiiKind, sealed: &str) -> Result<String> {
        let bad = || DbError::Config("a sealed value cannot be opened with this key".into());
        let bytes = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(|h| hex::decode(h).ok())
            .filter(|b| b.len() > 12)
            .ok_or_else(bad)?;
        let (nonce, ct) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| bad())?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: kind.label(),
                },
            )
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    /// The keyed blind index of a normalised value: equal values give equal indexes,
    /// and without the key the index says nothing about the value.
    pub fn blind_index(&self, kind: PiiKind, normalized: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.index_key).expect("HMAC takes any key");
        mac.update(kind.label());
        mac.update(b"\0");
        mac.update(normalized.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef-test";

    #[test]
    fn seal_round_trips_and_binds_the_kind() {
        let v = Vault::from_key_text(KEY).unwrap();
        let s = v.seal(PiiKind::Phone, "13812345678");
        assert!(!s.contains("13812345678"));
        assert_ne!(s, v.seal(PiiKind::Phone, "13812345678"), "fresh nonce");
        assert_eq!(v.open(PiiKind::Phone, &s).unwrap(), "13812345678");
        assert!(v.open(PiiKind::IdNumber, &s).is_err());
        let other = Vault::from_key_text(&format!("{KEY}-other")).unwrap();
        assert!(other.open(PiiKind::Phone, &s).is_err());
    }

    #[test]
    fn blind_index_is_keyed_and_stable() {
        let v = Vault::from_key_text(KEY).unwrap();
        let a = v.blind_index(PiiKind::Phone, "13812345678");
        assert_eq!(a, v.blind_index(PiiKind::Phone, "13812345678"));
        assert_ne!(a, v.blind_index(PiiKind::IdNumber, "13812345678"));
        let other = Vault::from_key_text(&format!("{KEY}-other")).unwrap();
        assert_ne!(a, other.blind_index(PiiKind::Phone, "13812345678"));
        assert!(Vault::from_key_text("short").is_err());
    }
}
