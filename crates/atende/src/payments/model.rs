//! API shapes for Asaas settings and charges.
//!
//! Money: every amount is **returned as a JSON string with exactly two decimals**
//! (`"1234567.89"`, `"0.30"`) and accepted as such a string or as a JSON number with at
//! most two decimals (`0.3`, `100`). Internally it is integer cents; never a float.

use chrono::{DateTime, NaiveDate, Utc};
use garde::Validate;
use providers::asaas::{BillingType as AsaasBillingType, Money};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity::charge;

/// Largest charge accepted: R$ 1,000,000,000.00 (keeps every amount exact in a JSON number).
pub const MAX_VALUE_CENTS: i64 = 100_000_000_000;

/// An amount in BRL: a string with two decimals out, a string or number with at most two
/// decimals in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub Money);

impl Amount {
    /// From integer cents.
    pub fn from_cents(cents: i64) -> Self {
        Amount(Money::from_cents(cents))
    }

    /// Integer cents.
    pub fn cents(self) -> i64 {
        self.0.cents()
    }

    /// Parses a plain decimal with at most two decimal places (`"12"`, `"0.3"`, `"1234567.89"`).
    pub fn parse_strict(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
            return Err(format!("`{text}` is not a decimal amount such as 1234.56"));
        }
        if frac.len() > 2 {
            return Err(format!("`{text}` has more than two decimal places"));
        }
        Money::parse(t).map(Amount).map_err(|e| e.to_string())
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_decimal_string())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u64),
            Float(f64),
            Text(String),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Int(n) => n.to_string(),
            // `Display` prints the shortest decimal that reads back as the same double,
            // i.e. the decimal the JSON carried (`0.3`, `1234567.89`).
            Raw::Float(f) if f.is_finite() && f >= 0.0 => f.to_string(),
            Raw::Float(f) => return Err(serde::de::Error::custom(format!("`{f}` is not a positive amount"))),
            Raw::Text(s) => s,
        };
        Amount::parse_strict(&text).map_err(serde::de::Error::custom)
    }
}

/// Asaas environment of a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Sandbox,
    Production,
}

impl Environment {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }

    /// Parses the stored form.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "sandbox" => Some(Environment::Sandbox),
            "production" => Some(Environment::Production),
            _ => None,
        }
    }
}

