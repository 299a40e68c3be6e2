//! `X-Twilio-Signature` (reference §1.6).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::common::ct_eq;

type HmacSha1 = Hmac<Sha1>;

/// Computes the signature Twilio sends for a form-encoded request to `url`.
///
/// The string to sign is `url` followed, for each parameter name in ascending
/// code-point order, by `name + value` (decoded values, no separators; several
/// values of one name are de-duplicated and sorted). The result is
/// Base64(HMAC-SHA1(auth token, that string)), 28 characters.
pub fn compute_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // Sorting (name, value) pairs orders names first and values within a name;
    // dedup then removes repeated identical values, as the helpers do.
    pairs.sort_unstable();
    pairs.dedup();
    let mut data = String::with_capacity(url.len() + params.len() * 32);
    data.push_str(url);
    for (k, v) in pairs {
        data.push_str(k);
        data.push_str(v);
    }
    BASE64.encode(hmac_sha1(auth_token.as_bytes(), data.as_bytes()))
}

/// Checks `X-Twilio-Signature` for a form-encoded (or GET) webhook.
///
/// `full_url` is the URL exactly as configured at Twilio, query string
/// included; `form_params` are all decoded POST parameters (empty for GET).
/// The URL is tried without its port, with the port (the default one added when
/// absent), and with the query string re-serialized as twilio-node does; any
/// match is accepted. Comparison is constant time.
pub fn validate_signature(
    auth_token: &str,
    full_url: &str,
    form_params: &[(String, String)],
    header_value: &str,
) -> bool {
    let header = header_value.trim();
    if header.is_empty() || auth_token.is_empty() {
        return false;
    }
    let mut ok = false;
    for candidate in url_variants(full_url) {
        let expected = compute_signature(auth_token, &candidate, form_params);
        ok |= ct_eq(expected.as_bytes(), header.as_bytes());
    }
    ok
}

/// Checks `X-Twilio-Signature` for a JSON-body webhook: the URL carries
/// `bodySHA256=<hex sha256 of the raw body>`, the signature covers the URL alone
/// (no parameters), and both must match.
pub fn validate_json_signature(auth_token: &str, full_url: &str, raw_body: &[u8], header_value: &str) -> bool {
    let Ok(parsed) = url::Url::parse(full_url) else {
        return false;
    };
    let Some(claimed) = parsed.query_pairs().find(|(k, _)| k == "bodySHA256").map(|(_, v)| v.to_ascii_lowercase())
    else {
        return false;
    };
    let actual = hex::encode(Sha256::digest(raw_body));
    let body_ok = ct_eq(actual.as_bytes(), claimed.as_bytes());
    let sig_ok = validate_signature(auth_token, full_url, &[], header_value);
    body_ok && sig_ok
}

fn hmac_sha1(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this never takes the `else` branch.
    let Ok(mut mac) = <HmacSha1 as KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The URL as given, without port, with port, and both with the query string
/// re-serialized (twilio-python tries the first two, twilio-node all four).
fn url_variants(url: &str) -> Vec<String> {
    let mut out = vec![url.to_owned()];
    let push = |s: String, out: &mut Vec<String>| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(parts) = split_url(url) {
        let prefix = match parts.userinfo {
            Some(u) => format!("{}://{}@{}", parts.scheme, u, parts.host),
            None => format!("{}://{}", parts.scheme, parts.host),
        };
        let without_port = format!("{prefix}{}", parts.rest);
        let port = parts.port.or(match parts.scheme.to_ascii_lowercase().as_str() {
            "https" => Some("443"),
            "http" => Some("80"),
            _ => None,
        });
        let with_port = port.map(|p| format!("{prefix}:{p}{}", parts.rest));
        for base in std::iter::once(without_port).chain(with_port) {
            if let Some(legacy) = with_legacy_querystring(&base) {
                push(legacy, &mut out);
            }
            push(base, &mut out);
        }
    }
    out
}

struct UrlParts<'a> {
    scheme: &'a str,
    userinfo: Option<&'a str>,
    host: &'a str,
    port: Option<&'a str>,
    /// Path, query and fragment, untouched.
    rest: &'a str,
}

fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = if hostport.starts_with('[') {
        let close = hostport.find(']')?;
        let (h, p) = hostport.split_at(close + 1);
        (h, p.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = port.filter(|p| !p.is_empty());
    if host.is_empty() || port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(UrlParts { scheme, userinfo, host, port, rest })
}

/// Node's legacy `querystring.stringify(querystring.parse(query))`, applied to
/// the query of `url`; `None` when there is no query.
fn with_legacy_querystring(url: &str) -> Option<String> {
    let (before, after) = url.split_once('?')?;
    let (query, fragment) = match after.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (after, None),
    };
    if query.is_empty() {
        return None;
    }
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match grouped.iter_mut().find(|(name, _)| *name == k) {
            Some((_, values)) => values.push(v.into_owned()),
            None => grouped.push((k.into_owned(), vec![v.into_owned()])),
        }
    }
    let serialized: Vec<String> = grouped
        .iter()
        .flat_map(|(k, values)| values.iter().map(move |v| format!("{}={}", qs_escape(k), qs_escape(v))))
        .collect();
    let mut out = format!("{before}?{}", serialized.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// `encodeURIComponent`-style escaping used by Node's `querystring.escape`.
fn qs_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn official_helper_vector() {
        let params = pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(compute_signature("12345", url, &params), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert_eq!(
            compute_signature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", &params),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        );
        // Either variant is accepted whatever form the configured URL has.
        assert!(validate_signature("12345", url, &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assert!(validate_signature("12345", url, &params, "kvajT1Ptam85bY51eRf/AJRuM3w="));
        assert!(validate_signature(
            "12345",
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            &params,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
        assert!(!validate_signature("12346", url, &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    #[test]
    fn string_to_sign_is_url_plus_sorted_name_value_pairs() {
        // Independent of compute_signature's sorting: HMAC the hand-built string.
        let params = pairs(&[("b", "2"), ("B", "x"), ("a", "1")]);
        let by_hand = BASE64.encode(hmac_sha1(b"tok", b"https://h/pBxa1b2"));
        assert_eq!(compute_signature("tok", "https://h/p", &params), by_hand);
        // Value fixed from the algorithm (python: base64(hmac.new(b"tok",
        // b"https://h/pBxa1b2", sha1).digest())).
        assert_eq!(by_hand, "9yGmiR8/Ya5G5nCyb/vGiZPukEg=");
    }

    #[test]
    fn repeated_names_are_deduplicated_and_sorted() {
        let params = pairs(&[("MediaUrl", "https://b"), ("MediaUrl", "https://a"), ("MediaUrl", "https://b")]);
        let expected = BASE64.encode(hmac_sha1(b"t", b"https://x/MediaUrlhttps://aMediaUrlhttps://b"));
        assert_eq!(compute_signature("t", "https://x/", &params), expected);
    }

    #[test]
    fn url_variants_cover_ports_and_legacy_query() {
        let v = url_variants("https://hooks.example.com/twilio/status?tenant=42");
        assert!(v.contains(&"https://hooks.example.com/twilio/status?tenant=42".to_owned()));
        assert!(v.contains(&"https://hooks.example.com:443/twilio/status?tenant=42".to_owned()));
        let v = url_variants("http://u:p@example.com:8080/x?a=b%20c&a=d");
        assert!(v.contains(&"http://u:p@example.com/x?a=b%20c&a=d".to_owned()));
        assert!(v.contains(&"http://u:p@example.com:8080/x?a=b%20c&a=d".to_owned()));
        let v = url_variants("https://example.com/x?q=a+b&r=%7e");
        assert!(v.contains(&"https://example.com/x?q=a%20b&r=~".to_owned()), "{v:?}");
        let v = url_variants("https://[::1]/x");
        assert!(v.contains(&"https://[::1]:443/x".to_owned()));
    }

    #[test]
    fn malformed_header_or_token_is_rejected() {
        let params = pairs(&[("a", "1")]);
        let sig = compute_signature("tok", "https://h/p", &params);
        assert!(validate_signature("tok", "https://h/p", &params, &sig));
        assert!(validate_signature("tok", "https://h/p", &params, &format!(" {sig} ")));
        assert!(!validate_signature("tok", "https://h/p", &params, ""));
        assert!(!validate_signature("tok", "https://h/p", &params, "not-base64"));
        assert!(!validate_signature("tok", "https://h/p", &params, &sig[..27]));
        assert!(!validate_signature("", "https://h/p", &params, &sig));
    }
}
