use std::time::Duration;

use chrono::NaiveDate;
use providers::asaas::{
    self, AsaasClient, AsaasConfig, AsaasError, BillingType, EventType, Money, NewCustomer, NewPayment, PaymentStatus,
};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{fixture, single_request};

const KEY: &str = "$aact_YTU5YTE0M2M2N2I4MTliNzk0YTI5N2U5MzdjNWZmNDQ6OjAwMDAwMDAwMDAwMDAwMDAwMDA6OiRhYWNoXzQ2";
const UA: &str = "Atende/0.1";

// ---------- webhooks (§4.5) ----------

#[test]
fn payment_created() {
    let e = asaas::parse_webhook(&fixture("asaas/webhook_payment_created.json")).unwrap();
    assert_eq!(e.id, "evt_1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d&900000001");
    assert_eq!(e.event, EventType::PaymentCreated);
    assert_eq!(e.date_created, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap().and_hms_opt(10, 0, 0));
    let p = e.payment.unwrap();
    assert_eq!(p.id, "pay_080225913252");
    assert_eq!(p.customer.as_deref(), Some("cus_000005219613"));
    assert_eq!(p.value, Some(Money::from_cents(10_000)));
    assert_eq!(p.net_value, Some(Money::from_cents(9_801)));
    assert_eq!(p.status, Some(PaymentStatus::Pending));
    assert_eq!(p.billing_type, Some(BillingType::Pix));
    assert_eq!(p.due_date, NaiveDate::from_ymd_opt(2025, 12, 10));
    assert_eq!(p.external_reference.as_deref(), Some("order-056984"));
    assert_eq!(p.invoice_url.as_deref(), Some("https://sandbox.asaas.com/i/080225913252"));
    assert!(!p.deleted);
}

#[test]
fn payment_lifecycle_events() {
    let received = asaas::parse_webhook(&fixture("asaas/webhook_payment_received.json")).unwrap();
    assert_eq!(received.event, EventType::PaymentReceived);
    let p = received.payment.unwrap();
    assert_eq!(p.status, Some(PaymentStatus::Received));
    assert!(p.status.as_ref().unwrap().is_paid());
    assert_eq!(p.payment_date, NaiveDate::from_ymd_opt(2025, 12, 2));
    assert_eq!(p.date_created, NaiveDate::from_ymd_opt(2025, 12, 1));
    assert!(p.transaction_receipt_url.is_some());

    let overdue = asaas::parse_webhook(&fixture("asaas/webhook_payment_overdue.json")).unwrap();
    assert_eq!(overdue.event, EventType::PaymentOverdue);
    assert_eq!(overdue.payment.unwrap().status, Some(PaymentStatus::Overdue));

    let deleted = asaas::parse_webhook(&fixture("asaas/webhook_payment_deleted.json")).unwrap();
    assert_eq!(deleted.event, EventType::PaymentDeleted);
    assert!(deleted.payment.unwrap().deleted);

    let refunded = asaas::parse_webhook(&fixture("asaas/webhook_payment_refunded.json")).unwrap();
    let p = refunded.payment.unwrap();
    assert_eq!(p.status, Some(PaymentStatus::Refunded));
    let refunds = p.refunds.unwrap();
    assert_eq!(refunds[0].value, Some(Money::from_cents(10_000)));
    assert_eq!(refunds[0].status.as_deref(), Some("DONE"));

    let confirmed = asaas::parse_webhook(&fixture("asaas/webhook_payment_confirmed.json")).unwrap();
    assert_eq!(confirmed.id, "evt_05b708f961d739ea7eba7e4db318f621&368604920");
    assert_eq!(confirmed.event, EventType::PaymentConfirmed);
    assert_eq!(confirmed.date_created, NaiveDate::from_ymd_opt(2024, 6, 12).unwrap().and_hms_opt(16, 45, 3));
}

#[test]
fn webhook_token_header() {
    assert!(asaas::verify_webhook_token("whsec_0123", Some("whsec_0123")));
    assert!(!asaas::verify_webhook_token("whsec_0123", Some("whsec_0124")));
    assert!(!asaas::verify_webhook_token("whsec_0123", None));
}

