//! One audit log line: NDJSON record or raw payload, delivery key, and the payload reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let _ = bdpay_core::audit::delivery_key(line);
    let (request, response, _) =
        bdpay_core::audit::record(line).unwrap_or((line.to_owned(), None, None));
    let src = bdpay_core::source::SourceFile::new("log", request);
    let _ = bdpay_core::payload::read(&src, None);
    if let Some(a) = response {
        let src = bdpay_core::source::SourceFile::new("answer", a);
        let _ =
            bdpay_core::payload::read(&src, Some(bdpay_core::payload::Kind::NotifyResponse));
    }
});
