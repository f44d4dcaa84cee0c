//! Signing and verification against the real vectors and against the openssl binary, and the
//! forensics naming each cause.

use std::process::Command;

use base64::Engine as _;
use bdpay_core::keys;
use bdpay_core::payload::{self, Kind};
use bdpay_core::sign::{self, forensics::Cause, forensics::diagnose};
use bdpay_core::source::SourceFile;

const VECTOR_A: &str = "TN0ZNPyQeTnPjCN5hUa7JwrXOhR8uDASXPazidVQHFSiGCH5aouBkVvJxtf8PeqzGYWAASwS2oOt2eJfunzC5dTFd/pWJeJToMgCSgRY7KtQUCCDnMrtpqiMAf+dLiXps3HpWhVB4CK6MXfHc64ejP5a2fu5bg8B0BTcHrqaGc0=";
const VECTOR_C: &str = "WiHBuQy0CEE36YKiDVmZN3QcszoAjcDBCD3G5w7WMVakk6vXxin+fi+pwlgBAFMS7DVQzNljDAr0MJWV/ZeaMYs0B538bDgJIR87psCmWMxwy15LWesFZCxAqKDlCnr7b5Y4OuopN2jJwMtgG3ehMbM3jRxq6kNfVSmyPoZaUvs=";
const CANON_A: &str = "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626";

fn key(path: &str) -> keys::Key {
    keys::read(&std::fs::read(path).unwrap()).unwrap()
}

fn read(name: &str, text: &str) -> payload::Payload {
    payload::read(&SourceFile::new(name, text), None).unwrap()
}

