//! Asaas request and response types (reference §4.3–§4.5).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::document::Document;
use super::money::Money;

/// Declares a string enum that keeps unknown values as `Other`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this crate does not know (kept verbatim).
            Other(String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}

string_enum! {
    /// How the payer pays (`billingType`).
    BillingType {
        /// Boleto (bank slip); Pix is also offered.
        Boleto = "BOLETO",
        /// Credit card.
        CreditCard = "CREDIT_CARD",
        /// Pix.
        Pix = "PIX",
        /// The payer chooses.
        Undefined = "UNDEFINED",
    }
}

string_enum! {
    /// Payment status. CONFIRMED = paid, balance pending (cards);
    /// RECEIVED = paid and settled (Pix, boleto).
    PaymentStatus {
        /// Waiting for payment.
        Pending = "PENDING",
        /// Paid and settled.
        Received = "RECEIVED",
        /// Paid, balance not yet available.
        Confirmed = "CONFIRMED",
        /// Past due date.
        Overdue = "OVERDUE",
        /// Refunded.
        Refunded = "REFUNDED",
        /// Marked as received in cash.
        ReceivedInCash = "RECEIVED_IN_CASH",
        /// Refund requested.
        RefundRequested = "REFUND_REQUESTED",
        /// Refund in progress.
        RefundInProgress = "REFUND_IN_PROGRESS",
        /// Chargeback requested.
        ChargebackRequested = "CHARGEBACK_REQUESTED",
        /// Chargeback in dispute.
        ChargebackDispute = "CHARGEBACK_DISPUTE",
        /// Awaiting chargeback reversal.
        AwaitingChargebackReversal = "AWAITING_CHARGEBACK_REVERSAL",
        /// Dunning requested.
        DunningRequested = "DUNNING_REQUESTED",
        /// Dunning received.
        DunningReceived = "DUNNING_RECEIVED",
        /// Awaiting risk analysis.
        AwaitingRiskAnalysis = "AWAITING_RISK_ANALYSIS",
    }
}

impl PaymentStatus {
    /// Paid (settled or not).
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Received | Self::Confirmed | Self::ReceivedInCash)
    }
}

string_enum! {
    /// Webhook event type (§4.5).
    EventType {
        /// Charge created.
        PaymentCreated = "PAYMENT_CREATED",
        /// Card payment waiting for risk analysis.
        PaymentAwaitingRiskAnalysis = "PAYMENT_AWAITING_RISK_ANALYSIS",
        /// Approved by risk analysis.
        PaymentApprovedByRiskAnalysis = "PAYMENT_APPROVED_BY_RISK_ANALYSIS",
        /// Reproved by risk analysis.
        PaymentReprovedByRiskAnalysis = "PAYMENT_REPROVED_BY_RISK_ANALYSIS",
        /// Card payment authorized.
        PaymentAuthorized = "PAYMENT_AUTHORIZED",
        /// Due date or value changed.
        PaymentUpdated = "PAYMENT_UPDATED",
        /// Paid, balance pending.
        PaymentConfirmed = "PAYMENT_CONFIRMED",
        /// Paid and settled.
        PaymentReceived = "PAYMENT_RECEIVED",
        /// Card capture refused.
        PaymentCreditCardCaptureRefused = "PAYMENT_CREDIT_CARD_CAPTURE_REFUSED",
        /// Anticipated.
        PaymentAnticipated = "PAYMENT_ANTICIPATED",
        /// Past due.
        PaymentOverdue = "PAYMENT_OVERDUE",
        /// Charge removed.
        PaymentDeleted = "PAYMENT_DELETED",
        /// Charge restored.
        PaymentRestored = "PAYMENT_RESTORED",
        /// Refunded.
        PaymentRefunded = "PAYMENT_REFUNDED",
        /// Partially refunded.
        PaymentPartiallyRefunded = "PAYMENT_PARTIALLY_REFUNDED",
        /// Refund in progress.
        PaymentRefundInProgress = "PAYMENT_REFUND_IN_PROGRESS",
        /// Cash receipt undone.
        PaymentReceivedInCashUndone = "PAYMENT_RECEIVED_IN_CASH_UNDONE",
        /// Chargeback requested.
        PaymentChargebackRequested = "PAYMENT_CHARGEBACK_REQUESTED",
        /// Chargeback in dispute.
        PaymentChargebackDispute = "PAYMENT_CHARGEBACK_DISPUTE",
        /// Awaiting chargeback reversal.
        PaymentAwaitingChargebackReversal = "PAYMENT_AWAITING_CHARGEBACK_REVERSAL",
        /// Dunning requested.
        PaymentDunningRequested = "PAYMENT_DUNNING_REQUESTED",
        /// Dunning received.
        PaymentDunningReceived = "PAYMENT_DUNNING_RECEIVED",
        /// Boleto viewed by the payer.
        PaymentBankSlipViewed = "PAYMENT_BANK_SLIP_VIEWED",
        /// Invoice page viewed by the payer.
        PaymentCheckoutViewed = "PAYMENT_CHECKOUT_VIEWED",
    }
}

