//! Asaas API v3 (Brazilian payments: Pix, boleto, card).
//!
//! Quirks (see `reference/external-apis.md` §4):
//! - Auth is a custom `access_token` header (not `Authorization`); keys start
//!   with `$aact_`. `User-Agent` is mandatory for newer accounts. Sandbox and
//!   production keys differ (wrong environment → 401).
//! - **Never send a body on GET**: CloudFront answers 403.
//! - Errors are `{"errors":[{"code","description"}]}` with Portuguese text.
//! - Limits: 25,000 requests / 12 h, 50 concurrent GETs; per-endpoint limits
//!   report `RateLimit-Limit/Remaining/Reset` (seconds). 429 and 5xx are retried.
//! - Money is a JSON decimal number in reais (`100.0`, `98.01`); this crate
//!   keeps integer cents ([`Money`]) and converts without float arithmetic.
//! - Duplicate customers are allowed: search by `cpfCnpj` before creating.
//! - `cpfCnpj` is digits only; [`validate_cpf_cnpj`] checks the check digits.
//! - Webhooks are authenticated by a plain shared secret in
//!   `asaas-access-token` (no HMAC), delivered at least once (deduplicate on the
//!   event `id`, which looks like `evt_…&368604920`), and only HTTP 200 counts as
//!   success. Envelope `dateCreated` is `YYYY-MM-DD HH:mm:ss` (Brasília time, no
//!   zone); payment dates are `YYYY-MM-DD`.

mod client;
mod document;
mod money;
mod types;
mod webhook;

pub use client::{AsaasClient, AsaasConfig, AsaasError, PRODUCTION_BASE_URL, SANDBOX_BASE_URL};
pub use document::{Document, DocumentError, DocumentKind, validate_cpf_cnpj};
pub use money::{Money, MoneyError};
pub use types::{
    ApiErrorItem, BillingType, CommercialInfo, Customer, DeletedResource, EventType, NewCustomer, NewPayment, Page,
    Payment, PaymentStatus, PixQrCode, Refund,
};
pub use webhook::{AsaasEvent, parse_webhook, verify_webhook_token};
