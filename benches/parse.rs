//! Parse and lint throughput (MB/s) over 10,000 generated identity policies (`corpus::identity_policies(42,
//! 10_000)`, the corpus `scripts/bench-peers` measures end to end), seeded so every run sees the same text.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamlint::{Settings, corpus, parse};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let policies = corpus::identity_policies(42, 10_000);
    let bytes: usize = policies.iter().map(String::len).sum();
    let mut g = c.benchmark_group("10k-policies");
    g.throughput(Throughput::BytesDecimal(bytes as u64)); // reported as MB/s (10^6 bytes)
    g.sample_size(20);
    g.bench_function("parse", |b| {
        b.iter(|| {
            for p in &policies {
                black_box(parse::parse(black_box(p)));
            }
        });
    });
    let settings = Settings::default();
    g.bench_function("lint", |b| {
        b.iter(|| {
            for p in &policies {
                black_box(iamlint::lint(black_box(p), &settings));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
