//! Benchmarks for the AWS knowledge base: cold construction and decoding, then lookups.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iamlint::catalog::{Catalog, catalog};

fn cold(c: &mut Criterion) {
    let mut g = c.benchmark_group("cold");
    g.sample_size(10);
    // Index the embedded text; decodes no service yet.
    g.bench_function("load", |b| b.iter(|| black_box(Catalog::load())));
    // What the first `action()` call in a process costs: load + decode one service.
    g.bench_function("load+first_action", |b| {
        b.iter(|| {
            let c = Catalog::load();
            black_box(c.action("s3:GetObject").map(|a| a.access_level()));
        });
    });
    // Every service (what `expand("*")` or `complement` needs first).
    g.bench_function("load+decode_services", |b| {
        b.iter(|| {
            let c = Catalog::load();
            black_box(c.services().count());
        });
    });
    // Worst case: load and decode every service and managed policy.
    g.bench_function("load+decode_all", |b| {
        b.iter(|| {
            let c = Catalog::load();
            c.decode_all();
            black_box(c);
        });
    });
    g.finish();
}

fn warm(c: &mut Criterion) {
    let cat = catalog();
    cat.decode_all();
    c.bench_function("action", |b| {
        b.iter(|| black_box(cat.action(black_box("s3:getobject"))));
    });
    c.bench_function("expand_s3_get", |b| {
        b.iter(|| black_box(cat.expand(black_box("s3:Get*")).len()));
    });
    c.bench_function("expand_iam_policy", |b| {
        b.iter(|| black_box(cat.expand(black_box("iam:*Policy*")).len()));
    });
    c.bench_function("expand_star", |b| {
        b.iter(|| black_box(cat.expand(black_box("*")).len()));
    });
    c.bench_function("complement_poweruser", |b| {
        let not = ["iam:*", "organizations:*", "account:*"];
        b.iter(|| black_box(cat.complement(black_box(&not)).len()));
    });
    c.bench_function("suggest_action", |b| {
        b.iter(|| black_box(cat.suggest_action(black_box("s3:GetObjet"))));
    });
    c.bench_function("suggest_action_bad_prefix", |b| {
        b.iter(|| black_box(cat.suggest_action(black_box("lamda:InvokeFunction"))));
    });
    c.bench_function("condition_key_templated", |b| {
        b.iter(|| black_box(cat.condition_key(black_box("s3:ExistingObjectTag/team"))));
    });
    c.bench_function("condition_keys_for_action", |b| {
        b.iter(|| black_box(cat.condition_keys_for_action(black_box("s3:GetObject")).len()));
    });
    c.bench_function("managed_policy_arn", |b| {
        let arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
        b.iter(|| black_box(cat.managed_policy(black_box(arn)).is_some()));
    });
}

criterion_group!(benches, cold, warm);
criterion_main!(benches);
