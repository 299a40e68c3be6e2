//! Property tests: whatever bytes reach a provider webhook, the parsers never panic
//! and the server stores nothing it cannot authenticate and understand.

use proptest::{
    collection::vec,
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{channel_helpers::*, core_helpers::count, helpers::*};

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

/// Arbitrary JSON values, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Real payloads with one field replaced by an arbitrary value.
fn mutated(template: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = template.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    (proptest::sample::select(keys), json_value()).prop_map(move |(key, value)| {
        let mut out = template.clone();
        out[key.as_str()] = value;
        out
    })
}

fn never_panics(bytes: &[u8]) {
    let params = providers::twilio::parse_form(bytes);
    let twilio = providers::twilio::parse_webhook(&params).map(|e| vec![e]).unwrap_or_default();
    let meta =
        providers::meta::parse_webhook(bytes).map(|v| v.into_iter().map(|(_, e)| e).collect()).unwrap_or_default();
    let zapi = providers::zapi::parse_callback(bytes).unwrap_or_default();
    let _ = providers::zapi::verify_instance(bytes, ZAPI_INSTANCE);
    let _ = providers::meta::validate_signature_256(APP_SECRET, bytes, &String::from_utf8_lossy(bytes));
    for (provider, channel_type, events) in [
        ("twilio", atende::channels::model::ChannelType::WhatsappTwilio, twilio),
        ("meta", atende::channels::model::ChannelType::FacebookMessenger, meta),
        ("zapi", atende::channels::model::ChannelType::WhatsappZapi, zapi),
    ] {
        let _ = atende::channels::adapters::event_key(&events, bytes);
        for event in events {
            if let providers::InboundEvent::Message(m) = event {
                let _ = atende::channels::adapters::to_inbound(channel_type, provider, m);
            }
        }
    }
}

#[test]
fn the_provider_parsers_never_panic_on_arbitrary_bytes() {
    runner(2000)
        .run(&vec(any::<u8>(), 0..1024), |bytes| {
            never_panics(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_provider_parsers_never_panic_on_mutated_real_payloads() {
    let zapi: Value =
        serde_json::from_str(include_str!("../../../providers/tests/fixtures/zapi/received_text.json")).unwrap();
    let zapi_status = zapi_status("READ", &["X"]);
    let meta_event = json!({"sender": {"id": "1"}, "recipient": {"id": "2"}, "timestamp": 1,
                            "message": {"mid": "m", "text": "t"}});
    let strategy = prop_oneof![
        mutated(zapi),
        mutated(zapi_status),
        mutated(meta_event.clone()).prop_map(|e| meta_envelope("page", PAGE_ID, e)),
        mutated(meta_event["message"].clone()).prop_map(|m| meta_envelope(
            "instagram",
            IG_ID,
            json!({"sender": {"id": "1"}, "message": m})
        )),
        json_value(),
    ];
    runner(2000)
        .run(&strategy, |value| {
            never_panics(value.to_string().as_bytes());
            Ok(())
        })
        .unwrap();
    // Twilio forms with arbitrary values for the fields the parser reads.
    let fields = proptest::collection::btree_map(
        proptest::sample::select(vec![
            "MessageSid",
            "From",
            "Body",
            "NumMedia",
            "MediaUrl0",
            "MediaContentType0",
            "Latitude",
            "Longitude",
            "MessageStatus",
            "ErrorCode",
            "WaId",
            "ProfileName",
            "ButtonText",
        ]),
        ".{0,30}",
        0..10,
    );
    runner(2000)
        .run(&fields, |map| {
            let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(map).finish();
            never_panics(body.as_bytes());
            Ok(())
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitrary_bytes_to_every_webhook_are_refused_and_store_nothing() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let twilio = app.twilio_channel(&admin).await;
    let zapi = app.zapi_channel(&admin).await;
    let messenger = app.messenger_channel(&admin).await;
    let jobs_before = count(&app, "jobs").await;
    let handle = tokio::runtime::Handle::current();

    let result = tokio::task::block_in_place(|| {
        runner(48).run(&vec(any::<u8>(), 0..512), |bytes| {
            handle.block_on(async {
                // Signed correctly where a signature exists: only the content is garbage.
                let params = providers::twilio::parse_form(&bytes);
                let twilio_path = format!("/webhooks/twilio/{}", twilio.id);
                let signature =
                    providers::twilio::compute_signature(TWILIO_TOKEN, &format!("{PUBLIC_URL}{twilio_path}"), &params);
                let replies = [
                    raw_post(
                        &app,
                        &twilio_path,
                        &bytes,
                        "application/x-www-form-urlencoded",
                        Some(("x-twilio-signature", signature.clone())),
                    )
                    .await,
                    raw_post(
                        &app,
                        &format!("{twilio_path}/status"),
                        &bytes,
                        "application/x-www-form-urlencoded",
                        Some(("x-twilio-signature", signature)),
                    )
                    .await,
                    app.zapi_post(&zapi, &bytes).await.status,
                    app.meta_post(&format!("/webhooks/meta/{}", messenger.id), &bytes, Some(APP_SECRET)).await.status,
                    app.meta_post("/webhooks/meta", &bytes, Some(APP_SECRET)).await.status,
                    raw_post(&app, "/webhooks/meta", &bytes, "application/json", None).await,
                ];
                for status in replies {
                    if !status.is_client_error() {
                        return Err(TestCaseError::fail(format!("answered {status} to {bytes:?}")));
                    }
                }
                Ok(())
            })
        })
    });
    result.unwrap();
    assert_eq!(count(&app, "webhook_events").await, 0);
    assert_eq!(count(&app, "jobs").await, jobs_before);
    assert_eq!(count(&app, "messages").await, 0);
}

async fn raw_post(
    app: &TestApp,
    path: &str,
    body: &[u8],
    content_type: &str,
    header: Option<(&str, String)>,
) -> StatusCode {
    let mut builder = app.client.post(app.url(path)).header("content-type", content_type).body(body.to_vec());
    if let Some((name, value)) = header {
        builder = builder.header(name, value);
    }
    builder.send().await.unwrap().status()
}
