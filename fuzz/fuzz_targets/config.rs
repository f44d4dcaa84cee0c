//! The bdpay.toml reader, then the config rules, on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = bdpay_core::source::SourceFile::new("bdpay.toml", text);
    if let Ok(c) = bdpay_core::config::Config::parse(src, std::env::temp_dir(), &bdpay_core::config::NoFiles) {
        let settings = bdpay_core::rules::Settings::default();
        let _ = bdpay_core::rules::lint(Some(&c), &[], &settings);
    }
});
