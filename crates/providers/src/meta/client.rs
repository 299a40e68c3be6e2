//! Meta Send API and user profile client (reference §2.1, §2.5–§2.7).

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use super::webhook::MetaPlatform;
use crate::common::{ChannelAdapter, ConfigError, ContentType, DeliveryStatus, OutboundMessage, SendError, SendResult};
use crate::http::{self, RawResponse};

/// Graph API host for Messenger and for Instagram with Facebook Login.
pub const DEFAULT_GRAPH_BASE_URL: &str = "https://graph.facebook.com";
/// Graph API host for Instagram with Instagram Login (Bearer token).
pub const INSTAGRAM_GRAPH_BASE_URL: &str = "https://graph.instagram.com";
/// Graph API version used unless configured otherwise.
pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";

/// How the access token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenPlacement {
    /// `?access_token=` query parameter (Meta's own samples; Page tokens).
    #[default]
    QueryParam,
    /// `Authorization: Bearer` header (Instagram Login tokens).
    BearerHeader,
}

/// Everything a [`MetaClient`] needs. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct MetaConfig {
    /// Graph host, [`DEFAULT_GRAPH_BASE_URL`] or [`INSTAGRAM_GRAPH_BASE_URL`].
    pub base_url: String,
    /// Graph version path segment, e.g. [`DEFAULT_GRAPH_VERSION`].
    pub api_version: String,
    /// Page access token (or Instagram user token).
    pub access_token: String,
    /// Page id / IG account id: sends go to `/{id}/messages` when set,
    /// `/me/messages` otherwise.
    pub account_id: Option<String>,
    /// Messenger or Instagram (profile fields and text limits differ).
    pub platform: MetaPlatform,
    /// Where the token goes.
    pub token_placement: TokenPlacement,
}

impl fmt::Debug for MetaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetaConfig")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("access_token", &"<redacted>")
            .field("account_id", &self.account_id)
            .field("platform", &self.platform)
            .field("token_placement", &self.token_placement)
            .finish()
    }
}

/// A user's public profile (§2.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    /// PSID / IGSID.
    pub id: String,
    /// Full name (Messenger first + last name, Instagram `name`).
    pub name: Option<String>,
    /// Instagram handle.
    pub username: Option<String>,
    /// Profile picture URL (expires after a few days on Instagram).
    pub profile_pic: Option<String>,
}

/// Messenger / Instagram Send API client.
#[derive(Debug, Clone)]
pub struct MetaClient {
    http: reqwest::Client,
    base: Url,
    config: MetaConfig,
}

#[derive(Deserialize)]
struct SendResponse {
    message_id: Option<String>,
}

#[derive(Deserialize)]
struct GraphErrorBody {
    error: GraphError,
}

#[derive(Deserialize)]
struct GraphError {
    message: Option<String>,
    code: Option<i64>,
    error_subcode: Option<i64>,
    error_user_msg: Option<String>,
}

#[derive(Deserialize)]
struct ProfileResponse {
    id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    name: Option<String>,
    username: Option<String>,
    profile_pic: Option<String>,
}

/// Instagram text limit in bytes.
const INSTAGRAM_TEXT_LIMIT: usize = 1000;

impl MetaClient {
    /// Builds a client; fails on an unusable base URL or an empty token.
    pub fn new(http: reqwest::Client, config: MetaConfig) -> Result<Self, ConfigError> {
        let base = http::parse_base_url(&config.base_url)?;
        if config.access_token.is_empty() {
            return Err(ConfigError::Missing("access_token"));
        }
        if config.api_version.trim().is_empty() {
            return Err(ConfigError::Missing("api_version"));
        }
        Ok(Self { http, base, config })
    }

