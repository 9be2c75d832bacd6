//! Who the client is, for throttling sign-ins: the address the connection came from, or —
//! when that is a reverse proxy the installation trusts — the address the proxy says it
//! forwarded for. Only trusted proxies are believed: anyone else can write any
//! `X-Forwarded-For` they like.

use std::net::IpAddr;

/// An address or a network (`10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(text: &str) -> Option<IpNet> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.trim().parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            // An IPv4 client seen through an IPv6 socket.
            (IpAddr::V4(_), IpAddr::V6(ip)) => ip.to_ipv4_mapped().is_some_and(|v4| self.contains(IpAddr::V4(v4))),
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

fn same_prefix(a: &[u8], b: &[u8], bits: u8) -> bool {
    let (whole, rest) = ((bits / 8) as usize, bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0
}

/// The client a request is from: `peer` (the connection's address), unless `peer` is a
/// trusted proxy — then the rightmost address in `forwarded_for` that is not itself a trusted
/// proxy (the left part of the header is whatever the client wrote).
pub fn client_of(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    forwarded_for
        .into_iter()
        .flat_map(|h| h.rsplit(','))
        .map_while(|part| part.trim().parse::<IpAddr>().ok())
        .find(|ip| !is_trusted(*ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_contain_their_addresses() {
        let ten = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(ten.contains(ip("10.20.30.40")) && !ten.contains(ip("11.0.0.1")));
        assert!(IpNet::parse("192.168.1.0/26").unwrap().contains(ip("192.168.1.63")));
        assert!(!IpNet::parse("192.168.1.0/26").unwrap().contains(ip("192.168.1.64")));
        assert!(IpNet::parse("::1").unwrap().contains(ip("::1")));
        assert!(IpNet::parse("127.0.0.1").unwrap().contains(ip("::ffff:127.0.0.1")));
        assert_eq!(IpNet::parse("10.0.0.0/33"), None);
        assert_eq!(IpNet::parse("proxy.example"), None);
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let trusted = [IpNet::parse("127.0.0.1").unwrap(), IpNet::parse("10.0.0.0/8").unwrap()];
        // Straight from the internet: the header is the client's own invention.
        assert_eq!(client_of(ip("203.0.113.9"), Some("1.2.3.4"), &trusted), ip("203.0.113.9"));
        // Through the local proxy: the address it saw.
        assert_eq!(client_of(ip("127.0.0.1"), Some("198.51.100.7"), &trusted), ip("198.51.100.7"));
        // Through two trusted hops; the client put a fake address in front.
        assert_eq!(client_of(ip("127.0.0.1"), Some("6.6.6.6, 198.51.100.7, 10.1.1.1"), &trusted), ip("198.51.100.7"));
        // A proxy that sent no header: the proxy itself.
        assert_eq!(client_of(ip("127.0.0.1"), None, &trusted), ip("127.0.0.1"));
        assert_eq!(client_of(ip("127.0.0.1"), Some("garbage"), &trusted), ip("127.0.0.1"));
    }
}
