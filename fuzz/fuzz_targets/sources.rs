//! Fuzz the template front ends (CloudFormation YAML/JSON, Terraform HCL, plan JSON, account dumps)
//! and the whole lint pipeline behind them. The first byte picks the file name, hence the front end.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["template.yaml", "main.tf", "template.json", "plan.json", "dump.json", "<stdin>"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let findings = iamlint::lint_file(name, rest, &iamlint::Settings::default());
    let text = std::str::from_utf8(rest).ok();
    for f in &findings {
        for span in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
            assert!(span.start <= span.end && span.end <= rest.len());
            if let Some(t) = text {
                assert!(t.is_char_boundary(span.start) && t.is_char_boundary(span.end));
            }
        }
    }
});