/// A named message to sign and the cause the forensics must find.
type Case = (&'static str, Vec<u8>, fn(&Cause) -> bool);

/// Every cause named for a payload.
fn causes_of(p: &payload::Payload, k: &keys::Key) -> Vec<Cause> {
    let plan = sign::plan(p).unwrap();
    let fast = bdpay_core::fastrsa::PublicKey::from_rsa(&k.public_key().unwrap()).unwrap();
    diagnose(p, &plan, &fast, &[]).causes().cloned().collect()
}

/// The one cause named for a payload.
fn cause_of(p: &payload::Payload, k: &keys::Key) -> Cause {
    let mut all = causes_of(p, k);
    assert_eq!(all.len(), 1, "one cause expected: {all:?}");
    all.remove(0)
}

#[test]
fn vector_a_and_c_sign_exactly() {
    for path in [
        "fixtures/vectors/docs-sample-2021.pkcs1.pem",
        "fixtures/vectors/docs-sample-2021.pkcs8.pem",
    ] {
        let k = key(path);
        assert_eq!(
            sign::sign(k.private.as_ref().unwrap(), CANON_A.as_bytes()).unwrap(),
            VECTOR_A,
            "{path}"
        );
    }
    let k = key("fixtures/vectors/docs-sample-current.pkcs1.pem");
    assert_eq!(
        sign::sign(k.private.as_ref().unwrap(), CANON_A.as_bytes()).unwrap(),
        VECTOR_C
    );
    // The public key of vector A verifies it, and the pair matches.
    let public = key("fixtures/vectors/docs-sample-2021.pub.pem");
    assert!(public.same_public(&key("fixtures/vectors/docs-sample-2021.pkcs1.pem")));
    let sig = base64::engine::general_purpose::STANDARD
        .decode(VECTOR_A)
        .unwrap();
    assert!(sign::verify(
        &public.public_key().unwrap(),
        CANON_A.as_bytes(),
        &sig
    ));
}

fn notify() -> String {
    std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap()
}

#[test]
fn vector_b_verifies_and_its_broken_variants_get_their_cause() {
    let platform = key("fixtures/vectors/platform-demo.pub.pem");
    assert_eq!(
        cause_of(&read("notify.form", &notify()), &platform),
        Cause::Valid
    );
    // `+` turned into spaces by a second form-decoding.
    let plus = notify().replace("%2B", "+");
    assert_eq!(
        cause_of(&read("notify.form", &plus), &platform),
        Cause::PlusBecameSpace
    );
    // URL-safe base64.
    let p = read("notify.form", &notify());
    let sig = p.text("rsaSign").unwrap().to_owned();
    let urlsafe = sig.replace('+', "-").replace('/', "_").replace('=', "");
    let raw = notify();
    let start = raw.find("rsaSign=").unwrap() + 8;
    let end = start + raw[start..].find('&').unwrap();
    let swapped = format!("{}{}{}", &raw[..start], urlsafe, &raw[end..]);
    assert_eq!(
        cause_of(&read("notify.form", &swapped), &platform),
        Cause::UrlSafe
    );
    // Empty fields dropped on the way to the verifier.
    let dropped = notify()
        .replace("&promoDetail=", "")
        .replace("&returnData=", "");
    assert_eq!(
        cause_of(&read("notify.form", &dropped), &platform),
        Cause::EmptyDropped {
            dropped: vec!["promoDetail".into(), "returnData".into()],
            before_verify: true
        }
    );
    // Any other key: the padding is invalid.
    let other = key("fixtures/keys/platform-test.pub.pem");
    assert_eq!(
        cause_of(&read("notify.form", &notify()), &other),
        Cause::WrongKey { verified_by: None }
    );
}

/// Signs `message` with the test key and puts it into an orderInfo or form.
fn signed(k: &keys::Key, message: &[u8]) -> String {
    sign::sign(k.private.as_ref().unwrap(), message).unwrap()
}

fn order(sig: &str) -> String {
    format!(
        r#"{{"dealId":"470193086","appKey":"MMMabc","totalAmount":"11300","tpOrderId":"3028903626","dealTitle":"百度小程序Demo","signFieldsRange":"1","rsaSign":"{sig}","bizInfo":"{{}}"}}"#
    )
}

#[test]
fn forensics_names_merchant_mistakes() {
    let k = key("fixtures/keys/test-1024.pkcs1.pem");
    let cases: Vec<Case> = vec![
        (CANON_A, CANON_A.as_bytes().to_vec(), |c| *c == Cause::Valid),
        ("legacy", b"appKey=MMMabc&dealId=470193086&tpOrderId=3028903626".to_vec(), |c| {
            matches!(c, Cause::FieldsWrong { how, .. } if how.en.contains("legacy"))
        }),
        ("dealTitle", "appKey=MMMabc&dealId=470193086&dealTitle=百度小程序Demo&totalAmount=11300&tpOrderId=3028903626".as_bytes().to_vec(), |c| {
            matches!(c, Cause::FieldsWrong { how, .. } if how.en.contains("dealTitle"))
        }),
        ("unsorted", b"dealId=470193086&appKey=MMMabc&totalAmount=11300&tpOrderId=3028903626".to_vec(), |c| {
            matches!(c, Cause::Unsorted { .. })
        }),
        ("yuan", b"appKey=MMMabc&dealId=470193086&totalAmount=113.00&tpOrderId=3028903626".to_vec(), |c| {
            matches!(c, Cause::ValuesAltered { how, .. } if how.en.contains("yuan"))
        }),
        ("go demo", b"appKey=MMMabc&dealID=470193086&totalAmount=11300&tpOrderId=3028903626".to_vec(), |c| {
            matches!(c, Cause::FieldsWrong { how, .. } if how.en.contains("dealID"))
        }),
        ("unknown", b"something else entirely".to_vec(), |c| *c == Cause::Unknown),
    ];
    for (name, message, ok) in cases {
        let p = read("order.json", &order(&signed(&k, &message)));
        let c = cause_of(&p, &k);
        assert!(ok(&c), "{name}: {c:?}");
    }
    // SHA-256 ("RSA2") over the right string.
    let sha256 = k
        .private
        .as_ref()
        .unwrap()
        .pkcs1v15_sign::<rsa::sha2::Sha256>(CANON_A.as_bytes())
        .unwrap();
    let p = read(
        "order.json",
        &order(&base64::engine::general_purpose::STANDARD.encode(sha256)),
    );
    assert_eq!(
        cause_of(&p, &k),
        Cause::HashNotSha1 {
            hash: "SHA-256",
            string_ok: true
        }
    );
}

#[test]
fn forensics_names_request_encoding_mistakes() {
    let k = key("fixtures/keys/test-1024.pkcs1.pem");
    let fields = [
        ("appKey", "MMMabc"),
        ("applyRefundMoney", "100"),
        ("bizRefundBatchId", ""),
        ("method", "nuomi.cashier.applyorderrefund"),
        ("orderId", "2645985458"),
        ("refundReason", "用户 申请退款"),
        ("refundType", "1"),
        ("tpOrderId", "3028903626"),
        ("userId", "3269234686470"),
    ];
    let canon = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let body = |sig: &str| {
        let mut s = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", sign::forensics::form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        s.push_str("&rsaSign=");
        s.push_str(&sign::forensics::form_encode(sig));
        s
    };
    let enc = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", sign::forensics::form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let dropped = fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let gbk = encoding_rs::GBK.encode(&canon).0.into_owned();
    let cases: Vec<Case> = vec![
        ("valid", canon.clone().into_bytes(), |c| *c == Cause::Valid),
        ("urlencoded", enc.into_bytes(), |c| {
            matches!(c, Cause::UrlEncoded { .. })
        }),
        ("dropped", dropped.into_bytes(), |c| {
            matches!(
                c,
                Cause::EmptyDropped {
                    before_verify: false,
                    ..
                }
            )
        }),
        (
            "gbk",
            gbk,
            |c| matches!(c, Cause::ValuesAltered { how, .. } if how.en.contains("GBK")),
        ),
    ];
    for (name, message, ok) in cases {
        let p = read("refund-apply.form", &body(&signed(&k, &message)));
        assert_eq!(p.kind, Kind::RefundApply);
        let c = cause_of(&p, &k);
        assert!(ok(&c), "{name}: {c:?}");
    }
}

#[test]
fn malformed_signatures_say_what_they_look_like() {
    let k = key("fixtures/keys/test-1024.pkcs1.pem");
    let good = signed(&k, CANON_A.as_bytes());
    let truncated = &good[..100];
    match cause_of(&read("order.json", &order(truncated)), &k) {
        Cause::Malformed { looks_like, .. } => {
            assert!(looks_like.en.contains("truncated"), "{looks_like:?}");
        }
        c => panic!("{c:?}"),
    }
    let hex: String = base64::engine::general_purpose::STANDARD
        .decode(&good)
        .unwrap()
        .iter()
        .fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
    match cause_of(&read("order.json", &order(&hex)), &k) {
        Cause::Malformed {
            looks_like,
            verifies,
        } => {
            assert!(looks_like.en.contains("hex"), "{looks_like:?}");
            assert!(verifies);
        }
        c => panic!("{c:?}"),
    }
    assert_eq!(
        cause_of(&read("order.json", &order("")), &k),
        Cause::Missing {
            under: None,
            empty: true
        }
    );
}

// ---- OpenSSL cross-check -------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

fn random_value(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        "9",
        " ",
        "+",
        "/",
        "=",
        "&",
        "%",
        "中",
        "文",
        "退款",
        "百度",
        "😀",
        "\"",
        "{",
        "}",
        r#"{"tpData":{"a":"b"}}"#,
        "[1,2]",
        "\\",
        "'",
        ":",
        ",",
        "\t",
    ];
    let n = rng.next() % 12;
    (0..n).map(|_| *rng.pick(PIECES)).collect()
}

