//! The key reader (PEM, DER, header-less base64, damaged forms) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = bdpay_core::keys::read(data) {
        let _ = k.describe();
        let _ = k.fingerprint();
        for t in [
            bdpay_core::keys::KeyForm::Spki,
            bdpay_core::keys::KeyForm::Bare,
        ] {
            let _ = bdpay_core::keys::convert(&k, t);
        }
    }
});
