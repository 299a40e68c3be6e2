//! Payments through a mock Asaas speaking the real v3 format: settings, customers,
//! charges for every billing type, Pix codes, cancel, errors and retries, webhooks
//! (token, dedupe, ordering, realtime per tenant), tenant isolation and exact money.

use std::time::Duration;

use atende::{
    payments,
    tenancy::{Role, Scope},
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{
    Mock, MockServer, Request, ResponseTemplate,
    matchers::{header, method, path, query_param},
};

use crate::{core_helpers::*, helpers::*, socket::SocketProbe};

const KEY_A: &str = "$aact_hmlg_000MzkwODA2MWY2OGM3MWRlMDU2NWM3MzJlNzZmNGZhZGY6OmFhYWE=";
const KEY_B: &str = "$aact_hmlg_000MzkwODA2MWY2OGM3MWRlMDU2NWM3MzJlNzZmNGZhZGY6OmJiYmI=";
/// A CPF with valid check digits.
const CPF: &str = "12345678909";
const CUSTOMER: &str = "cus_000005219613";
const PIX_PAYLOAD: &str = "00020101021226820014br.gov.bcb.pix2560qrpix-h.bradesco.com.br/9d36b84f-c70b-478f-b95c-12729b90ca255204000053039865802BR5905ASAAS6009JOINVILLE62070503***63041D3D";
const PIX_IMAGE: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const DUE: &str = "2030-12-10";

async fn spawn_payments() -> (TestApp, MockServer) {
    let asaas = MockServer::start().await;
    let app = spawn_with(Options { asaas_base_url: Some(asaas.uri()), ..Default::default() }).await;
    (app, asaas)
}

/// A tenant with Asaas configured and one conversation with a contact.
struct Desk {
    tenant: Tenant,
    admin: Session,
    conversation_id: String,
    contact_id: String,
    webhook_path: String,
    webhook_token: String,
}

async fn desk(app: &TestApp, slug: &str, key: &str) -> Desk {
    let tenant = app.create_tenant(slug).await;
    let admin = app.admin(&tenant).await;
    let saved = app.put("/api/v1/asaas/settings", &admin.token, json!({"environment": "sandbox", "apiKey": key})).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let settings = &saved.body["asaasSettings"];
    let url = settings["webhookUrl"].as_str().unwrap();
    let webhook_path = format!("/webhooks/asaas/{}", url.rsplit('/').next().unwrap());
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let conversation_id = app.receive(&channel, "ext-1", "cust-1", "Quero pagar").await;
    let conversation = app.get(&format!("/api/v1/conversations/{conversation_id}"), &admin.token).await;
    let contact_id = conversation.body["conversation"]["contact"]["id"].as_str().unwrap().to_string();
    Desk {
        tenant,
        admin,
        conversation_id,
        contact_id,
        webhook_path,
        webhook_token: settings["webhookToken"].as_str().unwrap().to_string(),
    }
}

fn customer_json() -> Value {
    json!({"object":"customer","id":CUSTOMER,"dateCreated":"2025-12-01","name":"Maria Silva","email":null,
        "phone":null,"mobilePhone":"11987654321","address":null,"addressNumber":null,"complement":null,
        "province":null,"city":null,"cityName":null,"state":null,"country":"Brasil","postalCode":null,
        "cpfCnpj":CPF,"personType":"FISICA","deleted":false,"additionalEmails":null,"externalReference":null,
        "notificationDisabled":false,"observations":null,"municipalInscription":null,"stateInscription":null,
        "canDelete":true,"cannotBeDeletedReason":null,"canEdit":true,"cannotEditReason":null,"foreignCustomer":false})
}

fn page(data: Vec<Value>) -> Value {
    json!({"object":"list","hasMore":false,"totalCount":data.len(),"limit":10,"offset":0,"data":data})
}

/// A payment object as Asaas returns it. `value` is the JSON number Asaas sends.
fn payment_json(id: &str, billing: &str, value: Value, status: &str, reference: &str) -> Value {
    let number = id.trim_start_matches("pay_");
    json!({"object":"payment","id":id,"dateCreated":"2025-12-01","customer":CUSTOMER,"subscription":null,
        "installment":null,"paymentLink":null,"value":value,"netValue":null,"originalValue":null,
        "interestValue":null,"description":null,"billingType":billing,"pixTransaction":null,"status":status,
        "dueDate":DUE,"originalDueDate":DUE,"paymentDate":null,"clientPaymentDate":null,"confirmedDate":null,
        "installmentNumber":null,"invoiceUrl":format!("https://sandbox.asaas.com/i/{number}"),
        "invoiceNumber":"00005101","externalReference":reference,"deleted":false,"anticipated":false,
        "anticipable":false,"creditDate":null,"estimatedCreditDate":null,"transactionReceiptUrl":null,
        "nossoNumero":null,
        "bankSlipUrl": if billing == "BOLETO" { json!(format!("https://sandbox.asaas.com/b/pdf/{number}")) } else { Value::Null },
        "lastInvoiceViewedDate":null,"lastBankSlipViewedDate":null,"postalService":false,"custody":null,"refunds":null})
}

fn pix_json() -> Value {
    json!({"encodedImage": PIX_IMAGE, "payload": PIX_PAYLOAD, "expirationDate": "2031-12-10 23:59:59", "description": null})
}

/// The customer search finds Maria.
async fn mount_customer_found(asaas: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v3/customers"))
        .and(query_param("cpfCnpj", CPF))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![customer_json()])))
        .mount(asaas)
        .await;
}

/// `POST /v3/payments` answers with `pay_id` echoing the request's reference and value.
async fn mount_payment(asaas: &MockServer, pay_id: &'static str, billing: &'static str) {
    Mock::given(method("POST"))
        .and(path("/v3/payments"))
        .and(wiremock::matchers::body_partial_json(json!({"billingType": billing})))
        .respond_with(move |req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            ResponseTemplate::new(200).set_body_json(payment_json(
                pay_id,
                billing,
                body["value"].clone(),
                "PENDING",
                body["externalReference"].as_str().unwrap(),
            ))
        })
        .up_to_n_times(1)
        .mount(asaas)
        .await;
}

