//! The key reader (PEM, DER, header-less base64, damaged forms) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = bdpay_doctor::keys::read(data) {
        let _ = k.describe();
        let _ = k.fingerprint();
        for t in [
            bdpay_doctor::keys::Target::Spki,
            bdpay_doctor::keys::Target::Bare,
        ] {
            let _ = bdpay_doctor::keys::convert(&k, t);
        }
    }
});
