//! W004 invalid-ip-value. The docs are in rules/W004.toml. The grammar is the evaluator's
//! ([`crate::semantics::value::ip`]): a value reported here never matches.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, values_of};
use crate::rules::{Check, Cx};
use crate::semantics::value;

pub(crate) struct InvalidIpValue;
impl Check for InvalidIpValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, v) in values_of(cond, OpFamily::Ip) {
            if value::ip(&v.value).is_err() {
                cx.report(v.span, format!("`{}` is not an IP address or CIDR range", v.value))
                    .label(op.name.span, "an IP operator")
                    .help("write an IPv4 or IPv6 address or CIDR, e.g. `203.0.113.0/24` or `2001:db8::/32`");
            }
        }
    }
}