async fn mount_pix(asaas: &MockServer, pay_id: &str) {
    Mock::given(method("GET"))
        .and(path(format!("/v3/payments/{pay_id}/pixQrCode")))
        .respond_with(ResponseTemplate::new(200).set_body_json(pix_json()))
        .mount(asaas)
        .await;
}

async fn create(app: &TestApp, desk: &Desk, body: Value) -> Reply {
    app.post("/api/v1/asaas/charges", &desk.admin.token, body).await
}

fn charge_body(desk: &Desk, billing: &str, value: Value) -> Value {
    json!({"contactId": desk.contact_id, "conversationId": desk.conversation_id, "value": value,
           "dueDate": DUE, "billingType": billing, "cpfCnpj": "123.456.789-09"})
}

/// A PIX charge of R$ 150.00 as `pay_id`, created through the API.
async fn pix_charge(app: &TestApp, asaas: &MockServer, desk: &Desk, pay_id: &'static str) -> Value {
    mount_payment(asaas, pay_id, "PIX").await;
    mount_pix(asaas, pay_id).await;
    let reply = create(app, desk, charge_body(desk, "PIX", json!("150.00"))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["asaasCharge"].clone()
}

fn event(id: &str, kind: &str, at: &str, payment: Value) -> Value {
    json!({"id": id, "event": kind, "dateCreated": at, "payment": payment})
}

async fn deliver(app: &TestApp, path: &str, token: Option<&str>, body: &Value) -> Reply {
    let mut builder = app
        .client
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap());
    if let Some(token) = token {
        builder = builder.header("asaas-access-token", token);
    }
    read(builder.send().await.unwrap()).await
}

/// Requests Asaas received on `/v3/...`, optionally of one method and path.
async fn asaas_requests(asaas: &MockServer, m: &str, p: &str) -> Vec<Request> {
    asaas
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == m && r.url.path() == p)
        .collect()
}

/// Every Asaas call carries the key, our User-Agent and JSON content type; GETs and
/// DELETEs carry no body.
async fn assert_asaas_headers(asaas: &MockServer, key: &str) {
    for r in asaas.received_requests().await.unwrap() {
        assert_eq!(r.headers.get("access_token").unwrap().to_str().unwrap(), key, "{} {}", r.method, r.url);
        assert_eq!(r.headers.get("user-agent").unwrap().to_str().unwrap(), payments::account::USER_AGENT);
        assert_eq!(r.headers.get("content-type").unwrap().to_str().unwrap(), "application/json");
        assert!(r.headers.get("authorization").is_none());
        if r.method.as_str() != "POST" {
            assert!(r.body.is_empty(), "{} {} has a body", r.method, r.url);
        }
    }
}

fn scope(tenant: &Tenant) -> Scope {
    Scope::system(tenant.id)
}

async fn stored(app: &TestApp, tenant: &Tenant, id: &str) -> payments::entity::charge::Model {
    payments::store::charge_get(&app.db, &scope(tenant), id.parse().unwrap()).await.unwrap().expect("stored charge")
}

#[tokio::test]
async fn settings_are_admin_only_keep_the_key_write_only_and_show_the_webhook_url_and_token() {
    let (app, _asaas) = spawn_payments().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;

    let empty = app.get("/api/v1/asaas/settings", &admin.token).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.body["asaasSettings"]["configured"], false);
    assert_eq!(empty.body["asaasSettings"]["hasApiKey"], false);
    assert_eq!(empty.body["asaasSettings"]["webhookUrl"], Value::Null);

    assert_eq!(app.get("/api/v1/asaas/settings", &agent.token).await.status, StatusCode::FORBIDDEN);
    let refused = app.put("/api/v1/asaas/settings", &agent.token, json!({"apiKey": KEY_A})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let saved = app.put("/api/v1/asaas/settings", &admin.token, json!({"apiKey": KEY_A})).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let s = &saved.body["asaasSettings"];
    assert_eq!(s["configured"], true);
    assert_eq!(s["hasApiKey"], true);
    assert_eq!(s["environment"], "sandbox");
    assert!(!saved.body.to_string().contains(KEY_A), "the key is write-only");
    let url = s["webhookUrl"].as_str().unwrap();
    let prefix = format!("{}/webhooks/asaas/", app.state.config.public_url());
    assert!(url.starts_with(&prefix), "{url}");
    let key = &url[prefix.len()..];
    assert_eq!(key.len(), 64, "an unguessable path segment");
    let token = s["webhookToken"].as_str().unwrap().to_string();
    assert!(token.len() >= 32, "{token}");

    // Sealed at rest.
    let row = payments::store::settings_get(&app.db, &scope(&tenant)).await.unwrap().unwrap();
    assert!(!row.api_key_sealed.as_deref().unwrap().contains("aact"));
    assert!(!row.webhook_token_sealed.contains(&token));

    // A later save keeps the key, the URL and the token unless asked.
    let prod = app.put("/api/v1/asaas/settings", &admin.token, json!({"environment": "production"})).await;
    let p = &prod.body["asaasSettings"];
    assert_eq!(p["environment"], "production");
    assert_eq!(p["hasApiKey"], true);
    assert_eq!(p["webhookUrl"], url);
    assert_eq!(p["webhookToken"], token.as_str());
    let rotated = app.put("/api/v1/asaas/settings", &admin.token, json!({"regenerateWebhookToken": true})).await.body;
    assert_ne!(rotated["asaasSettings"]["webhookToken"], token.as_str());
    let chosen = "x".repeat(31) + "Y";
    let mine = app.put("/api/v1/asaas/settings", &admin.token, json!({"webhookToken": chosen})).await;
    assert_eq!(mine.body["asaasSettings"]["webhookToken"], chosen.as_str());
    let short = app.put("/api/v1/asaas/settings", &admin.token, json!({"webhookToken": "short"})).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_env = app.put("/api/v1/asaas/settings", &admin.token, json!({"environment": "staging"})).await;
    assert_eq!(bad_env.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_first_charge_searches_the_customer_by_cpf_then_creates_it_and_later_charges_reuse_it() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    Mock::given(method("GET"))
        .and(path("/v3/customers"))
        .and(query_param("cpfCnpj", CPF))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![])))
        .expect(1)
        .mount(&asaas)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json()))
        .expect(1)
        .mount(&asaas)
        .await;
    pix_charge(&app, &asaas, &d, "pay_000000000001").await;
    // Second charge: the mapping is stored, no customer call.
    let second = pix_charge(&app, &asaas, &d, "pay_000000000002").await;
    assert_eq!(second["asaasChargeId"], "pay_000000000002");

    let created = asaas_requests(&asaas, "POST", "/v3/customers").await;
    let body = String::from_utf8(created[0].body.clone()).unwrap();
    let phone: String = phone_of("cust-1").chars().skip(3).collect();
    assert_eq!(
        body,
        format!(
            r#"{{"name":"Maria Silva","cpfCnpj":"{CPF}","mobilePhone":"{phone}","externalReference":"{}"}}"#,
            d.contact_id
        )
    );
    let search = &asaas_requests(&asaas, "GET", "/v3/customers").await[0];
    assert_eq!(search.url.query(), Some("cpfCnpj=12345678909"));
    for p in asaas_requests(&asaas, "POST", "/v3/payments").await {
        let body: Value = serde_json::from_slice(&p.body).unwrap();
        assert_eq!(body["customer"], CUSTOMER);
    }
    assert_asaas_headers(&asaas, KEY_A).await;
}

