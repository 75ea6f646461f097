//! Account-scale escalation analysis: a generated dump (seeded) of 5,000 roles, 2,000 users and 3,000
//! customer policies, loaded and analysed end to end (every principal, every method, the trust graph).
use criterion::{Criterion, criterion_group, criterion_main};
use iamlint::account::{Account, analyse, generate::generate};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dump = generate(42, 5_000, 2_000, 3_000);
    let mut g = c.benchmark_group("account-5k-roles");
    g.sample_size(10);
    g.bench_function("load+analyse+findings", |b| {
        b.iter(|| {
            let account = Account::from_source(black_box(&dump)).unwrap();
            let analysis = analyse(account);
            black_box(iamlint::rules::account(&analysis, &iamlint::LinterSettings::default()))
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
