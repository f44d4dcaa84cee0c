//! Payload intake with kind detection, then every rule and the human rendering of each finding,
//! on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = bdpay_core::input::decode("fuzz".into(), data.to_vec()) else {
        return;
    };
    if let Ok(p) = bdpay_core::payload::read(&src, None) {
        let settings = bdpay_core::rules::Settings::default();
        let style = bdpay_core::render::Style {
            format: bdpay_core::render::Format::Human,
            color: false,
            lang: bdpay_core::message::Lang::En,
            width: 100,
            show_secrets: false,
        };
        for f in bdpay_core::rules::lint(None, std::slice::from_ref(&p), &settings) {
            assert!(f.diagnostic.span.end <= f.diagnostic.source.text.len());
            // Rendering: snippets (windowed on long lines) and shortened messages.
            let shown = bdpay_core::render::human_finding(&f, &style);
            assert!(shown.len() < 64 * 1024, "{} bytes of output", shown.len());
        }
    }
});