#[tokio::test]
async fn an_existing_asaas_customer_found_by_cpf_is_reused_without_creating_another() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    Mock::given(method("POST"))
        .and(path("/v3/customers"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&asaas)
        .await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000001").await;
    assert_eq!(charge["status"], "PENDING");
    let mapping =
        payments::store::customer_for_contact(&app.db, &scope(&d.tenant), "sandbox", d.contact_id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(mapping.asaas_customer_id, CUSTOMER);
    assert_eq!(mapping.cpf_cnpj, CPF);
}

#[tokio::test]
async fn each_billing_type_sends_the_exact_body_and_headers_and_pix_codes_are_fetched() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    let cases: [(&str, &'static str); 4] = [
        ("PIX", "pay_000000000011"),
        ("BOLETO", "pay_000000000012"),
        ("CREDIT_CARD", "pay_000000000013"),
        ("UNDEFINED", "pay_000000000014"),
    ];
    for (billing, pay_id) in cases {
        let billing: &'static str = Box::leak(billing.to_string().into_boxed_str());
        mount_payment(&asaas, pay_id, billing).await;
        if billing != "CREDIT_CARD" {
            mount_pix(&asaas, pay_id).await;
        }
        let mut body = charge_body(&d, billing, json!(150));
        body["description"] = json!("Pedido 056984");
        let reply = create(&app, &d, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{billing}: {:?}", reply.body);
        let c = &reply.body["asaasCharge"];
        assert_eq!(c["asaasChargeId"], pay_id);
        assert_eq!(c["billingType"], billing);
        assert_eq!(c["status"], "PENDING");
        assert_eq!(c["value"], "150.00");
        assert_eq!(c["dueDate"], DUE);
        assert_eq!(c["invoiceUrl"], format!("https://sandbox.asaas.com/i/{}", pay_id.trim_start_matches("pay_")));
        assert_eq!(c["contactId"], d.contact_id.as_str());
        assert_eq!(c["conversationId"], d.conversation_id.as_str());
        if billing == "BOLETO" {
            assert!(c["bankSlipUrl"].as_str().unwrap().contains("/b/pdf/"));
        } else {
            assert_eq!(c["bankSlipUrl"], Value::Null);
        }
        if billing == "CREDIT_CARD" {
            assert_eq!(c["pixPayload"], Value::Null);
            assert!(asaas_requests(&asaas, "GET", &format!("/v3/payments/{pay_id}/pixQrCode")).await.is_empty());
        } else {
            assert_eq!(c["pixPayload"], PIX_PAYLOAD);
            assert_eq!(c["pixQrImage"], PIX_IMAGE);
        }
        // The exact body, in the documented field order; our id is the externalReference.
        let sent = asaas_requests(&asaas, "POST", "/v3/payments").await;
        let raw = String::from_utf8(sent.last().unwrap().body.clone()).unwrap();
        assert_eq!(
            raw,
            format!(
                r#"{{"customer":"{CUSTOMER}","billingType":"{billing}","value":150.0,"dueDate":"{DUE}","description":"Pedido 056984","externalReference":"{}"}}"#,
                c["id"].as_str().unwrap()
            )
        );
    }
    assert_asaas_headers(&asaas, KEY_A).await;
    let list = app.get("/api/v1/asaas/charges?billingType=ignored", &d.admin.token).await;
    assert_eq!(list.body["total"], 4);
}

#[tokio::test]
async fn an_invalid_or_missing_cpf_is_a_422_before_any_asaas_call() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    let mut body = charge_body(&d, "PIX", json!("10.00"));
    body["cpfCnpj"] = json!("123.456.789-00");
    let invalid = create(&app, &d, body.clone()).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", invalid.body);
    assert_eq!(invalid.code(), "validation_failed");
    assert!(invalid.body["error"]["message"].as_str().unwrap().contains("cpfCnpj"));
    assert!(invalid.body["error"]["message"].as_str().unwrap().contains("check digits"));
    body.as_object_mut().unwrap().remove("cpfCnpj");
    let missing = create(&app, &d, body).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["error"]["details"]["cpfCnpj"][0].as_str().unwrap().contains("required"));
    assert!(asaas.received_requests().await.unwrap().is_empty(), "no call to Asaas");
    // Bad money is refused before Asaas too.
    for value in [json!("0.001"), json!(-5), json!("0"), json!("1,50")] {
        let reply = create(&app, &d, charge_body(&d, "PIX", value.clone())).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{value}: {:?}", reply.body);
    }
    assert!(asaas.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_asaas_validation_error_is_a_422_with_its_description() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    Mock::given(method("POST"))
        .and(path("/v3/payments"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"errors":[
            {"code":"invalid_dueDate","description":"A data de vencimento não pode ser inferior à hoje"}]})))
        .mount(&asaas)
        .await;
    let reply = create(&app, &d, charge_body(&d, "BOLETO", json!("10.00"))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "asaas_rejected");
    assert_eq!(reply.body["error"]["message"], "A data de vencimento não pode ser inferior à hoje");
    assert_eq!(reply.body["error"]["details"]["asaasErrors"][0]["code"], "invalid_dueDate");
    assert_eq!(count(&app, "asaas_charges").await, 0);
}

