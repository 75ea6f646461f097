//! Fuzz the JSON front end and the whole lint pipeline on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let settings = iamlint::Settings::default();
    let findings = iamlint::lint_bytes(data, &settings);
    for f in &findings {
        assert!(f.span.start <= f.span.end && f.span.end <= data.len());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let parsed = iamlint::parse::parse(text);
        if let Some(root) = &parsed.root {
            assert!(root.span.end <= text.len());
        }
    }
});
