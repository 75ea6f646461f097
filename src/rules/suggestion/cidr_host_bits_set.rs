//! N006 cidr-host-bits-set. The docs are in rules/N006.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, operator};
use crate::rules::{Check, Cx};
use std::net::IpAddr;

pub(crate) struct CidrHostBitsSet;
impl Check for CidrHostBitsSet {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            if !matches!(operator(&op.op.base), Some((_, OpFamily::Ip, _))) {
                continue;
            }
            for v in &entry.values {
                let Some((ip, prefix)) = crate::rules::correctness::parse_cidr(&v.value) else { continue };
                let network = network(ip, prefix);
                if network != ip {
                    cx.report(v.span, format!("`{}` has host bits set; it means `{network}/{prefix}`", v.value)).help(
                        format!(
                            "write `{network}/{prefix}`, or `/{}` for the single address",
                            if ip.is_ipv4() { 32 } else { 128 }
                        ),
                    );
                }
            }
        }
    }
}

fn network(ip: IpAddr, prefix: u32) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
            IpAddr::V4((u32::from(a) & mask).into())
        }
        IpAddr::V6(a) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix) };
            IpAddr::V6((u128::from(a) & mask).into())
        }
    }
}