#[test]
fn large_values_are_exact_cents() {
    let p: asaas::Payment = serde_json::from_slice(&fixture("asaas/payment_boleto_large.json")).unwrap();
    assert_eq!(p.value, Some(Money::from_cents(123_456_789)));
    assert_eq!(p.net_value, Some(Money::from_cents(123_456_690)));
    assert_eq!(p.value.unwrap().to_string(), "1234567.89");
    assert_eq!(p.billing_type, Some(BillingType::Boleto));
    assert!(p.bank_slip_url.is_some());
}

// ---------- client (§4.1–§4.4) ----------

fn client_for(base: &str) -> AsaasClient {
    AsaasClient::new(
        reqwest::Client::new(),
        AsaasConfig { base_url: base.to_owned(), api_key: KEY.to_owned(), user_agent: UA.to_owned() },
    )
    .unwrap()
}

fn authed(m: wiremock::MockBuilder) -> wiremock::MockBuilder {
    m.and(header("access_token", KEY)).and(header("user-agent", UA)).and(header("content-type", "application/json"))
}

fn json_response(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

#[tokio::test]
async fn find_customer_by_document_is_a_bodyless_get() {
    let server = MockServer::start().await;
    authed(Mock::given(method("GET")).and(path("/v3/customers")))
        .and(query_param("cpfCnpj", "12345678909"))
        .respond_with(json_response(200, "asaas/customer_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    let doc = asaas::validate_cpf_cnpj("123.456.789-09").unwrap();
    let c = client_for(&server.uri()).find_customer_by_cpf_cnpj(&doc).await.unwrap().unwrap();
    assert_eq!(c.id, "cus_000005219613");
    assert_eq!(c.cpf_cnpj.as_deref(), Some("12345678909"));
    assert_eq!(c.person_type.as_deref(), Some("FISICA"));
    let req = single_request(&server).await;
    assert!(req.body.is_empty(), "GET must not carry a body");
}

#[tokio::test]
async fn find_or_create_creates_when_missing() {
    let server = MockServer::start().await;
    authed(Mock::given(method("GET")).and(path("/v3/customers")))
        .and(query_param("cpfCnpj", "12345678909"))
        .respond_with(json_response(200, "asaas/customer_list_empty.json"))
        .expect(1)
        .mount(&server)
        .await;
    authed(Mock::given(method("POST")).and(path("/v3/customers")))
        .and(body_string(
            r#"{"name":"Maria Silva","cpfCnpj":"12345678909","email":"maria@example.com","mobilePhone":"11987654321","externalReference":"user-42","notificationDisabled":true}"#,
        ))
        .respond_with(json_response(200, "asaas/customer.json"))
        .expect(1)
        .mount(&server)
        .await;
    let doc = asaas::validate_cpf_cnpj("12345678909").unwrap();
    let new = NewCustomer {
        email: Some("maria@example.com".into()),
        mobile_phone: Some("11987654321".into()),
        external_reference: Some("user-42".into()),
        notification_disabled: Some(true),
        ..NewCustomer::new("Maria Silva", &doc)
    };
    let c = client_for(&server.uri()).find_or_create_customer(&new).await.unwrap();
    assert_eq!(c.id, "cus_000005219613");
}

#[tokio::test]
async fn create_payment_sends_exact_decimal_value() {
    let server = MockServer::start().await;
    authed(Mock::given(method("POST")).and(path("/v3/payments")))
        .and(body_string(
            r#"{"customer":"cus_000005219613","billingType":"BOLETO","value":1234567.89,"dueDate":"2025-12-20","description":"Obra","externalReference":"order-777"}"#,
        ))
        .respond_with(json_response(200, "asaas/payment_boleto_large.json"))
        .expect(1)
        .mount(&server)
        .await;
    let payment = NewPayment {
        customer: "cus_000005219613".into(),
        billing_type: BillingType::Boleto,
        value: Money::parse("1234567.89").unwrap(),
        due_date: NaiveDate::from_ymd_opt(2025, 12, 20).unwrap(),
        description: Some("Obra".into()),
        external_reference: Some("order-777".into()),
    };
    let p = client_for(&server.uri()).create_payment(&payment).await.unwrap();
    assert_eq!(p.id, "pay_000000000777");
    assert_eq!(p.value, Some(payment.value));
}

#[tokio::test]
async fn get_delete_and_pix_qr_code() {
    let server = MockServer::start().await;
    authed(Mock::given(method("GET")).and(path("/v3/payments/pay_080225913252")))
        .respond_with(json_response(200, "asaas/payment.json"))
        .expect(1)
        .mount(&server)
        .await;
    authed(Mock::given(method("GET")).and(path("/v3/payments/pay_080225913252/pixQrCode")))
        .respond_with(json_response(200, "asaas/pix_qr_code.json"))
        .expect(1)
        .mount(&server)
        .await;
    authed(Mock::given(method("DELETE")).and(path("/v3/payments/pay_080225913252")))
        .respond_with(json_response(200, "asaas/deleted.json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let p = client.get_payment("pay_080225913252").await.unwrap();
    assert_eq!(p.status, Some(PaymentStatus::Pending));
    assert_eq!(p.value, Some(Money::from_cents(10_000)));
    assert_eq!(p.invoice_number.as_deref(), Some("00005101"));
    let qr = client.pix_qr_code("pay_080225913252").await.unwrap();
    assert!(qr.payload.starts_with("000201"));
    assert!(qr.encoded_image.starts_with("iVBOR"));
    assert_eq!(qr.expiration_date.as_deref(), Some("2026-12-10 23:59:59"));
    let d = client.delete_payment("pay_080225913252").await.unwrap();
    assert!(d.deleted);
    assert_eq!(d.id, "pay_080225913252");
    for r in server.received_requests().await.unwrap() {
        assert!(r.body.is_empty(), "{} {} carried a body", r.method, r.url);
    }
}

#[tokio::test]
async fn ids_are_path_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/payments/pay_1%2F..%2Fcustomers"))
        .respond_with(json_response(200, "asaas/payment.json"))
        .expect(1)
        .mount(&server)
        .await;
    client_for(&server.uri()).get_payment("pay_1/../customers").await.unwrap();
}

async fn get_against(template: ResponseTemplate) -> AsaasError {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v3/payments/pay_1")).respond_with(template).expect(1).mount(&server).await;
    client_for(&server.uri()).get_payment("pay_1").await.unwrap_err()
}

#[tokio::test]
async fn validation_errors_are_typed() {
    let err = get_against(json_response(400, "asaas/error_400.json")).await;
    assert!(!err.is_retryable());
    let errors = err.errors();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, "invalid_value");
    assert_eq!(errors[0].description, "O campo value deve ser informado");
    assert_eq!(errors[1].code, "invalid_dueDate");
    assert!(err.to_string().contains("A data de vencimento não pode ser inferior à hoje"));
}

#[tokio::test]
async fn auth_not_found_and_retryable() {
    let err = get_against(json_response(401, "asaas/error_401.json")).await;
    assert!(matches!(err, AsaasError::Auth { status: 401, ref message } if message.contains("inválida")), "{err:?}");
    let err = get_against(ResponseTemplate::new(404)).await;
    assert!(matches!(err, AsaasError::NotFound { .. }), "{err:?}");
    let err = get_against(
        json_response(429, "asaas/error_429.json")
            .insert_header("RateLimit-Limit", "100")
            .insert_header("RateLimit-Remaining", "0")
            .insert_header("RateLimit-Reset", "30"),
    )
    .await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    let err = get_against(json_response(429, "asaas/error_429.json").insert_header("Retry-After", "5")).await;
    assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
    let err = get_against(ResponseTemplate::new(503).set_body_string("Service Unavailable")).await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None);
    let err = get_against(ResponseTemplate::new(200).set_body_string("<html>")).await;
    assert!(matches!(err, AsaasError::Invalid(_)), "{err:?}");
}