impl EventType {
    /// Whether the event belongs to the payment family (carries `payment`).
    pub fn is_payment(&self) -> bool {
        self.as_str().starts_with("PAYMENT_")
    }
}

/// One entry of an Asaas `errors[]` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorItem {
    /// Machine code (`invalid_value`).
    #[serde(default)]
    pub code: String,
    /// Portuguese description.
    #[serde(default)]
    pub description: String,
}

/// `POST /v3/customers` body. Only `name` and `cpfCnpj` are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewCustomer {
    /// Full name.
    pub name: String,
    /// CPF/CNPJ, bare.
    pub cpf_cnpj: String,
    /// E-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile phone (digits, with area code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    /// Our id for this customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    /// Turn off Asaas' own e-mail/SMS notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_disabled: Option<bool>,
}

impl NewCustomer {
    /// A customer with the two required fields.
    pub fn new(name: impl Into<String>, document: &Document) -> Self {
        Self { name: name.into(), cpf_cnpj: document.as_str().to_owned(), ..Self::default() }
    }
}

/// A customer as returned by Asaas (unknown fields ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// `cus_...`.
    pub id: String,
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Mobile phone.
    #[serde(default)]
    pub mobile_phone: Option<String>,
    /// CPF/CNPJ.
    #[serde(default)]
    pub cpf_cnpj: Option<String>,
    /// `FISICA` or `JURIDICA`.
    #[serde(default)]
    pub person_type: Option<String>,
    /// Our reference.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// Removed customer.
    #[serde(default, deserialize_with = "null_false")]
    pub deleted: bool,
    /// Creation date.
    #[serde(default, deserialize_with = "flex_date")]
    pub date_created: Option<NaiveDate>,
}

/// A list envelope (`{"object":"list","hasMore",...,"data":[...]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// Whether more pages follow.
    #[serde(default)]
    pub has_more: bool,
    /// Total matches.
    #[serde(default)]
    pub total_count: u64,
    /// Page size.
    #[serde(default)]
    pub limit: u64,
    /// Offset of this page.
    #[serde(default)]
    pub offset: u64,
    /// Items.
    pub data: Vec<T>,
}

/// `POST /v3/payments` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPayment {
    /// `cus_...`.
    pub customer: String,
    /// How the payer pays.
    pub billing_type: BillingType,
    /// Amount.
    pub value: Money,
    /// Due date (`YYYY-MM-DD`).
    pub due_date: NaiveDate,
    /// Shown to the payer (≤ 500 chars).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Our id for this charge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
}

/// A payment ("cobrança") as returned by the API and in webhooks.
/// Webhook payloads may omit most fields; only `id` is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// `pay_...`.
    pub id: String,
    /// `cus_...`.
    #[serde(default)]
    pub customer: Option<String>,
    /// Amount.
    #[serde(default)]
    pub value: Option<Money>,
    /// Amount after Asaas fees.
    #[serde(default)]
    pub net_value: Option<Money>,
    /// Status.
    #[serde(default)]
    pub status: Option<PaymentStatus>,
    /// Billing type.
    #[serde(default)]
    pub billing_type: Option<BillingType>,
    /// Due date.
    #[serde(default, deserialize_with = "flex_date")]
    pub due_date: Option<NaiveDate>,
    /// Creation date.
    #[serde(default, deserialize_with = "flex_date")]
    pub date_created: Option<NaiveDate>,
    /// Payment date.
    #[serde(default, deserialize_with = "flex_date")]
    pub payment_date: Option<NaiveDate>,
    /// Date the payer paid.
    #[serde(default, deserialize_with = "flex_date")]
    pub client_payment_date: Option<NaiveDate>,
    /// Confirmation date.
    #[serde(default, deserialize_with = "flex_date")]
    pub confirmed_date: Option<NaiveDate>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Our reference.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// Hosted payment page.
    #[serde(default)]
    pub invoice_url: Option<String>,
    /// Boleto PDF (boleto charges).
    #[serde(default)]
    pub bank_slip_url: Option<String>,
    /// Invoice number.
    #[serde(default)]
    pub invoice_number: Option<String>,
    /// Receipt after payment.
    #[serde(default)]
    pub transaction_receipt_url: Option<String>,
    /// Removed charge.
    #[serde(default, deserialize_with = "null_false")]
    pub deleted: bool,
    /// Refunds, when any.
    #[serde(default)]
    pub refunds: Option<Vec<Refund>>,
}

