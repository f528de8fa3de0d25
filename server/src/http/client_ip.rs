//! The client's address, for the sign-in throttle and the activity log.
//! Behind a reverse proxy the TCP peer is the proxy, so every user would
//! share one address. Only when the peer is one of the configured trusted
//! proxies are `Forwarded` / `X-Forwarded-For` read, and then from the
//! right: the rightmost hop that is not itself a trusted proxy is the
//! client (anything left of it was written by the client and proves
//! nothing).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use ipnet::IpNet;

use app::server_context::ClientIp;

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated CIDR ranges or single addresses, e.g.
    /// `10.0.0.0/8, 127.0.0.1`.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an address or CIDR range: {s:?}"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address given the TCP peer and the request headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        // Hops as the proxies appended them, nearest last.
        let hops = forwarded_for(headers);
        hops.iter()
            .rev()
            .copied()
            .find(|hop| !self.trusts(*hop))
            // Every hop is a proxy of ours: the farthest one is as close to
            // the client as we can know.
            .or_else(|| hops.first().copied())
            .map_or(canonical(peer), canonical)
    }
}

/// IPv4 addresses seen through an IPv6 socket count as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The `for=` hops of `Forwarded` (RFC 7239) when present, else those of
/// `X-Forwarded-For`. A header that does not parse gives no hops, so the
/// proxy's own address is used rather than a guess.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.trim().split_once('=')?;
                    k.eq_ignore_ascii_case("for").then(|| node_address(v))?
                })
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .filter_map(|v| node_address(v))
        .collect()
}

/// `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:80` → the address.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    node.parse::<SocketAddr>().ok().map(|s| s.ip())
}

pub async fn resolve_client_ip(
    State(proxies): State<Arc<TrustedProxies>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(addr)) = req.extensions().get::<ConnectInfo<SocketAddr>>().cloned() {
        let ip = proxies.client(addr.ip(), req.headers());
        req.extensions_mut().insert(ClientIp(ip.to_string()));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                v.parse().expect("value"),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            none.client(ip("198.51.100.7"), &spoofed),
            ip("198.51.100.7")
        );

        let lb = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").expect("parse");
        assert_eq!(lb.client(ip("198.51.100.7"), &spoofed), ip("198.51.100.7"));
        assert_eq!(lb.client(ip("10.1.2.3"), &spoofed), ip("203.0.113.9"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let lb = TrustedProxies::parse("10.0.0.0/8").expect("parse");
        // The client wrote "1.1.1.1" itself; our proxies appended the rest.
        let chain = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(lb.client(ip("10.0.0.1"), &chain), ip("203.0.113.9"));
        let rfc = headers(&[(
            "forwarded",
            "for=1.1.1.1, for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.2",
        )]);
        assert_eq!(lb.client(ip("10.0.0.1"), &rfc), ip("2001:db8::17"));
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(lb.client(ip("10.0.0.1"), &garbage), ip("10.0.0.1"));
        assert_eq!(
            lb.client(ip("::ffff:10.0.0.1"), &chain),
            ip("203.0.113.9"),
            "IPv4 through an IPv6 socket"
        );
    }

    #[test]
    fn bad_ranges_are_refused() {
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.internal").is_err());
        assert!(TrustedProxies::parse("").expect("empty").0.is_empty());
    }
}
