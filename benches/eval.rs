//! Evaluations per second for a PowerUserAccess-sized request (issue 4 goal: ≥ 1,000,000/s on one core).
//! Run with `cargo bench --bench eval`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamlint::eval::{CompiledPolicy, PolicySet, Request, RequestPrincipal, SourceType, evaluate};
use iamlint::model::PolicyKind;
use std::hint::black_box;

const POWER_USER: &str = include_str!("../tests/fixtures/PowerUserAccess.v12.json");
const TRUST_MFA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole",
 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;

fn bench(c: &mut Criterion) {
    let pua =
        CompiledPolicy::from_source(POWER_USER, "PowerUserAccess", SourceType::AwsManaged, Some(PolicyKind::Identity))
            .unwrap();
    let set = PolicySet { identity: vec![pua], ..PolicySet::default() };
    let session = RequestPrincipal::from_arn("arn:aws:sts::123456789012:assumed-role/DeveloperRole/s").unwrap();
    let requests: Vec<Request> = ["s3:ListAllMyBuckets", "ec2:DescribeInstances", "iam:ListUsers", "iam:ListRoles"]
        .iter()
        .map(|a| Request::new(session.clone(), a, "*"))
        .collect();
    let mut g = c.benchmark_group("eval");
    g.throughput(Throughput::Elements(requests.len() as u64));
    g.bench_function("power_user_access_4_requests", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(evaluate(black_box(&set), black_box(r)));
            }
        });
    });
    let trust = PolicySet {
        resource: Some(CompiledPolicy::from_source(TRUST_MFA, "trust", SourceType::Resource, None).unwrap()),
        ..PolicySet::default()
    };
    let alice = RequestPrincipal::from_arn("arn:aws:iam::123456789012:user/alice").unwrap();
    let assume = Request::new(alice, "sts:AssumeRole", "arn:aws:iam::123456789012:role/DeveloperRole")
        .with("aws:MultiFactorAuthPresent", &["true"]);
    g.throughput(Throughput::Elements(1));
    g.bench_function("trust_policy_with_mfa_condition", |b| b.iter(|| black_box(evaluate(&trust, black_box(&assume)))));
    g.bench_function("compile_power_user_access", |b| {
        b.iter(|| {
            CompiledPolicy::from_source(black_box(POWER_USER), "p", SourceType::AwsManaged, Some(PolicyKind::Identity))
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
