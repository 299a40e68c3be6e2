//! Asaas v3 HTTP client (reference §4.1–§4.4).

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::document::Document;
use super::money::Money;
use super::types::{
    ApiErrorItem, CommercialInfo, Customer, DeletedResource, NewCustomer, NewPayment, Page, Payment, PixQrCode,
};
use crate::common::ConfigError;
use crate::http::{self, RawResponse};

/// Production host (paths start with `/v3`).
pub const PRODUCTION_BASE_URL: &str = "https://api.asaas.com";
/// Sandbox host (paths start with `/v3`).
pub const SANDBOX_BASE_URL: &str = "https://api-sandbox.asaas.com";

/// Everything an [`AsaasClient`] needs. `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct AsaasConfig {
    /// [`PRODUCTION_BASE_URL`] or [`SANDBOX_BASE_URL`] (or a mock).
    pub base_url: String,
    /// API key (`$aact_...`), sent as the `access_token` header.
    pub api_key: String,
    /// `User-Agent` (mandatory for accounts created since 2024-06-13).
    pub user_agent: String,
}

impl fmt::Debug for AsaasConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsaasConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Why an Asaas call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AsaasError {
    /// The request was refused (400 and other 4xx): the `errors[]` say why.
    #[error("Asaas rejected the request (HTTP {status}): {}", describe(.errors))]
    Rejected {
        /// HTTP status.
        status: u16,
        /// Asaas' errors (code + Portuguese description).
        errors: Vec<ApiErrorItem>,
    },
    /// 404: unknown id or endpoint.
    #[error("Asaas resource not found: {message}")]
    NotFound {
        /// Asaas' message.
        message: String,
    },
    /// 401/403: missing, invalid or wrong-environment key, or blocked.
    #[error("Asaas authentication failed (HTTP {status}): {message}")]
    Auth {
        /// HTTP status.
        status: u16,
        /// Asaas' message.
        message: String,
    },
    /// 429, 5xx, timeout or connection error: try again later.
    #[error("temporary Asaas failure: {reason}")]
    Retryable {
        /// What happened.
        reason: String,
        /// `Retry-After` / `RateLimit-Reset`, when given.
        retry_after: Option<Duration>,
    },
    /// A 2xx answer that could not be read, or a request that could not be built.
    #[error("invalid Asaas exchange: {0}")]
    Invalid(String),
}

impl AsaasError {
    /// Whether retrying later can succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, AsaasError::Retryable { .. })
    }

    /// Requested delay before a retry.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            AsaasError::Retryable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The `errors[]` of a rejected request (empty otherwise).
    pub fn errors(&self) -> &[ApiErrorItem] {
        match self {
            AsaasError::Rejected { errors, .. } => errors,
            _ => &[],
        }
    }
}

fn describe(errors: &[ApiErrorItem]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.code, e.description)).collect::<Vec<_>>().join("; ")
}

/// Asaas v3 client.
#[derive(Debug, Clone)]
pub struct AsaasClient {
    http: reqwest::Client,
    base: Url,
    config: AsaasConfig,
}

impl AsaasClient {
    /// Builds a client; fails on an unusable base URL or an empty key / user agent.
    pub fn new(http: reqwest::Client, config: AsaasConfig) -> Result<Self, ConfigError> {
        let base = http::parse_base_url(&config.base_url)?;
        if config.api_key.trim().is_empty() {
            return Err(ConfigError::Missing("api_key"));
        }
        if config.user_agent.trim().is_empty() {
            return Err(ConfigError::Missing("user_agent"));
        }
        Ok(Self { http, base, config })
    }

    /// `GET /v3/customers?cpfCnpj=` → the first customer not deleted.
    pub async fn find_customer_by_cpf_cnpj(&self, document: &Document) -> Result<Option<Customer>, AsaasError> {
        let page: Page<Customer> =
            self.call(Method::GET, &["customers"], &[("cpfCnpj", document.as_str())], None).await?;
        Ok(page.data.into_iter().find(|c| !c.deleted))
    }

    /// `POST /v3/customers`. Asaas allows duplicates: search first.
    pub async fn create_customer(&self, customer: &NewCustomer) -> Result<Customer, AsaasError> {
        self.call(Method::POST, &["customers"], &[], Some(to_json(customer)?)).await
    }

    /// Finds the customer by CPF/CNPJ, creating it when missing.
    pub async fn find_or_create_customer(&self, customer: &NewCustomer) -> Result<Customer, AsaasError> {
        let document = super::document::validate_cpf_cnpj(&customer.cpf_cnpj)
            .map_err(|e| AsaasError::Invalid(format!("customer CPF/CNPJ: {e}")))?;
        if let Some(found) = self.find_customer_by_cpf_cnpj(&document).await? {
            return Ok(found);
        }
        self.create_customer(customer).await
    }