fn openssl() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
#[allow(clippy::disallowed_macros, clippy::print_stderr)]
fn signatures_equal_openssl_for_every_key_form_and_random_parameters() {
    // The reference is not optional: the README's set-up and .ci/run install it.
    assert!(
        openssl(),
        "the openssl binary is not installed: `apt-get install openssl` (the README's set-up)"
    );
    // A fresh seed each run, printed; BDPAY_XCHECK_SEED=N runs a failing case again.
    let seed = std::env::var("BDPAY_XCHECK_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        | 1;
    eprintln!("cross-check seed {seed} (BDPAY_XCHECK_SEED={seed} repeats it)");
    let mut rng = Rng(seed);
    let dir = std::env::temp_dir().join(format!("bdpay-xcheck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for bits in [1024, 2048] {
        let pkcs8 = dir.join(format!("k{bits}.pem"));
        let run = |args: &[&str]| {
            let o = Command::new("openssl").args(args).output().unwrap();
            assert!(
                o.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            o.stdout
        };
        run(&["genrsa", "-out", pkcs8.to_str().unwrap(), &bits.to_string()]);
        let pkcs1 = run(&["rsa", "-in", pkcs8.to_str().unwrap(), "-traditional"]);
        let der = run(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            pkcs8.to_str().unwrap(),
            "-outform",
            "DER",
        ]);
        let pem8 = std::fs::read(&pkcs8).unwrap();
        let bare: String = String::from_utf8(pem8.clone())
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let forms: Vec<(&str, Vec<u8>)> = vec![
            ("pkcs8 pem", pem8),
            ("pkcs1 pem", pkcs1),
            ("der", der),
            ("bare", bare.into_bytes()),
        ];
        for _ in 0..4 {
            let mut fields: Vec<(String, String)> = (0..(2 + rng.next() % 8))
                .map(|i| (format!("k{i}{}", rng.next() % 100), random_value(&mut rng)))
                .collect();
            fields.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let canonical = sign::join(&fields);
            let msg = dir.join("msg");
            std::fs::write(&msg, canonical.as_bytes()).unwrap();
            let reference = base64::engine::general_purpose::STANDARD.encode(run(&[
                "dgst",
                "-sha1",
                "-sign",
                pkcs8.to_str().unwrap(),
                msg.to_str().unwrap(),
            ]));
            for (form, bytes) in &forms {
                let k = keys::read(bytes).unwrap_or_else(|e| panic!("{form}: {e}"));
                let ours = sign::sign(k.private.as_ref().unwrap(), canonical.as_bytes()).unwrap();
                assert_eq!(
                    ours, reference,
                    "{bits}-bit {form}, seed {seed}, string {canonical:?}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn signing_a_method_the_request_does_not_send_is_named() {
    // The newer refund host takes no `method`; code written for the old one still signs it.
    let k = key("fixtures/keys/test-1024.pkcs1.pem");
    let fields = "appKey=MMMabc&orderId=1&refundReason=r&refundType=1&tpOrderId=2&userId=3";
    let with_method = "appKey=MMMabc&method=nuomi.cashier.applyorderrefund&orderId=1&refundReason=r&refundType=1&tpOrderId=2&userId=3";
    let sig = signed(&k, with_method.as_bytes());
    let body = format!("{fields}&rsaSign={}", sign::forensics::form_encode(&sig));
    let c = cause_of(&read("refund-apply.form", &body), &k);
    assert!(
        matches!(&c, Cause::FieldsWrong { how, .. } if how.en.contains("method")),
        "{c:?}"
    );
}