#[tokio::test]
async fn asaas_429_and_5xx_are_503_and_502_for_people_and_retried_in_the_background() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;

    // Interactive: reported at once with a clear code.
    Mock::given(method("POST"))
        .and(path("/v3/payments"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("RateLimit-Reset", "7")
                .set_body_json(json!({"errors":[{"code":"too_many_requests","description":"Muitas requisições"}]})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&asaas)
        .await;
    let reply = create(&app, &d, charge_body(&d, "PIX", json!("10.00"))).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", reply.body);
    assert_eq!(reply.code(), "asaas_rate_limited");
    assert_eq!(reply.headers.get("retry-after").unwrap(), "7");
    Mock::given(method("POST"))
        .and(path("/v3/payments"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream error"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&asaas)
        .await;
    let reply = create(&app, &d, charge_body(&d, "PIX", json!("10.00"))).await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert_eq!(reply.code(), "asaas_unavailable");
    assert_eq!(count(&app, "asaas_charges").await, 0);

    // Background: the charge exists, its Pix code is fetched by a job that retries the 429.
    mount_payment(&asaas, "pay_000000000021", "PIX").await;
    Mock::given(method("GET"))
        .and(path("/v3/payments/pay_000000000021/pixQrCode"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"errors":[{"code":"too_many_requests","description":"Muitas requisições"}]})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&asaas)
        .await;
    mount_pix(&asaas, "pay_000000000021").await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&d.admin.token), None).await;
    let reply = create(&app, &d, charge_body(&d, "PIX", json!("10.00"))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let id = reply.body["asaasCharge"]["id"].as_str().unwrap().to_string();
    assert_eq!(reply.body["asaasCharge"]["pixPayload"], Value::Null);
    assert_eq!(app.run_jobs().await, 2, "one 429 retried, then the code");
    let charge = app.get(&format!("/api/v1/asaas/charges/{id}"), &d.admin.token).await;
    assert_eq!(charge.body["asaasCharge"]["pixPayload"], PIX_PAYLOAD);
    assert_eq!(asaas_requests(&asaas, "GET", "/v3/payments/pay_000000000021/pixQrCode").await.len(), 3);
    socket.event("payment_update").await; // created
    let update = socket.event("payment_update").await; // Pix code arrived
    assert_eq!(update["chargeId"], id.as_str());
    socket.close().await;
}

#[tokio::test]
async fn a_pending_charge_can_be_cancelled_once_and_a_paid_one_cannot() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000031").await;
    Mock::given(method("DELETE"))
        .and(path("/v3/payments/pay_000000000031"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"deleted": true, "id": "pay_000000000031"})))
        .expect(1)
        .mount(&asaas)
        .await;
    let id = charge["id"].as_str().unwrap();
    // Agents may charge but not cancel (issue 12 #9).
    app.create_user(&d.tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let refused = app.delete(&format!("/api/v1/asaas/charges/{id}"), &agent.token).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let cancelled = app.delete(&format!("/api/v1/asaas/charges/{id}"), &d.admin.token).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    // Who cancelled it is on record.
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let audit = atende::audit::entity::Entity::find()
            .filter(atende::audit::entity::Column::Action.eq("charge.cancelled"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor_id, Some(d.tenant.admin_id));
        assert_eq!(audit[0].target_id, Some(id.parse().unwrap()));
    }
    assert_eq!(cancelled.body["asaasCharge"]["status"], "DELETED");
    let again = app.delete(&format!("/api/v1/asaas/charges/{id}"), &d.admin.token).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "charge_not_cancellable");
    let send = app.post(&format!("/api/v1/asaas/charges/{id}/send"), &d.admin.token, json!({})).await;
    assert_eq!(send.status, StatusCode::CONFLICT);

    // A paid charge cannot be cancelled.
    let paid = pix_charge(&app, &asaas, &d, "pay_000000000032").await;
    let mut payment = payment_json("pay_000000000032", "PIX", json!(150.0), "RECEIVED", paid["id"].as_str().unwrap());
    payment["paymentDate"] = json!("2025-12-02");
    let ack = deliver(
        &app,
        &d.webhook_path,
        Some(&d.webhook_token),
        &event("evt_1&1", "PAYMENT_RECEIVED", "2025-12-02 14:31:07", payment),
    )
    .await;
    assert_eq!(ack.status, StatusCode::OK);
    app.run_jobs().await;
    let refused = app.delete(&format!("/api/v1/asaas/charges/{}", paid["id"].as_str().unwrap()), &d.admin.token).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let history = payments::store::charge_events(&app.db, &scope(&d.tenant), id.parse().unwrap()).await.unwrap();
    let sources: Vec<_> = history.iter().map(|h| (h.source.as_str(), h.status_after.as_str())).collect();
    assert_eq!(sources, vec![("created", "PENDING"), ("cancel", "DELETED")]);
}

