//! Outbound requests to URLs a tenant chose (the API channel's `callbackUrl`): no
//! server-side request forgery. Loopback, private, link-local (cloud metadata),
//! carrier-grade NAT, multicast and other non-public addresses are refused **after DNS
//! resolution**, by the resolver the HTTP client connects with (so a name that resolves
//! to a private address, or changes its answer between the check and the request, is
//! still refused), and on every redirect hop. `ATENDE_OUTBOUND_ALLOW_PRIVATE=true` turns
//! this off for on-premise integrations (and tests, whose mocks listen on loopback).
//!
//! Provider APIs (Twilio, Meta, Z-API, Asaas) use the operator-configured hosts and the
//! ordinary client; this one is only for tenant-supplied URLs.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an outbound URL is refused (short: it may be shown to users).
pub const REFUSED: &str = "the address is not public";

/// Whether the server may connect to this address when private targets are not allowed.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = v6.segments();
            // NAT64 (64:ff9b::/96) embeds an IPv4 address.
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [a, b] = segments[6].to_be_bytes();
                let [c, d] = segments[7].to_be_bytes();
                return is_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                // IPv4-compatible (deprecated) ::a.b.c.d, and the documentation prefix.
                || segments[..6] == [0, 0, 0, 0, 0, 0]
                || (segments[0] == 0x2001 && segments[1] == 0x0db8))
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local() // 169.254.0.0/16: cloud metadata (169.254.169.254)
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT 100.64.0.0/10
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking 198.18.0.0/15
        || a >= 240) // reserved
}

/// Checks a tenant-supplied URL now (scheme, and every address its host resolves to).
/// Used when the URL is saved, so a bad one is refused with a clear 422; the client of
/// `client()` checks again at connection time.
pub async fn check_url(url: &str, allow_private: bool) -> Result<(), &'static str> {
    let parsed = url::Url::parse(url).map_err(|_| "is not a URL")?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("must be an http(s) URL");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry a user name or password");
    }
    let host = match parsed.host() {
        Some(host) => host,
        None => return Err("must be an http(s) URL"),
    };
    if allow_private {
        return Ok(());
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addrs: Vec<IpAddr> = match host {
        url::Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
        url::Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
        url::Host::Domain(name) => match tokio::net::lookup_host((name, port)).await {
            Ok(found) => found.map(|a| a.ip()).collect(),
            // A name that does not resolve (yet) is not refused here; the connection is
            // checked again when a message is sent.
            Err(_) => return Ok(()),
        },
    };
    if addrs.iter().all(|ip| is_public(*ip)) { Ok(()) } else { Err(REFUSED) }
}

/// A resolver that drops non-public addresses; a name with none left fails to resolve.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.filter(|a| is_public(a.ip())).collect();
            if found.is_empty() {
                return Err(Box::<dyn std::error::Error + Send + Sync>::from(REFUSED));
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// Whether a redirect (or first) target is allowed: IP literals are checked here, names
/// by the resolver when connecting.
fn literal_allowed(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => true,
        None => false,
    }
}

/// The HTTP client for tenant-supplied URLs.
pub fn client(allow_private: bool) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .user_agent(concat!("Atende/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30));
    if allow_private {
        return builder.redirect(reqwest::redirect::Policy::limited(5)).build();
    }
    builder
        .dns_resolver(Arc::new(PublicOnlyResolver))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if !literal_allowed(attempt.url()) || !matches!(attempt.url().scheme(), "http" | "https") {
                attempt.error(REFUSED)
            } else if attempt.previous().len() >= 5 {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
}

/// Whether a request may go to this URL's literal address (names are checked by the
/// resolver): call before sending with the client of `client(false)`.
pub fn precheck(url: &str, allow_private: bool) -> Result<(), &'static str> {
    if allow_private {
        return Ok(());
    }
    let parsed = url::Url::parse(url).map_err(|_| "is not a URL")?;
    if literal_allowed(&parsed) { Ok(()) } else { Err(REFUSED) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "::127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn urls_are_checked_after_resolution_unless_allowed() {
        assert_eq!(check_url("http://127.0.0.1:9/x", false).await, Err(REFUSED));
        assert_eq!(check_url("http://[::1]/x", false).await, Err(REFUSED));
        assert_eq!(check_url("http://localhost:8080/x", false).await, Err(REFUSED), "a name resolving to loopback");
        assert_eq!(check_url("http://169.254.169.254/latest/meta-data", false).await, Err(REFUSED));
        assert!(check_url("ftp://example.com", false).await.is_err());
        assert!(check_url("http://user:pw@example.com", false).await.is_err());
        assert_eq!(check_url("http://127.0.0.1:9/x", true).await, Ok(()));
        assert_eq!(check_url("https://93.184.215.14/hook", false).await, Ok(()));
    }

    #[tokio::test]
    async fn the_client_refuses_to_connect_to_a_private_address_by_name() {
        let client = client(false).unwrap();
        let err = client.get("http://localhost:9/").send().await.unwrap_err();
        assert!(format!("{err:?}").contains(REFUSED), "{err:?}");
    }
}
