//! Names AWS accepts that the service reference (data/actions.json) does not list: retired services
//! and actions that AWS managed policies still name, legacy action and condition-key names AWS's own
//! default policies use, and names newer than the reference snapshot. Hand-written AWS facts, each
//! with its source; everything else comes from `scripts/update-aws-data`.
//!
//! A retired name is accepted by IAM but grants nothing: the rules report it as a warning that says
//! so, never as an error. A legacy or newer name is accepted and in use: no finding.

/// Service prefixes AWS retired; AWS managed policies still name them, and IAM accepts them.
const RETIRED_SERVICES: &[(&str, &str)] = &[
    ("codestar", "AWS CodeStar was discontinued in July 2024"),
    ("deepcomposer", "AWS DeepComposer was discontinued in September 2025"),
    ("deeplens", "AWS DeepLens reached end of life in January 2024"),
    ("deepracer", "the AWS DeepRacer console service was retired"),
    ("elastic-inference", "Amazon Elastic Inference was retired in April 2024"),
    ("evidently", "Amazon CloudWatch Evidently was discontinued in October 2025"),
    ("iot1click", "AWS IoT 1-Click was discontinued in December 2024"),
    ("iotevents", "AWS IoT Events reached end of support"),
    ("iotroborunner", "AWS IoT RoboRunner (preview) was discontinued"),
    ("gamesparks", "Amazon GameSparks (preview) was discontinued"),
    ("zocalo", "Amazon WorkDocs (`zocalo`) was discontinued in April 2025"),
];

/// Actions (or `service:*` for a whole family) AWS retired but managed policies still name.
const RETIRED_ACTIONS: &[(&str, &str)] = &[
    ("cloudhsm:CreateLunaClient", "CloudHSM Classic was retired"),
    ("cloudhsm:DeleteLunaClient", "CloudHSM Classic was retired"),
    ("cloudhsm:DescribeHapg", "CloudHSM Classic was retired"),
    ("cloudhsm:DescribeLunaClient", "CloudHSM Classic was retired"),
    ("cloudhsm:GetConfig", "CloudHSM Classic was retired"),
    ("cloudhsm:ModifyHapg", "CloudHSM Classic was retired"),
    ("cloudhsm:ModifyLunaClient", "CloudHSM Classic was retired"),
    ("cloudhsm:ListHapgs", "CloudHSM Classic was retired"),
    ("cloudhsm:ListHsms", "CloudHSM Classic was retired"),
    ("cloudhsm:ListLunaClients", "CloudHSM Classic was retired"),
    ("cloudhsm:ListAvailableZones", "CloudHSM Classic was retired"),
    ("cloud9:ValidateEnvironmentName", "a retired Cloud9 action"),
];

/// Action names AWS accepts and uses that the reference does not list: legacy names in AWS's own
/// default policies, console-only actions, and actions newer than the reference snapshot.
const KNOWN_ACTIONS: &[(&str, &str)] = &[
    ("sns:Receive", "SNS's default topic policy (docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html)"),
    ("budgets:CreateBudget", "legacy Budgets API name in AWS managed policies"),
    ("budgets:DeleteBudget", "legacy Budgets API name in AWS managed policies"),
    ("budgets:DescribeBudget", "legacy Budgets API name in AWS managed policies"),
    ("budgets:DescribeBudgets", "legacy Budgets API name in AWS managed policies"),
    ("budgets:UpdateBudget", "legacy Budgets API name in AWS managed policies"),
    ("memorydb:ReplicateMultiRegionClusterData", "service-internal action in MemoryDBServiceRolePolicy"),
    ("organizations:CreateBuilderIdOwnedAccount", "newer than the service reference snapshot"),
    ("payments:*", "AWSManagedSettingsAdminAccess names Payments actions newer than the reference"),
    ("qapps:ImportDocumentToQApp", "newer than the service reference snapshot"),
    ("qapps:ImportDocumentToQAppSession", "newer than the service reference snapshot"),
    ("route53-recovery-control-config:DescribeRoutingControlByName", "read action in an AWS managed policy"),
    ("securityagent:*", "SecurityAgentWebAppAPIPolicy names console-only actions"),
];

/// Service prefixes AWS managed policies name that the reference does not list as services.
const KNOWN_SERVICES: &[(&str, &str)] =
    &[("builderid", "AWS Builder ID actions, used by AWSManagedSettingsAdminAccess"), ("payments", "AWS Payments")];

/// Condition keys AWS accepts and uses that data/global-condition-keys.toml and the reference lack.
const KNOWN_KEYS: &[(&str, &str)] = &[
    (
        "aws:SourceOwner",
        "SNS's default topic policy (docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html)",
    ),
    ("aws:PrincipalOrgMasterAccountId", "legacy global key, used by AWSSSOServiceRolePolicy"),
    (
        "aws:AssumedRoot",
        "global key for root sessions (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)",
    ),
    ("aws:IsMcpServiceAction", "global key newer than data/global-condition-keys.toml"),
    ("deepracer:MultiUser", "key of the retired DeepRacer service"),
    ("deepracer:UserToken", "key of the retired DeepRacer service"),
    ("lakeformation:GlueARN", "used by AmazonDataZoneGlueManageAccessRolePolicy"),
];

fn find(list: &'static [(&'static str, &'static str)], name: &str) -> Option<&'static str> {
    let service = name.split(':').next().unwrap_or("");
    list.iter()
        .find(|(n, _)| {
            n.eq_ignore_ascii_case(name) || n.strip_suffix(":*").is_some_and(|s| s.eq_ignore_ascii_case(service))
        })
        .map(|(_, why)| *why)
}

/// Why a service prefix is retired, if AWS retired it.
pub fn retired_service(prefix: &str) -> Option<&'static str> {
    find(RETIRED_SERVICES, prefix)
}

/// Why an action is retired, if AWS retired it (or its whole service).
pub fn retired_action(action: &str) -> Option<&'static str> {
    find(RETIRED_ACTIONS, action).or_else(|| retired_service(action.split(':').next().unwrap_or("")))
}

/// Whether AWS accepts and uses this action name although the reference does not list it.
pub fn known_action(action: &str) -> bool {
    find(KNOWN_ACTIONS, action).is_some()
}

/// Whether AWS accepts this service prefix although the reference does not list it.
pub fn known_service(prefix: &str) -> bool {
    find(KNOWN_SERVICES, prefix).is_some()
}

/// Whether AWS accepts this condition key although the catalog does not list it.
pub fn known_key(key: &str) -> bool {
    KNOWN_KEYS.iter().any(|(n, _)| n.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case() {
        assert!(retired_service("CodeStar").is_some());
        assert!(retired_action("iotevents:ListInputs").is_some());
        assert!(retired_action("cloudhsm:describehapg").is_some());
        assert!(known_action("SNS:Receive"));
        assert!(known_action("payments:ListPaymentInstruments"));
        assert!(known_key("AWS:SourceOwner"));
        assert!(!known_action("s3:GetObjet"));
    }
}
