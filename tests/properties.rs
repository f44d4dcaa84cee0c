//! Invariants over generated inputs (proptest): canonical strings do not depend on field order,
//! sign-then-verify holds for any UTF-8 parameters, reading any text never panics, and every
//! finding's span lies inside its input.

use bdpay_core::payload;
use bdpay_core::rules::{self, Settings};
use bdpay_core::sign;
use bdpay_core::source::SourceFile;
use proptest::prelude::*;

fn field() -> impl Strategy<Value = (String, String)> {
    ("[a-zA-Z][a-zA-Z0-9_]{0,11}", any::<String>())
}

fn key() -> &'static bdpay_core::keys::Key {
    static KEY: std::sync::OnceLock<bdpay_core::keys::Key> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        bdpay_core::keys::read(&std::fs::read("fixtures/keys/test-1024.pkcs1.pem").unwrap())
            .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn canonical_string_is_independent_of_field_order(
        fields in proptest::collection::vec(field(), 1..12),
        seed in any::<u64>(),
    ) {
        let body = |f: &[(String, String)]| {
            let mut v: Vec<String> = f
                .iter()
                .map(|(k, v)| format!("{k}={}", sign::forensics::form_encode(v)))
                .collect();
            v.push("refundBatchId=1".into());
            v.join("&")
        };
        let mut shuffled = fields.clone();
        let n = shuffled.len();
        for i in 0..n {
            let j = ((seed >> (i % 60)) as usize + i * 7) % n;
            shuffled.swap(i, j);
        }
        // Repeated keys keep their last value, so compare only when keys are distinct.
        let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        prop_assume!(keys.len() == fields.len());
        let a = payload::read(&SourceFile::new("refund-audit.form", body(&fields)), None).unwrap();
        let b = payload::read(&SourceFile::new("refund-audit.form", body(&shuffled)), None).unwrap();
        prop_assert_eq!(sign::plan(&a).unwrap().canonical(), sign::plan(&b).unwrap().canonical());
    }

    #[test]
    fn sign_then_verify_holds_for_any_utf8(fields in proptest::collection::vec(field(), 1..8)) {
        let canonical = sign::join(&fields);
        let k = key();
        let sig = sign::sign(k.private.as_ref().unwrap(), canonical.as_bytes()).unwrap();
        let raw = sign::forensics::b64(&sig).unwrap();
        prop_assert!(sign::verify(&k.public_key().unwrap(), canonical.as_bytes(), &raw));
        let fast = bdpay_core::fastrsa::PublicKey::from_rsa(&k.public_key().unwrap()).unwrap();
        let digest: [u8; 20] = sha1::Digest::finalize(sha1::Digest::chain_update(<sha1::Sha1 as sha1::Digest>::new(), canonical.as_bytes())).into();
        prop_assert!(fast.verify_sha1(&digest, &raw));
    }

    #[test]
    fn reading_and_linting_any_text_never_panics_and_spans_stay_inside(text in any::<String>()) {
        let src = SourceFile::new("x", text.clone());
        if let Ok(p) = payload::read(&src, None) {
            let settings = Settings::default();
            for f in rules::lint(None, std::slice::from_ref(&p), &settings) {
                let s = f.diagnostic.span;
                prop_assert!(s.start <= s.end && s.end <= f.diagnostic.source.text.len(), "{:?} outside {} bytes", s, text.len());
            }
        }
    }

    #[test]
    fn snippet_windows_stay_inside_and_on_char_boundaries(
        text in "([a-z\"=&:{} 中文é\n]{0,40}|x{300,400}){1,6}",
        a in any::<usize>(),
        b in any::<usize>(),
    ) {
        use bdpay_core::source::{Span, Window};
        let src = SourceFile::new("x", text.clone());
        let len = text.len().max(1);
        let (a, b) = (a % len, b % len);
        let span = Span::new(a.min(b), a.max(b));
        if let Some(w) = Window::around(&src, &[span, Span::new(b, b)]) {
            for s in [span, Span::new(b, b), Span::new(0, 0)] {
                if let Some(m) = w.map(s) {
                    let c = miette::SourceCode::read_span(&w, &m.into(), 0, 0);
                    prop_assert!(c.is_ok(), "{:?} -> {:?}", s, m);
                    // (miette reads one byte for an empty span: only spans with bytes are cut.)
                    let c = c.unwrap();
                    prop_assert!(m.is_empty() || std::str::from_utf8(c.data()).is_ok(), "{:?} -> {:?} cuts a character", s, m);
                }
            }
        }
        // Quoted values of any text are shortened without panicking.
        let _ = bdpay_core::text::shorten(&format!("{text:?} and {:?}", text.repeat(3)));
    }

    #[test]
    fn json_like_text_never_panics(text in r#"[\{\[\]\}"':,a-z0-9 \\\n]{0,200}"#) {
        let src = SourceFile::new("x.json", text);
        let _ = payload::read(&src, None);
    }
}
