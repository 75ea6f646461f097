//! W004 invalid-ip-value. The docs are in rules/W004.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, operator};
use crate::rules::{Check, Cx};
use std::net::IpAddr;

pub(crate) struct InvalidIpValue;
impl Check for InvalidIpValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            if !matches!(operator(&op.op.base), Some((_, OpFamily::Ip, _))) {
                continue;
            }
            for v in &entry.values {
                if parse_cidr(&v.value).is_none() {
                    cx.report(v.span, format!("`{}` is not an IP address or CIDR range", v.value))
                        .label(op.name.span, "an IP operator")
                        .help("write an IPv4 or IPv6 address or CIDR, e.g. `203.0.113.0/24` or `2001:db8::/32`");
                }
            }
        }
    }
}

/// Parse `addr` or `addr/prefix`; the prefix defaults to the full length.
pub(crate) fn parse_cidr(s: &str) -> Option<(IpAddr, u32)> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 3 => p.parse().ok()?,
        Some(_) => return None,
        None => max,
    };
    (prefix <= max).then_some((ip, prefix))
}
