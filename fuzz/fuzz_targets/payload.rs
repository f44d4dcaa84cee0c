//! Payload intake with kind detection, then every rule, on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = bdpay_doctor::input::decode("fuzz".into(), data.to_vec()) else {
        return;
    };
    if let Ok(p) = bdpay_doctor::payload::read(&src, None) {
        let settings = bdpay_doctor::rules::Settings::default();
        for f in bdpay_doctor::rules::lint(None, std::slice::from_ref(&p), &settings) {
            assert!(f.report.span.end <= f.report.source.text.len());
        }
    }
});
