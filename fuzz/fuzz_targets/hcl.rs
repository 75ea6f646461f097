//! Fuzz the Terraform (HCL) front end and the lint pipeline over what it extracts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let settings = iamlint::Settings::default();
    let _ = iamlint::lint_file("fuzz.tf", data, &settings);
    if let Ok(text) = std::str::from_utf8(data) {
        let t = iamlint::sources::extract(iamlint::sources::InputType::Terraform, text, iamlint::parse::Limits::default());
        for p in &t.policies {
            assert!(p.root.span.end <= text.len());
        }
    }
});
