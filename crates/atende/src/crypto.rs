//! The server master key: loaded from `ATENDE_SECRET_KEY` or generated into the data
//! folder on first run. Subkeys for JWT signing and credential encryption are derived
//! from it with HMAC-SHA256 so one leaked purpose does not expose another.

use std::{fs, path::Path};

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit},
};
use anyhow::{Context, bail};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const KEY_FILE: &str = "secret.key";

/// The 32-byte master secret.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

impl MasterKey {
    /// Parses 64 hex characters or base64 of 32 bytes.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text)?
        } else {
            B64.decode(text).context("ATENDE_SECRET_KEY must be 64 hex characters or base64 of 32 bytes")?
        };
        let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) else {
            bail!("ATENDE_SECRET_KEY must be exactly 32 bytes (got {})", bytes.len())
        };
        Ok(MasterKey(key))
    }

    /// The configured key, or the one in `<data_dir>/secret.key`, created on first run.
    pub fn load_or_generate(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(text) = configured.filter(|t| !t.trim().is_empty()) {
            return Self::parse(text);
        }
        let path = data_dir.join(KEY_FILE);
        if path.exists() {
            let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            return Self::parse(&text).with_context(|| format!("{} is corrupt", path.display()));
        }
        fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        write_private(&path, &hex::encode(key))?;
        tracing::info!(path = %path.display(), "generated a new master key");
        Ok(MasterKey(key))
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        MasterKey(key)
    }

    /// The key as 64 hex characters (what `ATENDE_SECRET_KEY` takes).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Writes this key as `<data_dir>/secret.key.new` (owner-only), to be moved over
    /// `secret.key` by [`MasterKey::promote_file`] once the data is re-sealed.
    pub fn stage_file(&self, data_dir: &Path) -> anyhow::Result<std::path::PathBuf> {
        let staged = data_dir.join(format!("{KEY_FILE}.new"));
        if staged.exists() {
            fs::remove_file(&staged).with_context(|| format!("cannot replace {}", staged.display()))?;
        }
        write_private(&staged, &self.to_hex())?;
        Ok(staged)
    }

    /// Moves a staged key over `secret.key`, keeping the old one as `secret.key.previous`.
    pub fn promote_file(staged: &Path, data_dir: &Path) -> anyhow::Result<()> {
        let current = data_dir.join(KEY_FILE);
        if current.exists() {
            fs::copy(&current, data_dir.join(format!("{KEY_FILE}.previous")))
                .with_context(|| format!("cannot back up {}", current.display()))?;
        }
        fs::rename(staged, &current).with_context(|| format!("cannot replace {}", current.display()))
    }

    /// A purpose-bound subkey.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The cipher for credentials at rest.
    pub fn credentials_cipher(&self) -> CredentialCipher {
        CredentialCipher { key: self.derive("atende/credentials/v1") }
    }
}

/// AES-256-GCM for provider credentials: `base64(nonce || ciphertext)`.
#[derive(Clone)]
pub struct CredentialCipher {
    key: [u8; 32],
}

impl CredentialCipher {
    /// Encrypts with a fresh random nonce.
    pub fn encrypt(&self, plaintext: &[u8]) -> anyhow::Result<String> {
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(self.key));
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed =
            cipher.encrypt(&Nonce::from(nonce), plaintext).map_err(|_| anyhow::anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(B64.encode(out))
    }

    /// Decrypts what `encrypt` produced; tampering or the wrong key is an error.
    pub fn decrypt(&self, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = B64.decode(sealed).context("sealed value is not base64")?;
        if bytes.len() < 12 + 16 {
            bail!("sealed value too short");
        }
        let (nonce, body) = bytes.split_at(12);
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(self.key));
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| anyhow::anyhow!("bad nonce"))?;
        cipher.decrypt(&Nonce::from(nonce), body).map_err(|_| anyhow::anyhow!("cannot decrypt: wrong key or tampered"))
    }
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::{io::Write, os::unix::fs::OpenOptionsExt};
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(content.as_bytes())?;
        Ok(())
    }
    #[cfg(not(unix))]
    {
        fs::write(path, content).with_context(|| format!("cannot create {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = MasterKey::load_or_generate(None, dir.path()).unwrap();
        let b = MasterKey::load_or_generate(None, dir.path()).unwrap();
        assert_eq!(a.derive("x"), b.derive("x"));
        assert_ne!(a.derive("x"), a.derive("y"));
    }

    #[test]
    fn bad_keys_are_refused() {
        assert!(MasterKey::parse("short").is_err());
        assert!(MasterKey::parse(&"ab".repeat(32)).is_ok());
    }

    #[test]
    fn credentials_round_trip_and_detect_tampering() {
        let key = MasterKey::parse(&"11".repeat(32)).unwrap();
        let cipher = key.credentials_cipher();
        let sealed = cipher.encrypt(b"twilio-auth-token").unwrap();
        assert_eq!(cipher.decrypt(&sealed).unwrap(), b"twilio-auth-token");
        let mut raw = B64.decode(&sealed).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        assert!(cipher.decrypt(&B64.encode(raw)).is_err());
    }
}