#[tokio::test]
async fn a_webhook_with_the_right_token_updates_the_status_and_only_the_tenants_sockets_hear_it() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    let other = desk(&app, "beta", KEY_B).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_080225913252").await;
    let id = charge["id"].as_str().unwrap();

    let (mut mine, connected) = SocketProbe::connect(&app.base, Some(&d.admin.token), None).await;
    assert_eq!(connected["type"], "connect");
    let (mut theirs, _) = SocketProbe::connect(&app.base, Some(&other.admin.token), None).await;

    let mut payment = payment_json("pay_080225913252", "PIX", json!(150.0), "RECEIVED", id);
    payment["paymentDate"] = json!("2025-12-02");
    payment["netValue"] = json!(148.01);
    let body =
        event("evt_05b708f961d739ea7eba7e4db318f621&368604920", "PAYMENT_RECEIVED", "2025-12-02 14:31:07", payment);
    let ack = deliver(&app, &d.webhook_path, Some(&d.webhook_token), &body).await;
    assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    assert_eq!(ack.body["status"], "accepted");
    // Answered before processing: still pending until the job runs.
    assert_eq!(stored(&app, &d.tenant, id).await.status, "PENDING");
    assert_eq!(app.run_jobs().await, 1);

    // The creation's PENDING update may still be on its way when the socket connects.
    let update = mine
        .wait_for(|v| v["name"] == "payment_update" && v["data"]["status"] == "RECEIVED", Duration::from_secs(10))
        .await
        .expect("payment_update RECEIVED")["data"]
        .clone();
    assert_eq!(
        update,
        json!({"chargeId": id, "status": "RECEIVED", "contactId": d.contact_id, "conversationId": d.conversation_id})
    );
    let note = mine
        .wait_for(|v| v["name"] == "new_message" && v["data"]["senderType"] == "SYSTEM", Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(note["data"]["content"], "Pagamento recebido: R$ 150,00 (cobrança pay_080225913252).");
    assert_eq!(note["data"]["conversationId"], d.conversation_id.as_str());
    theirs.no_event("payment_update", Duration::from_millis(1500)).await;

    let row = stored(&app, &d.tenant, id).await;
    assert_eq!(row.status, "RECEIVED");
    assert_eq!(row.net_value_cents, Some(14_801));
    assert_eq!(row.payment_date.unwrap().to_string(), "2025-12-02");
    assert_eq!(row.status_at.unwrap().to_rfc3339(), "2025-12-02T17:31:07+00:00", "Brasília time kept as UTC");
    let history = payments::store::charge_events(&app.db, &scope(&d.tenant), row.id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.source.as_str(), last.event_type.as_deref(), last.applied),
        ("webhook", Some("PAYMENT_RECEIVED"), true)
    );
    assert_eq!(last.status_before.as_deref(), Some("PENDING"));
    let api = app.get(&format!("/api/v1/asaas/charges/{id}"), &d.admin.token).await;
    assert_eq!(api.body["asaasCharge"]["status"], "RECEIVED");
    assert_eq!(api.body["asaasCharge"]["netValue"], "148.01");
    let list = app
        .get(&format!("/api/v1/asaas/charges?conversationId={}&status=RECEIVED", d.conversation_id), &d.admin.token)
        .await;
    assert_eq!(list.body["total"], 1);
    let history = app.get(&format!("/api/v1/messages?conversationId={}", d.conversation_id), &d.admin.token).await;
    assert_eq!(history.body["messages"][0]["senderType"], "SYSTEM");
    assert_eq!(history.body["messages"][0]["metadata"]["kind"], "payment_received");
    mine.close().await;
    theirs.close().await;
}

#[tokio::test]
async fn a_wrong_or_missing_webhook_token_is_401_and_stores_nothing() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    let other = desk(&app, "beta", KEY_B).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000041").await;
    let jobs_before = count(&app, "jobs").await;
    let body = event(
        "evt_x&1",
        "PAYMENT_RECEIVED",
        "2025-12-02 14:31:07",
        payment_json("pay_000000000041", "PIX", json!(150.0), "RECEIVED", charge["id"].as_str().unwrap()),
    );
    for token in [Some("wrong-token"), None, Some(""), Some(other.webhook_token.as_str())] {
        let reply = deliver(&app, &d.webhook_path, token, &body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(reply.code(), "invalid_signature");
    }
    let unknown = deliver(&app, &format!("/webhooks/asaas/{}", "0".repeat(64)), Some(&d.webhook_token), &body).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "asaas_webhook_events").await, 0);
    assert_eq!(count(&app, "jobs").await, jobs_before);
    assert_eq!(stored(&app, &d.tenant, charge["id"].as_str().unwrap()).await.status, "PENDING");
}

#[tokio::test]
async fn a_duplicate_event_is_processed_once() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000051").await;
    let id = charge["id"].as_str().unwrap();
    let body = event(
        "evt_dup&900000002",
        "PAYMENT_RECEIVED",
        "2025-12-02 14:31:07",
        payment_json("pay_000000000051", "PIX", json!(150.0), "RECEIVED", id),
    );
    assert_eq!(deliver(&app, &d.webhook_path, Some(&d.webhook_token), &body).await.body["status"], "accepted");
    let again = deliver(&app, &d.webhook_path, Some(&d.webhook_token), &body).await;
    assert_eq!(again.status, StatusCode::OK, "only 200 counts as delivered for Asaas");
    assert_eq!(again.body["status"], "duplicate");
    assert_eq!(app.run_jobs().await, 1);
    // Delivered again after processing: still once.
    assert_eq!(deliver(&app, &d.webhook_path, Some(&d.webhook_token), &body).await.body["status"], "duplicate");
    assert_eq!(app.run_jobs().await, 0);
    assert_eq!(count(&app, "asaas_webhook_events").await, 1);
    let history = payments::store::charge_events(&app.db, &scope(&d.tenant), id.parse().unwrap()).await.unwrap();
    assert_eq!(history.iter().filter(|h| h.source == "webhook").count(), 1);
    let messages = app.get(&format!("/api/v1/messages?conversationId={}", d.conversation_id), &d.admin.token).await;
    let system = messages.body["messages"].as_array().unwrap().iter().filter(|m| m["senderType"] == "SYSTEM").count();
    assert_eq!(system, 1);
}

#[tokio::test]
async fn an_out_of_order_created_event_after_received_does_not_regress_the_status() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000061").await;
    let id = charge["id"].as_str().unwrap();
    let received = event(
        "evt_a&900000002",
        "PAYMENT_RECEIVED",
        "2025-12-02 14:31:07",
        payment_json("pay_000000000061", "PIX", json!(150.0), "RECEIVED", id),
    );
    let created = event(
        "evt_a&900000001",
        "PAYMENT_CREATED",
        "2025-12-01 10:00:00",
        payment_json("pay_000000000061", "PIX", json!(150.0), "PENDING", id),
    );
    let overdue_same_second = event(
        "evt_a&900000003",
        "PAYMENT_OVERDUE",
        "2025-12-02 14:31:07",
        payment_json("pay_000000000061", "PIX", json!(150.0), "OVERDUE", id),
    );
    for body in [&received, &created, &overdue_same_second] {
        assert_eq!(deliver(&app, &d.webhook_path, Some(&d.webhook_token), body).await.status, StatusCode::OK);
        app.run_jobs().await;
    }
    let row = stored(&app, &d.tenant, id).await;
    assert_eq!(row.status, "RECEIVED");
    assert_eq!(row.status_at.unwrap().to_rfc3339(), "2025-12-02T17:31:07+00:00");
    let history = payments::store::charge_events(&app.db, &scope(&d.tenant), row.id).await.unwrap();
    let webhooks: Vec<_> =
        history.iter().filter(|h| h.source == "webhook").map(|h| (h.event_type.clone().unwrap(), h.applied)).collect();
    assert_eq!(
        webhooks,
        vec![
            ("PAYMENT_RECEIVED".to_string(), true),
            ("PAYMENT_CREATED".to_string(), false),
            ("PAYMENT_OVERDUE".to_string(), false)
        ]
    );
    // A genuinely later event still moves it on.
    let refunded = event(
        "evt_a&900000005",
        "PAYMENT_REFUNDED",
        "2025-12-04 09:00:00",
        payment_json("pay_000000000061", "PIX", json!(150.0), "REFUNDED", id),
    );
    deliver(&app, &d.webhook_path, Some(&d.webhook_token), &refunded).await;
    app.run_jobs().await;
    assert_eq!(stored(&app, &d.tenant, id).await.status, "REFUNDED");
}

