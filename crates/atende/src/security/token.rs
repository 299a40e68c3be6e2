//! Signed login tokens (JWT, HS256) and opaque personal API tokens.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Prefix that tells a personal API token from a JWT.
pub const API_TOKEN_PREFIX: &str = "atd_";

/// JWT claims. `sid` names the server-side session that logout revokes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id (or platform admin id).
    pub sub: Uuid,
    /// Tenant id; absent for platform (super admin) tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<Uuid>,
    /// Session id.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
}

/// Keys derived from the master secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    /// Builds the HS256 keys from a dedicated subkey of the master secret.
    pub fn new(signing_key: &[u8]) -> anyhow::Result<Self> {
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(signing_key)?,
            decoding: DecodingKey::from_secret(signing_key)?,
        })
    }

    /// Signs claims.
    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)?)
    }

    /// Verifies signature and expiry; `None` for anything invalid.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok().map(|data| data.claims)
    }
}

/// Claims for a new session.
pub fn claims(user_id: Uuid, tenant_id: Option<Uuid>, session_id: Uuid, expires_at: DateTime<Utc>) -> Claims {
    Claims { sub: user_id, tid: tenant_id, sid: session_id, iat: Utc::now().timestamp(), exp: expires_at.timestamp() }
}

/// A new random personal API token and the hash stored for it.
pub fn new_api_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{API_TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = hash_api_token(&token);
    (token, hash)
}

/// SHA-256 of a personal API token (high-entropy, so no slow hash is needed).
pub fn hash_api_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify_round_trip() {
        let keys = TokenKeys::new(&[7u8; 32]).unwrap();
        let c = claims(Uuid::now_v7(), Some(Uuid::now_v7()), Uuid::now_v7(), Utc::now() + chrono::Duration::hours(1));
        let token = keys.sign(&c).unwrap();
        let back = keys.verify(&token).unwrap();
        assert_eq!(back.sub, c.sub);
        assert_eq!(back.tid, c.tid);
        let other = TokenKeys::new(&[8u8; 32]).unwrap();
        assert!(other.verify(&token).is_none());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = TokenKeys::new(&[7u8; 32]).unwrap();
        let c = claims(Uuid::now_v7(), None, Uuid::now_v7(), Utc::now() - chrono::Duration::hours(1));
        assert!(keys.verify(&keys.sign(&c).unwrap()).is_none());
    }

    #[test]
    fn api_tokens_hash_stably() {
        let (token, hash) = new_api_token();
        assert!(token.starts_with(API_TOKEN_PREFIX));
        assert_eq!(hash_api_token(&token), hash);
    }
}
