//! W008 set-operator-on-single-valued-key. The docs are in rules/W008.toml.
use crate::model::{ConditionBlock, SetQualifier, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct SetOperatorOnSingleValuedKey;
impl Check for SetOperatorOnSingleValuedKey {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            let Some(q) = op.op.qualifier else { continue };
            if !is_single_valued(&entry.key.value) {
                continue;
            }
            let q = match q {
                SetQualifier::ForAllValues => "ForAllValues",
                SetQualifier::ForAnyValue => "ForAnyValue",
            };
            cx.report(op.name.span, format!("`{q}` is used with `{}`, which holds a single value", entry.key.value))
                .label(entry.key.span, "a single-valued key")
                .help(format!("drop the `{q}:` prefix: set operators are for multivalued keys such as `aws:TagKeys`"));
        }
    }
}

/// Global keys AWS documents as single-valued, for keys missing from the catalog.
const SINGLE_VALUED: &[&str] = &[
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalServiceName",
    "aws:PrincipalType",
    "aws:Referer",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:userid",
    "aws:username",
    "aws:ViaAWSService",
    "aws:VpcSourceIp",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
];
const SINGLE_VALUED_PREFIXES: &[&str] = &["aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/"];

fn is_single_valued(key: &str) -> bool {
    // The catalog knows each key's type; the list covers keys it does not know.
    if let Some(info) = crate::catalog::catalog().condition_key(key) {
        return !info.is_multivalued();
    }
    SINGLE_VALUED.iter().any(|k| k.eq_ignore_ascii_case(key))
        || SINGLE_VALUED_PREFIXES
            .iter()
            .any(|p| key.len() > p.len() && key.is_char_boundary(p.len()) && key[..p.len()].eq_ignore_ascii_case(p))
}
