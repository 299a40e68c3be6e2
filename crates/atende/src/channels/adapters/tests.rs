use super::*;

fn adapter(channel_type: ChannelType) -> Box<dyn Adapter> {
    let endpoints = Endpoints {
        twilio_base_url: String::new(),
        meta_graph_base_url: String::new(),
        meta_graph_version: String::new(),
        zapi_base_url: String::new(),
        public_url: String::new(),
        outbound_allow_private: false,
    };
    build(channel_type, &reqwest::Client::new(), &reqwest::Client::new(), &endpoints)
}

#[test]
fn account_ids_per_type() {
    let check = |t, id: Option<&str>| adapter(t).validate_account_id(id);
    assert!(check(ChannelType::WhatsappTwilio, Some("AC0123456789abcdef0123456789abcdef")).is_ok());
    assert!(check(ChannelType::WhatsappTwilio, Some("AC123")).is_err());
    assert!(check(ChannelType::WhatsappZapi, Some("3C0FFEE0000000000000000000000001")).is_ok());
    assert!(check(ChannelType::WhatsappZapi, Some("../etc")).is_err());
    assert!(check(ChannelType::FacebookMessenger, Some("104578912345678")).is_ok());
    assert!(check(ChannelType::Instagram, Some("ig-account")).is_err());
    assert!(check(ChannelType::Instagram, None).is_err());
    assert!(check(ChannelType::Api, None).is_ok());
}

#[test]
fn credentials_accept_values_and_env_references() {
    let validate = |t, c: Option<&Value>| adapter(t).validate_credentials(c);
    let ok = json!({"authToken": "0123456789abcdef0123456789abcdef"});
    assert!(validate(ChannelType::WhatsappTwilio, Some(&ok)).is_ok());
    let env = json!({"authToken": {"env": "TWILIO_AUTH_TOKEN"}});
    assert!(validate(ChannelType::WhatsappTwilio, Some(&env)).is_ok());
    let bad_env = json!({"authToken": {"env": "lower case"}});
    assert!(validate(ChannelType::WhatsappTwilio, Some(&bad_env)).is_err());
    assert!(validate(ChannelType::WhatsappTwilio, Some(&json!({"authToken": " "}))).is_err());
    assert!(validate(ChannelType::WhatsappTwilio, None).is_err());
    assert!(validate(ChannelType::WhatsappZapi, Some(&json!({"instanceToken": "a"}))).is_err());
    let meta = json!({"pageAccessToken": "EAAG", "appSecret": "s", "verifyToken": "v"});
    assert!(validate(ChannelType::Instagram, Some(&meta)).is_ok());
    assert!(validate(ChannelType::FacebookMessenger, Some(&json!({"pageAccessToken": "x", "extra": 1}))).is_err());
    assert!(validate(ChannelType::Api, None).is_ok());
}

#[test]
fn phones_and_service_sids() {
    assert!(twilio::is_e164("+5511987654321"));
    assert!(!twilio::is_e164("5511987654321"));
    assert!(!twilio::is_e164("+0511987654321"));
    assert!(!twilio::is_e164("+55 11 98765"));
    assert!(twilio::is_messaging_service_sid("MG0123456789abcdef0123456789abcdef"));
    assert!(!twilio::is_messaging_service_sid("MG01"));
}

#[test]
fn provider_options_belong_to_their_type() {
    let phone = SettingsPatch { phone_number: Some("+5511987654321".into()), ..Default::default() };
    let groups = SettingsPatch { include_groups: Some(true), ..Default::default() };
    assert!(adapter(ChannelType::WhatsappTwilio).settings(None, &phone).is_ok());
    assert!(adapter(ChannelType::WhatsappTwilio).settings(None, &SettingsPatch::default()).is_err());
    assert!(adapter(ChannelType::WhatsappTwilio).settings(None, &groups).is_err());
    assert!(adapter(ChannelType::WhatsappZapi).settings(None, &phone).is_err());
    let zapi = adapter(ChannelType::WhatsappZapi).settings(Some(&json!({"zapiWatch": 1})), &groups).unwrap();
    assert_eq!(zapi, Some(json!({"zapiWatch": 1, "includeGroups": true})));
    assert!(adapter(ChannelType::Api).settings(None, &groups).is_err());
    assert_eq!(adapter(ChannelType::Instagram).settings(None, &SettingsPatch::default()).unwrap(), None);
}

#[test]
fn recipients_come_from_identities_then_phone() {
    let channel = uuid::Uuid::now_v7();
    let contact = json!({"phone": "+5511900000000", "identities": [
        {"kind": "whatsapp", "value": "+5511987654321", "channelId": null},
        {"kind": "facebook", "value": "654", "channelId": channel.to_string()},
    ]});
    assert_eq!(whatsapp_recipient(&contact).unwrap(), "+5511987654321");
    assert_eq!(identity_value(&contact, "facebook", Some(channel)).as_deref(), Some("654"));
    assert_eq!(identity_value(&contact, "facebook", Some(uuid::Uuid::now_v7())), None);
    assert_eq!(whatsapp_recipient(&json!({"phone": "+5511900000000"})).unwrap(), "+5511900000000");
    assert!(whatsapp_recipient(&json!({"identities": []})).is_err());
}
