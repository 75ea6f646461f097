//! Analyse a generated account once and print timings: `cargo run --release --example account_scale
//! [ROLES USERS POLICIES]`. Run it under `/usr/bin/time -v` for peak memory.
#![expect(clippy::print_stdout, reason = "an example that reports timings")]

use iamlint::account::{Account, analyse, generate::generate};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (roles, users, policies) = match args[..] {
        [r, u, p] => (r, u, p),
        _ => (5_000, 2_000, 3_000),
    };
    let t = Instant::now();
    let dump = generate(42, roles, users, policies);
    let generated = t.elapsed();
    let t = Instant::now();
    let account = Account::from_source(&dump).expect("a dump");
    let loaded = t.elapsed();
    let t = Instant::now();
    let analysis = analyse(account);
    let analysed = t.elapsed();
    let t = Instant::now();
    let f = iamlint::rules::account(&analysis, &iamlint::LinterSettings::default());
    let reported = t.elapsed();
    let admin = analysis.nodes.iter().filter(|n| n.admin.is_some()).count();
    let reach = (0..analysis.nodes.len()).filter(|&i| analysis.reaches_admin(i)).count();
    let (edges, stored) = (analysis.edge_count(), analysis.stored_edge_count());
    println!(
        "{roles} roles, {users} users, {policies} policies ({} MiB dump): generate {generated:?}, load {loaded:?}, analyse {analysed:?}, findings {reported:?}",
        dump.len() >> 20
    );
    println!(
        "{} findings, {admin} admin principals, {reach} reach admin, {edges} edges ({stored} stored, {} role classes)",
        f.len(),
        analysis.class_roles.len()
    );
    let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for e in analysis.nodes.iter().flat_map(|n| &n.edges) {
        *kinds.entry(format!("{:?}", e.kind)).or_default() += 1;
    }
    println!("stored edges by kind: {kinds:?}");
}
