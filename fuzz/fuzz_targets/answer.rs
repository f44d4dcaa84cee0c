//! A callback answer, read as each answer kind, then the answer rules.
#![no_main]

use bdpay_core::payload::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = bdpay_core::source::SourceFile::new("answer", text);
    for kind in [
        Kind::NotifyResponse,
        Kind::RefundAuditResponse,
        Kind::RefundNotifyResponse,
    ] {
        if let Ok(p) = bdpay_core::payload::read(&src, Some(kind)) {
            let _ = bdpay_core::probe::says_success(&p);
            let settings = bdpay_core::rules::Settings::default();
            let _ = bdpay_core::rules::lint(None, std::slice::from_ref(&p), &settings);
        }
    }
});
