//! Fuzz the evaluator: arbitrary policy text (conditions, wildcards, variables) evaluated against a
//! fixed set of requests with rich contexts. Evaluation must terminate and never panic.
#![no_main]
use iamlint::eval::context::{Request, RequestPrincipal};
use iamlint::eval::decision::{PolicySet, evaluate};
use iamlint::eval::{CompiledPolicy, SourceType};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(policy) = CompiledPolicy::from_source(text, "fuzz", SourceType::Role, None) else { return };
    let set = PolicySet { identity: vec![policy], ..PolicySet::default() };
    let principal = RequestPrincipal::from_arn("arn:aws:iam::123456789012:user/alice").unwrap();
    for (action, resource) in [
        ("s3:GetObject", "arn:aws:s3:::bucket/home/alice/a.txt"),
        ("iam:PassRole", "arn:aws:iam::123456789012:role/admin"),
        ("ec2:RunInstances", "*"),
    ] {
        let req = Request::new(principal.clone(), action, resource)
            .with("aws:MultiFactorAuthPresent", &["true"])
            .with("aws:SourceIp", &["203.0.113.7"])
            .with("aws:CurrentTime", &["2026-11-29T12:00:00Z"])
            .with("aws:TagKeys", &["team", "env"])
            .with("s3:max-keys", &["10"]);
        let _ = evaluate(&set, &req);
    }
});