    /// The JSON body of the Send API request for `msg`.
    pub fn send_body(&self, msg: &OutboundMessage) -> Result<Value, SendError> {
        let recipient = msg.to.trim();
        if recipient.is_empty() {
            return Err(SendError::permanent("invalid_recipient", "empty recipient id"));
        }
        let message = match msg.content_type {
            ContentType::Text => {
                let text = msg
                    .text_content()
                    .ok_or_else(|| SendError::permanent("empty_message", "text message without content"))?;
                if self.config.platform == MetaPlatform::Instagram && text.len() > INSTAGRAM_TEXT_LIMIT {
                    return Err(SendError::permanent(
                        "text_too_long",
                        format!("Instagram text is limited to {INSTAGRAM_TEXT_LIMIT} bytes"),
                    ));
                }
                json!({ "text": text })
            }
            ct if ct.is_media() => {
                if msg.text_content().is_some() {
                    return Err(SendError::unsupported(
                        "Meta",
                        "a caption on an attachment; send the text as its own message",
                    ));
                }
                let url = msg
                    .media_url
                    .as_deref()
                    .filter(|u| !u.is_empty())
                    .ok_or_else(|| SendError::permanent("missing_media", "media message without media_url"))?;
                let kind = match ct {
                    ContentType::Image | ContentType::Sticker => "image",
                    ContentType::Video => "video",
                    ContentType::Audio => "audio",
                    _ => "file",
                };
                json!({ "attachment": { "type": kind, "payload": { "url": url, "is_reusable": true } } })
            }
            other => return Err(SendError::unsupported("Meta", format!("{other:?} messages"))),
        };
        let mut body = json!({
            "recipient": { "id": recipient },
            "messaging_type": if msg.human_agent_tag { "MESSAGE_TAG" } else { "RESPONSE" },
            "message": message,
        });
        if msg.human_agent_tag {
            body["tag"] = json!("HUMAN_AGENT");
        }
        Ok(body)
    }

    /// The Send API URL (without the token).
    pub fn messages_url(&self) -> Url {
        let account = self.config.account_id.as_deref().unwrap_or("me");
        http::join_segments(&self.base, [self.config.api_version.trim(), account, "messages"])
    }

    /// Fetches a user's name and picture (§2.7). Needs a prior user opt-in
    /// (the user messaged the Page / account).
    pub async fn fetch_user_profile(&self, user_id: &str) -> Result<UserProfile, SendError> {
        let fields = match self.config.platform {
            MetaPlatform::Messenger => "first_name,last_name,profile_pic",
            MetaPlatform::Instagram => "name,username,profile_pic",
        };
        let mut url = http::join_segments(&self.base, [self.config.api_version.trim(), user_id]);
        url.query_pairs_mut().append_pair("fields", fields);
        let response = http::execute(self.authorize(self.http.get(url_with_token(url, &self.config)))).await?;
        if !response.status.is_success() {
            return Err(map_error(&response));
        }
        let p: ProfileResponse = serde_json::from_slice(&response.body)
            .map_err(|e| SendError::permanent("invalid_response", format!("unreadable Meta profile: {e}")))?;
        let joined = [p.first_name.as_deref(), p.last_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = crate::common::non_empty(p.name.as_deref()).or_else(|| (!joined.is_empty()).then_some(joined));
        Ok(UserProfile {
            id: p.id.unwrap_or_else(|| user_id.to_owned()),
            name,
            username: crate::common::non_empty(p.username.as_deref()),
            profile_pic: crate::common::non_empty(p.profile_pic.as_deref()),
        })
    }

    fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.config.token_placement {
            TokenPlacement::QueryParam => request,
            TokenPlacement::BearerHeader => request.bearer_auth(&self.config.access_token),
        }
    }
}

fn url_with_token(mut url: Url, config: &MetaConfig) -> Url {
    if config.token_placement == TokenPlacement::QueryParam {
        url.query_pairs_mut().append_pair("access_token", &config.access_token);
    }
    url
}

#[async_trait]
impl ChannelAdapter for MetaClient {
    async fn send(&self, msg: &OutboundMessage) -> Result<SendResult, SendError> {
        let body = self.send_body(msg)?;
        let url = url_with_token(self.messages_url(), &self.config);
        let response = http::execute(self.authorize(self.http.post(url).json(&body))).await?;
        if !response.status.is_success() {
            return Err(map_error(&response));
        }
        let parsed: SendResponse = serde_json::from_slice(&response.body)
            .map_err(|e| SendError::permanent("invalid_response", format!("unreadable Meta response: {e}")))?;
        let external_id = parsed
            .message_id
            .filter(|m| !m.is_empty())
            .ok_or_else(|| SendError::permanent("invalid_response", "Meta response without message_id"))?;
        Ok(SendResult { external_id, status: DeliveryStatus::Sent })
    }
}