#[tokio::test]
async fn another_tenants_charge_ids_are_404_on_every_payments_endpoint() {
    let (app, asaas) = spawn_payments().await;
    let a = desk(&app, "alpha", KEY_A).await;
    let b = desk(&app, "beta", KEY_B).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &a, "pay_000000000071").await;
    let id = charge["id"].as_str().unwrap();
    let requests_before = asaas.received_requests().await.unwrap().len();

    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/asaas/charges/{id}"), None),
        (Method::POST, format!("/api/v1/asaas/charges/{id}/status"), None),
        (Method::DELETE, format!("/api/v1/asaas/charges/{id}"), None),
        (Method::POST, format!("/api/v1/asaas/charges/{id}/send"), Some(json!({}))),
        (Method::POST, format!("/api/v1/asaas/charges/{id}/send"), Some(json!({"conversationId": b.conversation_id}))),
        (Method::GET, format!("/api/v1/asaas/charges/{}", Uuid::now_v7()), None),
        (Method::GET, "/api/v1/asaas/charges/not-a-uuid".to_string(), None),
        // B cannot charge A's contact, nor attach a charge to A's conversation.
        (Method::POST, "/api/v1/asaas/charges".to_string(), Some(charge_body(&a, "PIX", json!("1.00")))),
        (
            Method::POST,
            "/api/v1/asaas/charges".to_string(),
            Some(json!({"contactId": b.contact_id, "conversationId": a.conversation_id, "value": "1.00",
                        "dueDate": DUE, "billingType": "PIX", "cpfCnpj": CPF})),
        ),
    ];
    for (m, p, body) in attempts {
        let reply = app.request(m.clone(), &p, Some(&b.admin.token), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{m} {p}: {:?}", reply.body);
    }
    for query in
        [String::new(), format!("?contactId={}", a.contact_id), format!("?conversationId={}", a.conversation_id)]
    {
        let list = app.get(&format!("/api/v1/asaas/charges{query}"), &b.admin.token).await;
        assert_eq!(list.body["total"], 0, "{query}");
    }
    assert_eq!(asaas.received_requests().await.unwrap().len(), requests_before, "nothing reached Asaas");

    // B's webhook naming A's Asaas charge leaves A's charge alone.
    let body = event(
        "evt_b&1",
        "PAYMENT_RECEIVED",
        "2025-12-02 14:31:07",
        payment_json("pay_000000000071", "PIX", json!(150.0), "RECEIVED", id),
    );
    assert_eq!(deliver(&app, &b.webhook_path, Some(&b.webhook_token), &body).await.status, StatusCode::OK);
    app.run_jobs().await;
    assert_eq!(stored(&app, &a.tenant, id).await.status, "PENDING");
    let theirs = app.get("/api/v1/asaas/charges", &b.admin.token).await;
    assert_eq!(theirs.body["total"], 1, "stored in B, unlinked");
    assert_eq!(theirs.body["asaasCharges"][0]["contactId"], Value::Null);
    assert_ne!(theirs.body["asaasCharges"][0]["id"], id);
    // A still sees its own.
    assert_eq!(app.get(&format!("/api/v1/asaas/charges/{id}"), &a.admin.token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn money_round_trips_exactly() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    let cases: [(Value, &'static str, &str, i64, &str); 5] = [
        (json!(0.1), "pay_000000000081", "0.10", 10, "0.1"),
        (json!(0.2), "pay_000000000082", "0.20", 20, "0.2"),
        (json!("0.30"), "pay_000000000083", "0.30", 30, "0.3"),
        (json!(1234567.89), "pay_000000000084", "1234567.89", 123_456_789, "1234567.89"),
        (json!("1234567.89"), "pay_000000000085", "1234567.89", 123_456_789, "1234567.89"),
    ];
    let mut ids = Vec::new();
    for (value, pay_id, shown, cents, wire) in cases {
        mount_payment(&asaas, pay_id, "PIX").await;
        mount_pix(&asaas, pay_id).await;
        let reply = create(&app, &d, charge_body(&d, "PIX", value.clone())).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{value}: {:?}", reply.body);
        assert_eq!(reply.body["asaasCharge"]["value"], shown);
        let id = reply.body["asaasCharge"]["id"].as_str().unwrap().to_string();
        assert_eq!(stored(&app, &d.tenant, &id).await.value_cents, cents);
        let sent = asaas_requests(&asaas, "POST", "/v3/payments").await;
        let raw = String::from_utf8(sent.last().unwrap().body.clone()).unwrap();
        assert!(raw.contains(&format!(r#""value":{wire},"#)), "{raw}");
        ids.push(id);
    }
    // 0.1 + 0.2 is exactly 0.3 in cents.
    let first = stored(&app, &d.tenant, &ids[0]).await.value_cents + stored(&app, &d.tenant, &ids[1]).await.value_cents;
    assert_eq!(first, stored(&app, &d.tenant, &ids[2]).await.value_cents);
    // A webhook carrying 1234567.89 as a JSON number leaves the cents exact.
    let mut payment = payment_json("pay_000000000084", "PIX", json!(1234567.89), "RECEIVED", &ids[3]);
    payment["netValue"] = json!(1234565.9);
    deliver(
        &app,
        &d.webhook_path,
        Some(&d.webhook_token),
        &event("evt_m&1", "PAYMENT_RECEIVED", "2025-12-02 14:31:07", payment),
    )
    .await;
    app.run_jobs().await;
    let row = stored(&app, &d.tenant, &ids[3]).await;
    assert_eq!((row.value_cents, row.net_value_cents), (123_456_789, Some(123_456_590)));
    let api = app.get(&format!("/api/v1/asaas/charges/{}", ids[3]), &d.admin.token).await;
    assert_eq!(api.body["asaasCharge"]["value"], "1234567.89");
    assert_eq!(api.body["asaasCharge"]["netValue"], "1234565.90");
    let messages = app.get(&format!("/api/v1/messages?conversationId={}", d.conversation_id), &d.admin.token).await;
    assert_eq!(
        messages.body["messages"][0]["content"],
        "Pagamento recebido: R$ 1.234.567,89 (cobrança pay_000000000084)."
    );
}

#[tokio::test]
async fn the_payment_link_and_pix_code_are_sent_into_the_conversation_as_an_agent_message() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    app.create_user(&d.tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000091").await;
    let id = charge["id"].as_str().unwrap();
    let reply = app
        .client
        .post(app.url(&format!("/api/v1/asaas/charges/{id}/send")))
        .bearer_auth(&agent.token)
        .send()
        .await
        .unwrap();
    let reply = read(reply).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let message = &reply.body["message"];
    assert_eq!(message["senderType"], "AGENT");
    assert_eq!(message["sender"]["id"], agent.user_id.to_string());
    assert_eq!(message["status"], "PENDING", "queued for delivery through the channel");
    assert_eq!(message["conversationId"], d.conversation_id.as_str());
    assert_eq!(
        message["content"],
        format!(
            "Cobrança de R$ 150,00, vencimento 10/12/2030.\nPague pelo link: https://sandbox.asaas.com/i/000000000091\n\nPix copia e cola:\n{PIX_PAYLOAD}"
        )
    );
    // English workspaces get English text.
    let en = app.put("/api/v1/settings", &d.admin.token, json!({"locale": "en"})).await;
    assert_eq!(en.status, StatusCode::OK, "{:?}", en.body);
    let reply = app.post(&format!("/api/v1/asaas/charges/{id}/send"), &agent.token, json!({})).await;
    assert!(
        reply.body["message"]["content"]
            .as_str()
            .unwrap()
            .starts_with("Charge of R$ 150.00, due 2030-12-10.\nPay here: ")
    );
}

#[tokio::test]
async fn status_refresh_reads_asaas_on_demand() {
    let (app, asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    mount_customer_found(&asaas).await;
    let charge = pix_charge(&app, &asaas, &d, "pay_000000000101").await;
    let id = charge["id"].as_str().unwrap();
    let mut confirmed = payment_json("pay_000000000101", "CREDIT_CARD", json!(150.0), "CONFIRMED", id);
    confirmed["confirmedDate"] = json!("2025-12-02");
    Mock::given(method("GET"))
        .and(path("/v3/payments/pay_000000000101"))
        .respond_with(ResponseTemplate::new(200).set_body_json(confirmed))
        .expect(1)
        .mount(&asaas)
        .await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&d.admin.token), None).await;
    let refreshed = app.post(&format!("/api/v1/asaas/charges/{id}/status"), &d.admin.token, json!({})).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{:?}", refreshed.body);
    assert_eq!(refreshed.body["asaasCharge"]["status"], "CONFIRMED");
    assert!(refreshed.body["asaasCharge"]["paidAt"].is_string());
    // The creation's PENDING update may still be on its way when the socket connects.
    let confirmed = |v: &serde_json::Value| v["name"] == "payment_update" && v["data"]["status"] == "CONFIRMED";
    assert!(socket.wait_for(confirmed, std::time::Duration::from_secs(10)).await.is_some());
    let note = socket.event("new_message").await;
    assert_eq!(note["senderType"], "SYSTEM");
    socket.close().await;
    assert_asaas_headers(&asaas, KEY_A).await;
}

#[tokio::test]
async fn events_for_charges_created_outside_atende_are_stored_and_linked_by_external_reference() {
    let (app, _asaas) = spawn_payments().await;
    let d = desk(&app, "acme", KEY_A).await;
    let en = app.put("/api/v1/settings", &d.admin.token, json!({"locale": "en"})).await;
    assert_eq!(en.status, StatusCode::OK, "{:?}", en.body);
    // The reference names an Atende conversation: linked to it and its contact.
    let mut by_conversation = payment_json("pay_ext_1", "BOLETO", json!(99.9), "RECEIVED", &d.conversation_id);
    by_conversation["customer"] = json!("cus_unknown");
    deliver(
        &app,
        &d.webhook_path,
        Some(&d.webhook_token),
        &event("evt_e&1", "PAYMENT_RECEIVED", "2025-12-02 14:31:07", by_conversation),
    )
    .await;
    // The reference names a contact.
    let by_contact = payment_json("pay_ext_2", "PIX", json!(10), "PENDING", &d.contact_id);
    deliver(
        &app,
        &d.webhook_path,
        Some(&d.webhook_token),
        &event("evt_e&2", "PAYMENT_CREATED", "2025-12-02 14:31:07", by_contact),
    )
    .await;
    // Nothing to link by.
    let orphan = payment_json("pay_ext_3", "PIX", json!(10), "PENDING", "erp-order-77");
    deliver(
        &app,
        &d.webhook_path,
        Some(&d.webhook_token),
        &event("evt_e&3", "PAYMENT_CREATED", "2025-12-02 14:31:07", orphan),
    )
    .await;
    assert_eq!(app.run_jobs().await, 3);

    let linked = app.get(&format!("/api/v1/asaas/charges?conversationId={}", d.conversation_id), &d.admin.token).await;
    assert_eq!(linked.body["total"], 1);
    let c = &linked.body["asaasCharges"][0];
    assert_eq!((c["asaasChargeId"].as_str(), c["status"].as_str()), (Some("pay_ext_1"), Some("RECEIVED")));
    assert_eq!(c["origin"], "external");
    assert_eq!(c["value"], "99.90");
    assert_eq!(c["contactId"], d.contact_id.as_str());
    let of_contact = app.get(&format!("/api/v1/asaas/charges?contactId={}", d.contact_id), &d.admin.token).await;
    assert_eq!(of_contact.body["total"], 2);
    let all = app.get("/api/v1/asaas/charges", &d.admin.token).await;
    assert_eq!(all.body["total"], 3);
    let messages = app.get(&format!("/api/v1/messages?conversationId={}", d.conversation_id), &d.admin.token).await;
    assert_eq!(messages.body["messages"][0]["content"], "Payment received: R$ 99.90 (charge pay_ext_1).");
    // Non-payment events are acknowledged and kept, and change nothing.
    let bill =
        json!({"id": "evt_e&4", "event": "BILL_PAID", "dateCreated": "2025-12-02 14:31:07", "bill": {"id": "bill_1"}});
    assert_eq!(deliver(&app, &d.webhook_path, Some(&d.webhook_token), &bill).await.status, StatusCode::OK);
    app.run_jobs().await;
    assert_eq!(count(&app, "asaas_webhook_events").await, 4);
    assert_eq!(app.get("/api/v1/asaas/charges", &d.admin.token).await.body["total"], 3);
}

#[tokio::test]
async fn charges_need_asaas_configured_and_agents_can_charge() {
    let (app, asaas) = spawn_payments().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let conversation_id = app.receive(&channel, "ext-1", "cust-1", "Oi").await;
    let conversation = app.get(&format!("/api/v1/conversations/{conversation_id}"), &admin.token).await;
    let contact_id = conversation.body["conversation"]["contact"]["id"].as_str().unwrap().to_string();
    let body = json!({"contactId": contact_id, "value": "10.00", "dueDate": DUE, "billingType": "PIX", "cpfCnpj": CPF});
    let reply = app.post("/api/v1/asaas/charges", &admin.token, body.clone()).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "asaas_not_configured");

    app.put("/api/v1/asaas/settings", &admin.token, json!({"apiKey": KEY_A})).await;
    app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    mount_customer_found(&asaas).await;
    mount_payment(&asaas, "pay_000000000111", "PIX").await;
    mount_pix(&asaas, "pay_000000000111").await;
    let reply = app.post("/api/v1/asaas/charges", &agent.token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["asaasCharge"]["conversationId"], Value::Null);
    // Without a conversation the link needs one named.
    let id = reply.body["asaasCharge"]["id"].as_str().unwrap();
    let send = app.post(&format!("/api/v1/asaas/charges/{id}/send"), &agent.token, json!({})).await;
    assert_eq!(send.status, StatusCode::UNPROCESSABLE_ENTITY);
    let send = app
        .post(&format!("/api/v1/asaas/charges/{id}/send"), &agent.token, json!({"conversationId": conversation_id}))
        .await;
    assert_eq!(send.status, StatusCode::CREATED, "{:?}", send.body);
    // A wrong key in Asaas is a readable 4xx.
    Mock::given(method("GET"))
        .and(path("/v3/payments/pay_000000000111"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"errors":[{"code":"invalid_access_token","description":"A chave de API fornecida é inválida"}]}),
        ))
        .mount(&asaas)
        .await;
    let refresh = app.post(&format!("/api/v1/asaas/charges/{id}/status"), &agent.token, json!({})).await;
    assert_eq!(refresh.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refresh.code(), "asaas_auth_failed");
}

#[tokio::test]
async fn a_key_is_checked_for_its_format_and_testing_the_connection_names_the_account() {
    let (app, asaas) = spawn_payments().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;

    // A pasted token that is not an Asaas key is refused before it shows "configured".
    let wrong = app.put("/api/v1/asaas/settings", &admin.token, json!({"apiKey": "sk_live_123456789"})).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.code(), "invalid_asaas_key");
    assert_eq!(app.get("/api/v1/asaas/settings", &admin.token).await.body["asaasSettings"]["configured"], false);
    // Nothing saved yet: the test says so.
    let unsaved = app.post("/api/v1/asaas/settings/test", &admin.token, json!({})).await;
    assert_eq!(unsaved.status, StatusCode::CONFLICT);
    assert_eq!(unsaved.code(), "asaas_not_configured");

    Mock::given(method("GET"))
        .and(path("/v3/myAccount/commercialInfo"))
        .and(header("access_token", KEY_A))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "personType": "JURIDICA", "cpfCnpj": "66625514000140", "name": "Maria Souza",
            "companyName": "Loja da Maria LTDA", "email": "financeiro@lojadamaria.com.br", "status": "APPROVED",
            "city": {"id": 15873, "name": "Joinville", "state": "SC"}
        })))
        .mount(&asaas)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/myAccount/commercialInfo"))
        .and(header("access_token", KEY_B))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "errors": [{"code": "invalid_environment", "description": "A chave de API informada não pertence a este ambiente"}]
        })))
        .mount(&asaas)
        .await;

    // A key tried before saving it: whose account it is, and nothing stored.
    let tried = app.post("/api/v1/asaas/settings/test", &admin.token, json!({"apiKey": KEY_A})).await;
    assert_eq!(tried.status, StatusCode::OK, "{:?}", tried.body);
    assert_eq!(tried.body["accountName"], "Loja da Maria LTDA");
    assert_eq!(tried.body["email"], "financeiro@lojadamaria.com.br");
    assert_eq!(tried.body["environment"], "sandbox");
    assert_eq!(app.get("/api/v1/asaas/settings", &admin.token).await.body["asaasSettings"]["hasApiKey"], false);
    // A key Asaas refuses says so, with Asaas' reason.
    let refused = app.post("/api/v1/asaas/settings/test", &admin.token, json!({"apiKey": KEY_B})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.code(), "asaas_auth_failed");
    let bad_format = app.post("/api/v1/asaas/settings/test", &admin.token, json!({"apiKey": "abc"})).await;
    assert_eq!(bad_format.code(), "invalid_asaas_key");
    // The saved key is tested when none is given; agents may not test.
    app.put("/api/v1/asaas/settings", &admin.token, json!({"apiKey": KEY_A})).await;
    let saved = app.post("/api/v1/asaas/settings/test", &admin.token, json!({})).await;
    assert_eq!(saved.body["accountName"], "Loja da Maria LTDA");
    assert_eq!(app.post("/api/v1/asaas/settings/test", &agent.token, json!({})).await.status, StatusCode::FORBIDDEN);
    assert!(!saved.body.to_string().contains(KEY_A), "the key is never echoed");
}
