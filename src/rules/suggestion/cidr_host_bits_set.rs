//! N006 cidr-host-bits-set. The docs are in rules/N006.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, values_of};
use crate::rules::{Check, Cx};
use crate::semantics::value;

pub(crate) struct CidrHostBitsSet;
impl Check for CidrHostBitsSet {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (_, v) in values_of(cond, OpFamily::Ip) {
            let Ok(cidr) = value::ip(&v.value) else { continue };
            let (ip, prefix, network) = (cidr.addr(), cidr.prefix(), cidr.network().addr());
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