/// Maps a Graph error (§2.6). The error code decides, since rate limits come
/// back as HTTP 400.
fn map_error(response: &RawResponse) -> SendError {
    let status = response.status;
    let Some(err) = serde_json::from_slice::<GraphErrorBody>(&response.body).ok().map(|b| b.error) else {
        let reason = format!("Meta HTTP {}: {}", status.as_u16(), http::snippet(&response.body_text()));
        return if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            SendError::Retryable { reason, retry_after: http::retry_after(&response.headers) }
        } else if status == StatusCode::UNAUTHORIZED {
            SendError::Auth { reason }
        } else {
            SendError::permanent(status.as_u16().to_string(), reason)
        };
    };
    let message =
        err.message.clone().or(err.error_user_msg.clone()).unwrap_or_else(|| format!("Meta HTTP {}", status.as_u16()));
    let code = err.code.unwrap_or_default();
    let code_str = match err.error_subcode {
        Some(sub) => format!("{code}/{sub}"),
        None => code.to_string(),
    };
    let rate_limited = matches!(code, 4 | 17 | 32 | 613 | 80_000..=80_014);
    if rate_limited || matches!(code, 1 | 2) || status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        let retry_after = http::retry_after(&response.headers).or_else(|| business_use_case_wait(&response.headers));
        return SendError::Retryable { reason: format!("Meta error {code_str}: {message}"), retry_after };
    }
    if matches!(code, 102 | 190) || status == StatusCode::UNAUTHORIZED {
        return SendError::Auth { reason: format!("Meta error {code_str}: {message}") };
    }
    SendError::Permanent { code: code_str, reason: message }
}

/// `estimated_time_to_regain_access` (minutes) from `X-Business-Use-Case-Usage`
/// (`{"<id>":[{"type":"messenger",...,"estimated_time_to_regain_access":N}]}`).
fn business_use_case_wait(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let raw = headers.get("x-business-use-case-usage")?.to_str().ok()?;
    let value: Value = serde_json::from_str(raw).ok()?;
    let minutes = value
        .as_object()?
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|u| u.get("estimated_time_to_regain_access")?.as_u64())
        .max()?;
    (minutes > 0).then(|| Duration::from_secs(minutes.saturating_mul(60)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn graph_error(code: i64, sub: Option<i64>) -> String {
        let mut e =
            json!({"error":{"message":format!("(#{code}) boom"),"type":"OAuthException","code":code,"fbtrace_id":"X"}});
        if let Some(s) = sub {
            e["error"]["error_subcode"] = json!(s);
        }
        e.to_string()
    }

    #[test]
    fn rate_limit_codes_are_retryable_even_on_400() {
        for code in [1, 2, 4, 17, 32, 613, 80_006] {
            let e = map_error(&raw(400, &graph_error(code, None)));
            assert!(e.is_retryable(), "code {code}: {e:?}");
        }
    }

    #[test]
    fn window_block_and_param_errors_are_permanent() {
        let e = map_error(&raw(400, &graph_error(10, Some(2_018_278))));
        assert_eq!(e.code(), Some("10/2018278"));
        assert!(e.is_outside_window());
        assert_eq!(e.reason(), "(#10) boom");
        for code in [10, 100, 200, 551] {
            let e = map_error(&raw(400, &graph_error(code, None)));
            assert_eq!(e.code(), Some(code.to_string().as_str()));
        }
    }

    #[test]
    fn token_errors_are_auth() {
        assert!(matches!(map_error(&raw(400, &graph_error(190, Some(463)))), SendError::Auth { .. }));
        assert!(matches!(map_error(&raw(401, "nope")), SendError::Auth { .. }));
    }

    #[test]
    fn unparseable_errors_follow_the_http_status() {
        assert!(map_error(&raw(502, "<html>bad gateway</html>")).is_retryable());
        assert!(map_error(&raw(429, "")).is_retryable());
        assert_eq!(map_error(&raw(404, "x")).code(), Some("404"));
    }

    #[test]
    fn business_use_case_header_gives_retry_after() {
        let mut r = raw(400, &graph_error(80_006, None));
        r.headers.insert(
            "X-Business-Use-Case-Usage",
            HeaderValue::from_static(
                r#"{"104578912345678":[{"type":"messenger","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":5}]}"#,
            ),
        );
        assert_eq!(r_retry(&r), Some(Duration::from_secs(300)));
    }

    fn r_retry(r: &RawResponse) -> Option<Duration> {
        map_error(r).retry_after()
    }

    #[test]
    fn config_debug_hides_token() {
        let c = MetaConfig {
            base_url: DEFAULT_GRAPH_BASE_URL.into(),
            api_version: DEFAULT_GRAPH_VERSION.into(),
            access_token: "EAAG-secret".into(),
            account_id: None,
            platform: MetaPlatform::Messenger,
            token_placement: TokenPlacement::QueryParam,
        };
        assert!(!format!("{c:?}").contains("EAAG-secret"));
    }
}