/// One refund of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    /// Refund status (`DONE`, `PENDING`, ...).
    #[serde(default)]
    pub status: Option<String>,
    /// Refunded amount.
    #[serde(default)]
    pub value: Option<Money>,
    /// Reason.
    #[serde(default)]
    pub description: Option<String>,
    /// When (date or date-time, kept verbatim).
    #[serde(default)]
    pub date_created: Option<String>,
    /// Receipt.
    #[serde(default)]
    pub transaction_receipt_url: Option<String>,
}

/// `GET /v3/payments/{id}/pixQrCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PixQrCode {
    /// Base64 PNG of the QR code.
    pub encoded_image: String,
    /// "Copia e cola" EMV string.
    pub payload: String,
    /// Expiry, verbatim (format not documented, e.g. `2026-12-10 23:59:59`).
    #[serde(default)]
    pub expiration_date: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// `GET /v3/myAccount/commercialInfo`: the account holder (only what we show).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommercialInfo {
    /// The holder's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The company's name, for a CNPJ account.
    #[serde(default)]
    pub company_name: Option<String>,
    /// The account's e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// `FISICA` or `JURIDICA`.
    #[serde(default)]
    pub person_type: Option<String>,
    /// `APPROVED`, `AWAITING_ACTION_AUTHORIZATION`, `DENIED` or `PENDING`.
    #[serde(default)]
    pub status: Option<String>,
}

/// `DELETE` answer: `{"deleted": true, "id": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedResource {
    /// Whether it was deleted.
    #[serde(default)]
    pub deleted: bool,
    /// The id.
    pub id: String,
}

/// `YYYY-MM-DD`, also accepting a date-time (`YYYY-MM-DD HH:mm:ss`) by its date.
fn flex_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(s) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let date = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("invalid date `{s}`")))
}

fn null_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_enums_keep_unknown_values() {
        let b: BillingType = serde_json::from_str("\"PIX\"").unwrap();
        assert_eq!(b, BillingType::Pix);
        let b: BillingType = serde_json::from_str("\"DEBIT_CARD\"").unwrap();
        assert_eq!(b, BillingType::Other("DEBIT_CARD".into()));
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"DEBIT_CARD\"");
        assert_eq!(serde_json::to_string(&BillingType::CreditCard).unwrap(), "\"CREDIT_CARD\"");
        assert!(PaymentStatus::from("RECEIVED").is_paid());
        assert!(!PaymentStatus::from("PENDING").is_paid());
        assert!(EventType::from("PAYMENT_SPLIT_CANCELLED").is_payment());
        assert!(!EventType::from("BILL_PAID").is_payment());
    }

    #[test]
    fn new_payment_serializes_like_the_docs() {
        let p = NewPayment {
            customer: "cus_1".into(),
            billing_type: BillingType::Boleto,
            value: Money::parse("1234567.89").unwrap(),
            due_date: NaiveDate::from_ymd_opt(2025, 12, 10).unwrap(),
            description: None,
            external_reference: Some("order-1".into()),
        };
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"customer":"cus_1","billingType":"BOLETO","value":1234567.89,"dueDate":"2025-12-10","externalReference":"order-1"}"#
        );
    }

    #[test]
    fn dates_accept_datetime_and_reject_garbage() {
        let p: Payment =
            serde_json::from_str(r#"{"id":"pay_1","dateCreated":"2025-12-01 10:00:00","dueDate":null,"deleted":null}"#)
                .unwrap();
        assert_eq!(p.date_created, NaiveDate::from_ymd_opt(2025, 12, 1));
        assert_eq!(p.due_date, None);
        assert!(!p.deleted);
        assert!(serde_json::from_str::<Payment>(r#"{"id":"pay_1","dueDate":"10/12/2025"}"#).is_err());
    }
}
