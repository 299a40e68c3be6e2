//! Small HTTP helpers shared by the provider clients.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use url::Url;

use crate::common::{ConfigError, SendError};

/// A fully read HTTP response.
pub(crate) struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The body as text, for error messages.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a request did not produce a response.
pub(crate) struct TransportFailure {
    /// Timeouts, connection failures and interrupted responses can be retried.
    pub retryable: bool,
    /// The error text, with the URL removed (it may carry tokens).
    pub reason: String,
}

impl From<TransportFailure> for SendError {
    fn from(f: TransportFailure) -> Self {
        if f.retryable {
            SendError::Retryable { reason: f.reason, retry_after: None }
        } else {
            SendError::permanent("request_error", f.reason)
        }
    }
}

/// Sends the request and reads the whole body.
pub(crate) async fn execute(request: RequestBuilder) -> Result<RawResponse, TransportFailure> {
    let response = request.send().await.map_err(transport_failure)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(transport_failure)?.to_vec();
    Ok(RawResponse { status, headers, body })
}

fn transport_failure(e: reqwest::Error) -> TransportFailure {
    let retryable = e.is_timeout() || e.is_connect() || e.is_request() || e.is_body();
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection error"
    } else {
        "request error"
    };
    // Z-API and Meta carry secrets in the URL: never echo it.
    let e = e.without_url();
    TransportFailure { retryable, reason: format!("{kind}: {e}") }
}

/// Delay requested by the server: `Retry-After` (seconds or HTTP date), else
/// `RateLimit-Reset` (seconds, Asaas).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, Utc::now())
}

pub(crate) fn retry_after_at(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(v) = header("retry-after") {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(at) = DateTime::parse_from_rfc2822(v) {
            let delta = at.with_timezone(&Utc) - now;
            return Some(delta.to_std().unwrap_or(Duration::ZERO));
        }
    }
    header("ratelimit-reset").and_then(|v| v.parse::<u64>().ok()).map(Duration::from_secs)
}

/// Validates a base URL and strips any trailing slash from its path.
pub(crate) fn parse_base_url(base: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(base).map_err(|_| ConfigError::InvalidBaseUrl(base.to_owned()))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(ConfigError::InvalidBaseUrl(base.to_owned()));
    }
    Ok(url)
}

/// `base` + path segments, each percent-encoded as one segment.
pub(crate) fn join_segments<'a>(base: &Url, segments: impl IntoIterator<Item = &'a str>) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty();
        path.extend(segments);
    }
    url
}

/// Truncates a provider body for inclusion in an error message.
pub(crate) fn snippet(s: &str) -> String {
    const MAX: usize = 300;
    if s.len() <= MAX {
        return s.trim().to_owned();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", s[..end].trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_seconds_date_and_ratelimit_reset() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z").unwrap().with_timezone(&Utc);
        let mut h = HeaderMap::new();
        assert_eq!(retry_after_at(&h, now), None);
        h.insert("RateLimit-Reset", HeaderValue::from_static("12"));
        assert_eq!(retry_after_at(&h, now), Some(Duration::from_secs(12)));
        h.insert("Retry-After", HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after_at(&h, now), Some(Duration::from_secs(60)));
        h.insert("Retry-After", HeaderValue::from_static("7"));
        assert_eq!(retry_after_at(&h, now), Some(Duration::from_secs(7)));
        h.insert("Retry-After", HeaderValue::from_static("Wed, 21 Oct 2015 07:00:00 GMT"));
        assert_eq!(retry_after_at(&h, now), Some(Duration::ZERO));
    }

    #[test]
    fn base_url_validation_and_join() {
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("mailto:x@example.com").is_err());
        let base = parse_base_url("http://127.0.0.1:8080/prefix/").unwrap();
        let url = join_segments(&base, ["a", "b c", "d/e"]);
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/prefix/a/b%20c/d%2Fe");
    }

    #[test]
    fn snippet_truncates_on_char_boundary() {
        let s = "é".repeat(400);
        let out = snippet(&s);
        assert!(out.len() <= 300 + '…'.len_utf8());
        assert!(out.ends_with('…'));
    }
}
