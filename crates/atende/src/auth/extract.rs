//! Authentication extractors: `Scope` for tenant users, `PlatformAdmin` for super
//! admins. Credentials come from `Authorization: Bearer` or the session cookie; a
//! cookie-authenticated write must come from an allowed Origin (CSRF).

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, Method, header, request::Parts},
};
use axum_extra::extract::cookie::CookieJar;

use super::{SESSION_COOKIE, service, store::ClientInfo};
use crate::{
    error::AppError,
    state::{AppState, Seen},
    tenancy::Scope,
};

/// A token found on a request, and whether it came from the cookie.
pub(crate) struct Credential {
    pub(crate) token: String,
    pub(crate) from_cookie: bool,
}

pub(crate) fn credential(parts: &Parts) -> Option<Credential> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim();
        return (!token.is_empty()).then(|| Credential { token: token.to_string(), from_cookie: false });
    }
    let jar = CookieJar::from_headers(&parts.headers);
    jar.get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| !t.is_empty())
        .map(|token| Credential { token, from_cookie: true })
}

/// The request's Origin (or Referer's origin) when present.
fn request_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return Some(origin.trim_end_matches('/').to_string());
    }
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok())?;
    url::Url::parse(referer).ok().map(|u| u.origin().ascii_serialization())
}

/// Same-origin (Origin host equals Host) or an allow-listed origin.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = request_origin(headers) else { return false };
    if allowed.iter().any(|a| a == &origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (url::Url::parse(&origin), host) {
        (Ok(url), Some(host)) => {
            let origin_host = match url.port() {
                Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
                None => url.host_str().unwrap_or_default().to_string(),
            };
            origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

pub(crate) fn csrf_check(parts: &Parts, state: &AppState, cred: &Credential) -> Result<(), AppError> {
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if cred.from_cookie && !safe && !origin_allowed(&parts.headers, &state.allowed_origins) {
        return Err(AppError::BadRequest {
            code: "csrf_origin_mismatch",
            message: "Cookie-authenticated requests must come from an allowed origin".into(),
            details: serde_json::Value::Null,
        });
    }
    Ok(())
}

/// The client's IP and user agent.
pub fn client_info(parts: &Parts, trusted_proxies: &[ipnet::IpNet]) -> ClientInfo {
    ClientInfo {
        ip: client_ip(parts, trusted_proxies).map(|ip| ip.to_string()),
        user_agent: parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string),
    }
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not itself a trusted proxy. A header
/// from anyone else is ignored (a client could write any address into it).
pub fn client_ip(parts: &Parts, trusted_proxies: &[ipnet::IpNet]) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip())?;
    Some(forwarded_client(peer, &parts.headers, trusted_proxies))
}

fn forwarded_client(peer: IpAddr, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    // Each proxy appends the address it received from: read right to left.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

impl FromRequestParts<AppState> for Scope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(scope) = parts.extensions.get::<Scope>() {
            return Ok(scope.clone());
        }
        let cred = credential(parts).ok_or(AppError::Unauthorized)?;
        csrf_check(parts, state, &cred)?;
        let scope = service::authenticate(state, &cred.token).await?;
        // Any authenticated request is a sign of life of its login session (noted in
        // memory; the scheduler writes it to the work session).
        if let Some(session) = scope.session_id {
            state
                .last_seen
                .touch(session, Seen { tenant_id: scope.tenant_id, user_id: scope.user_id, at: state.now() });
        }
        tracing::Span::current().record("tenant_id", tracing::field::display(scope.tenant_id));
        parts.extensions.insert(scope.clone());
        Ok(scope)
    }
}

/// Client details for login and audit.
pub struct Client(pub ClientInfo, pub Option<IpAddr>);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Client(client_info(parts, &state.trusted_proxies), client_ip(parts, &state.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = |v: &str| {
            let mut map = HeaderMap::new();
            map.insert("x-forwarded-for", v.parse().unwrap());
            map
        };
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // A direct client cannot choose its address.
        assert_eq!(forwarded_client(stranger, &xff("1.2.3.4"), &trusted), stranger);
        // Behind the proxy: the last untrusted hop, whatever the client prepended.
        assert_eq!(
            forwarded_client(proxy, &xff("1.2.3.4, 198.51.100.7"), &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            forwarded_client(proxy, &xff("198.51.100.7, 10.0.0.3"), &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(forwarded_client(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(forwarded_client(proxy, &xff("garbage"), &trusted), proxy);
        // No trusted proxies configured: the peer, always.
        assert_eq!(forwarded_client(proxy, &xff("1.2.3.4"), &[]), proxy);
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_and_allow_list_pass() {
        let allowed = vec!["https://app.example.com".to_string()];
        assert!(origin_allowed(&headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]), &allowed));
        assert!(origin_allowed(&headers(&[("origin", "https://app.example.com"), ("host", "api:80")]), &allowed));
        assert!(!origin_allowed(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:8080")]), &allowed));
        assert!(!origin_allowed(&headers(&[("host", "127.0.0.1:8080")]), &allowed));
        assert!(origin_allowed(
            &headers(&[("referer", "http://127.0.0.1:8080/inbox"), ("host", "127.0.0.1:8080")]),
            &allowed
        ));
    }
}