/// `{asaasSettings}`: the tenant's Asaas configuration as admins see it (never the key).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AsaasSettingsView {
    /// Whether settings were saved and an API key is present.
    pub configured: bool,
    pub environment: Environment,
    /// The API key is write-only: only its presence is shown.
    pub has_api_key: bool,
    /// Asaas API base in use (`https://api-sandbox.asaas.com/v3`, …).
    pub api_base_url: String,
    /// Absolute URL to paste into Asaas (Integrações → Webhooks); null until saved.
    pub webhook_url: Option<String>,
    /// The "Token de autenticação" to paste next to the URL; Asaas sends it back in
    /// `asaas-access-token`. Null until saved.
    pub webhook_token: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `{asaasSettings}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AsaasSettingsEnvelope {
    pub asaas_settings: AsaasSettingsView,
}

/// `PUT /asaas/settings`: absent fields keep their value.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateAsaasSettings {
    /// `sandbox` (default) or `production`.
    #[garde(skip)]
    pub environment: Option<Environment>,
    /// Asaas API key (`$aact_…`); write-only.
    #[garde(length(min = 1, max = 500))]
    pub api_key: Option<String>,
    /// Webhook auth token (32–255 visible characters); generated when never set.
    #[garde(length(min = 32, max = 255))]
    pub webhook_token: Option<String>,
    /// Generates a new webhook token (the old one stops working at once).
    #[garde(skip)]
    #[serde(default)]
    pub regenerate_webhook_token: bool,
}

/// `POST /asaas/settings/test`: checks a key against Asaas. Without `apiKey`, the saved
/// one; without `environment`, the saved one (or sandbox).
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestAsaasConnection {
    #[garde(skip)]
    pub environment: Option<Environment>,
    /// A key to try before saving it; never stored by this call.
    #[garde(length(min = 1, max = 500))]
    pub api_key: Option<String>,
}

/// Who the key belongs to, as Asaas answered.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AsaasConnection {
    pub environment: Environment,
    /// The holder's company name, else their name.
    pub account_name: Option<String>,
    pub email: Option<String>,
    /// Asaas' approval status of the account (`APPROVED`, `PENDING`…).
    pub status: Option<String>,
}

/// How the payer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BillingType {
    Pix,
    Boleto,
    CreditCard,
    /// The payer chooses on Asaas' page.
    Undefined,
}

impl BillingType {
    /// The wire / stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingType::Pix => "PIX",
            BillingType::Boleto => "BOLETO",
            BillingType::CreditCard => "CREDIT_CARD",
            BillingType::Undefined => "UNDEFINED",
        }
    }

    /// The provider crate's value.
    pub fn to_asaas(self) -> AsaasBillingType {
        AsaasBillingType::from(self.as_str())
    }

    /// Whether Asaas offers a Pix QR code for it (Pix is also enabled on boleto and
    /// payer-chooses charges).
    pub fn has_pix(self) -> bool {
        !matches!(self, BillingType::CreditCard)
    }
}

/// `POST /asaas/charges`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateCharge {
    #[garde(skip)]
    pub contact_id: Uuid,
    /// Conversation the charge belongs to (must be the contact's).
    #[garde(skip)]
    pub conversation_id: Option<Uuid>,
    /// Amount in BRL: a string or number with at most two decimals (`"150.00"`, `150`).
    #[garde(skip)]
    #[schema(value_type = String, example = "150.00")]
    pub value: Amount,
    /// `YYYY-MM-DD`.
    #[garde(skip)]
    pub due_date: NaiveDate,
    #[garde(skip)]
    pub billing_type: BillingType,
    #[garde(length(max = 500))]
    pub description: Option<String>,
    /// CPF or CNPJ (formatted or bare); needed the first time a contact is charged.
    #[garde(length(max = 32))]
    pub cpf_cnpj: Option<String>,
}

/// A charge as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChargeView {
    pub id: Uuid,
    /// Asaas id (`pay_…`).
    pub asaas_charge_id: String,
    /// Asaas status (PENDING, RECEIVED, CONFIRMED, OVERDUE, REFUNDED, …) or DELETED.
    pub status: String,
    /// Two decimals, as a string.
    #[schema(value_type = String, example = "150.00")]
    pub value: Amount,
    /// After Asaas fees, when known.
    #[schema(value_type = Option<String>, example = "147.01")]
    pub net_value: Option<Amount>,
    pub due_date: NaiveDate,
    pub billing_type: String,
    pub description: Option<String>,
    /// Asaas' hosted payment page.
    pub invoice_url: Option<String>,
    /// Boleto PDF (boleto charges).
    pub bank_slip_url: Option<String>,
    /// Pix "copia e cola" code.
    pub pix_payload: Option<String>,
    /// Base64 PNG of the Pix QR code.
    pub pix_qr_image: Option<String>,
    pub contact_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
    pub environment: Environment,
    pub payment_date: Option<NaiveDate>,
    pub paid_at: Option<DateTime<Utc>>,
    /// `atende` (created here) or `external` (learnt from a webhook).
    pub origin: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&charge::Model> for ChargeView {
    fn from(m: &charge::Model) -> Self {
        ChargeView {
            id: m.id,
            asaas_charge_id: m.asaas_charge_id.clone(),
            status: m.status.clone(),
            value: Amount::from_cents(m.value_cents),
            net_value: m.net_value_cents.map(Amount::from_cents),
            due_date: m.due_date,
            billing_type: m.billing_type.clone(),
            description: m.description.clone(),
            invoice_url: m.invoice_url.clone(),
            bank_slip_url: m.bank_slip_url.clone(),
            pix_payload: m.pix_payload.clone(),
            pix_qr_image: m.pix_qr_image.clone(),
            contact_id: m.contact_id,
            conversation_id: m.conversation_id,
            environment: Environment::parse(&m.environment).unwrap_or_default(),
            payment_date: m.payment_date,
            paid_at: m.paid_at,
            origin: m.origin.clone(),
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// `{asaasCharge}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChargeEnvelope {
    pub asaas_charge: ChargeView,
}

/// `{asaasCharges, total}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChargeList {
    pub asaas_charges: Vec<ChargeView>,
    pub total: u64,
}

/// Filters for `GET /asaas/charges`, newest first.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListCharges {
    pub contact_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
    /// An Asaas status (PENDING, RECEIVED, …) or DELETED.
    pub status: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `POST /asaas/charges/{id}/send` (body optional).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendCharge {
    /// Where to post the link; defaults to the charge's conversation.
    pub conversation_id: Option<Uuid>,
}

/// The `payment_update` socket payload.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentUpdate {
    pub charge_id: Uuid,
    pub status: String,
    pub contact_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_strict_and_exact() {
        let a: Amount = serde_json::from_str("0.1").unwrap();
        let b: Amount = serde_json::from_str("0.2").unwrap();
        assert_eq!(a.cents() + b.cents(), 30);
        assert_eq!(serde_json::to_string(&Amount::from_cents(30)).unwrap(), "\"0.30\"");
        let big: Amount = serde_json::from_str("1234567.89").unwrap();
        assert_eq!(big.cents(), 123_456_789);
        assert_eq!(serde_json::from_str::<Amount>("\"1234567.89\"").unwrap(), big);
        assert_eq!(serde_json::from_str::<Amount>("100").unwrap().cents(), 10_000);
        for bad in ["0.123", "\"1,50\"", "-1", "\"-1\"", "\"1e3\"", "\"\"", "\"1.\"", "true"] {
            assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
        }
    }
}
