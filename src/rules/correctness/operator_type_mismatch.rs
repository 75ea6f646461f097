//! W016 operator-type-mismatch. The docs are in rules/W016.toml.
use crate::catalog::KeyType;
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, is_provider_key, operator};
use crate::rules::{Check, Cx};

pub(crate) struct OperatorTypeMismatch;
impl Check for OperatorTypeMismatch {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        let cat = crate::catalog::catalog();
        for (op, entry) in cond.entries() {
            let Some((_, family, _)) = operator(&op.op.base) else { continue };
            if family == OpFamily::Null || is_provider_key(&entry.key.value) {
                continue;
            }
            let Some(info) = cat.condition_key(&entry.key.value) else { continue };
            let ty = info.key_type.element();
            if fits(family, ty) {
                continue;
            }
            let want = match ty {
                KeyType::Numeric => "a `Numeric*` operator",
                KeyType::Date => "a `Date*` operator",
                KeyType::Bool => "`Bool`",
                KeyType::IpAddress => "`IpAddress` or `NotIpAddress`",
                KeyType::Binary => "`BinaryEquals`",
                KeyType::Arn => "an `Arn*` operator",
                _ => "a `String*` operator",
            };
            cx.report(
                op.name.span,
                format!("`{}` compares `{}`, which is of type {}", op.name.value, entry.key.value, ty.as_str()),
            )
            .label(entry.key.span, format!("a {} key", ty.as_str()))
            .help(format!("use {want} with this key"));
        }
    }
}

/// Which key types an operator family can compare. String operators also work on ARN keys (AWS
/// documents this), and ARN operators on string keys that hold ARNs.
fn fits(family: OpFamily, ty: KeyType) -> bool {
    match family {
        OpFamily::String => matches!(ty, KeyType::String | KeyType::Arn),
        OpFamily::Arn => matches!(ty, KeyType::Arn | KeyType::String),
        OpFamily::Numeric => ty == KeyType::Numeric,
        OpFamily::Date => ty == KeyType::Date,
        OpFamily::Bool => ty == KeyType::Bool,
        OpFamily::Binary => ty == KeyType::Binary,
        OpFamily::Ip => ty == KeyType::IpAddress,
        OpFamily::Null => true,
    }
}