    /// `POST /v3/payments`.
    pub async fn create_payment(&self, payment: &NewPayment) -> Result<Payment, AsaasError> {
        self.call(Method::POST, &["payments"], &[], Some(to_json(payment)?)).await
    }

    /// `GET /v3/payments/{id}`.
    pub async fn get_payment(&self, id: &str) -> Result<Payment, AsaasError> {
        self.call(Method::GET, &["payments", id], &[], None).await
    }

    /// `DELETE /v3/payments/{id}` (cancels a pending charge).
    pub async fn delete_payment(&self, id: &str) -> Result<DeletedResource, AsaasError> {
        self.call(Method::DELETE, &["payments", id], &[], None).await
    }

    /// `GET /v3/myAccount/commercialInfo`: who the key belongs to (the cheapest
    /// authenticated call, used to test a key).
    pub async fn commercial_info(&self) -> Result<CommercialInfo, AsaasError> {
        self.call(Method::GET, &["myAccount", "commercialInfo"], &[], None).await
    }

    /// `GET /v3/payments/{id}/pixQrCode`.
    pub async fn pix_qr_code(&self, id: &str) -> Result<PixQrCode, AsaasError> {
        self.call(Method::GET, &["payments", id, "pixQrCode"], &[], None).await
    }

    /// `POST /v3/payments/{id}/refund`; `None` refunds the full amount.
    pub async fn refund_payment(
        &self,
        id: &str,
        value: Option<Money>,
        description: Option<&str>,
    ) -> Result<Payment, AsaasError> {
        #[derive(Serialize)]
        struct RefundBody<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            value: Option<Money>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'a str>,
        }
        let body = to_json(&RefundBody { value, description })?;
        self.call(Method::POST, &["payments", id, "refund"], &[], Some(body)).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<T, AsaasError> {
        let mut url = http::join_segments(&self.base, std::iter::once("v3").chain(path.iter().copied()));
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self
            .http
            .request(method, url)
            .header("access_token", &self.config.api_key)
            .header(reqwest::header::USER_AGENT, &self.config.user_agent)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json");
        // Never a body on GET (CloudFront answers 403).
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = http::execute(request).await.map_err(|f| {
            if f.retryable {
                AsaasError::Retryable { reason: f.reason, retry_after: None }
            } else {
                AsaasError::Invalid(f.reason)
            }
        })?;
        if !response.status.is_success() {
            return Err(map_error(&response));
        }
        serde_json::from_slice(&response.body)
            .map_err(|e| AsaasError::Invalid(format!("unreadable Asaas response: {e}")))
    }
}

/// Serializes a body in the struct's field order.
fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, AsaasError> {
    serde_json::to_vec(value).map_err(|e| AsaasError::Invalid(format!("request body: {e}")))
}

fn map_error(response: &RawResponse) -> AsaasError {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        #[serde(default)]
        errors: Vec<ApiErrorItem>,
    }
    let status = response.status;
    let errors = serde_json::from_slice::<ErrorBody>(&response.body).map(|b| b.errors).unwrap_or_default();
    let message = if errors.is_empty() { http::snippet(&response.body_text()) } else { describe(&errors) };
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return AsaasError::Retryable {
            reason: format!("Asaas HTTP {}: {message}", status.as_u16()),
            retry_after: http::retry_after(&response.headers),
        };
    }
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => AsaasError::Auth { status: status.as_u16(), message },
        StatusCode::NOT_FOUND => AsaasError::NotFound { message },
        _ if errors.is_empty() => AsaasError::Rejected {
            status: status.as_u16(),
            errors: vec![ApiErrorItem { code: format!("http_{}", status.as_u16()), description: message }],
        },
        _ => AsaasError::Rejected { status: status.as_u16(), errors },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_debug_hides_key() {
        let c = AsaasConfig {
            base_url: SANDBOX_BASE_URL.into(),
            api_key: "$aact_secret".into(),
            user_agent: "atende".into(),
        };
        assert!(!format!("{c:?}").contains("$aact_secret"));
        let missing_ua = AsaasConfig { user_agent: " ".into(), ..c };
        assert_eq!(
            AsaasClient::new(reqwest::Client::new(), missing_ua).err(),
            Some(ConfigError::Missing("user_agent"))
        );
    }

    #[test]
    fn error_display_lists_descriptions() {
        let e = AsaasError::Rejected {
            status: 400,
            errors: vec![
                ApiErrorItem { code: "invalid_value".into(), description: "O campo value deve ser informado".into() },
                ApiErrorItem {
                    code: "invalid_dueDate".into(),
                    description: "A data de vencimento não pode ser inferior à hoje".into(),
                },
            ],
        };
        assert_eq!(
            e.to_string(),
            "Asaas rejected the request (HTTP 400): invalid_value: O campo value deve ser informado; invalid_dueDate: A data de vencimento não pode ser inferior à hoje"
        );
        assert!(!e.is_retryable());
        assert_eq!(e.errors().len(), 2);
    }
}
