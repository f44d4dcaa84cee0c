//! Key reading in every form merchants paste, and the key and signature commands end to end.

mod common;

use bdpay_core::keys::{self, Armor, Damage, KeyForm, Structure};
use common::{bin, output, tempdir};

const PKCS1: &str = "fixtures/keys/test-1024.pkcs1.pem";
const PUB: &str = "fixtures/keys/test-1024.pub.pem";

fn key() -> keys::Key {
    keys::read(&std::fs::read(PKCS1).unwrap()).unwrap()
}

fn body(pem: &[u8]) -> String {
    String::from_utf8(pem.to_vec())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

#[test]
fn every_form_is_identified_by_its_der() {
    let k = key();
    let public = k.public_only().unwrap();
    let pkcs8 = keys::convert(&k, KeyForm::Pkcs8).unwrap();
    let pkcs1 = keys::convert(&k, KeyForm::Pkcs1).unwrap();
    let spki = keys::convert(&public, KeyForm::Spki).unwrap();
    let pub1 = keys::convert(&public, KeyForm::Pkcs1).unwrap();
    let cases: Vec<(&str, Vec<u8>, Structure, Armor)> = vec![
        (
            "pkcs1 pem",
            pkcs1.clone(),
            Structure::Pkcs1Private,
            Armor::Pem("RSA PRIVATE KEY".into()),
        ),
        (
            "pkcs8 pem",
            pkcs8.clone(),
            Structure::Pkcs8Private,
            Armor::Pem("PRIVATE KEY".into()),
        ),
        (
            "spki pem",
            spki.clone(),
            Structure::Spki,
            Armor::Pem("PUBLIC KEY".into()),
        ),
        (
            "pkcs1 public pem",
            pub1.clone(),
            Structure::Pkcs1Public,
            Armor::Pem("RSA PUBLIC KEY".into()),
        ),
        (
            "pkcs8 der",
            keys::convert(&k, KeyForm::Der).unwrap(),
            Structure::Pkcs8Private,
            Armor::Der,
        ),
        (
            "spki der",
            keys::convert(&public, KeyForm::Der).unwrap(),
            Structure::Spki,
            Armor::Der,
        ),
        (
            "bare pkcs8 (java)",
            keys::convert(&k, KeyForm::Java).unwrap(),
            Structure::Pkcs8Private,
            Armor::Bare,
        ),
        (
            "bare pkcs1",
            body(&pkcs1).into_bytes(),
            Structure::Pkcs1Private,
            Armor::Bare,
        ),
        (
            "bare spki (console)",
            body(&spki).into_bytes(),
            Structure::Spki,
            Armor::Bare,
        ),
        (
            "bare pkcs1 public",
            body(&pub1).into_bytes(),
            Structure::Pkcs1Public,
            Armor::Bare,
        ),
    ];
    for (name, bytes, structure, armor) in cases {
        let got = keys::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.structure, structure, "{name}");
        assert_eq!(got.armor, armor, "{name}");
        assert_eq!(got.bits, 1024, "{name}");
        assert!(
            got.damage.is_empty() && !got.label_mismatch,
            "{name}: {got:?}"
        );
        assert!(got.same_public(&k), "{name}");
    }
    // An encrypted key and a certificate are recognised, not reported as garbage.
    let enc = keys::read(
        &std::fs::read("fixtures/rules/KEY004-key-encrypted/bad/rsa_private_key.pem").unwrap(),
    )
    .unwrap();
    assert_eq!(enc.structure, Structure::EncryptedPkcs8);
    assert!(enc.private.is_none());
    let cert = keys::read(
        &std::fs::read("fixtures/rules/KEY005-key-wrong-kind/bad/platform_cert.pem").unwrap(),
    )
    .unwrap();
    assert_eq!(cert.structure, Structure::Certificate);
    assert_eq!(cert.bits, 1024);
}

#[test]
fn transport_damage_is_repaired_and_named() {
    let pem = std::fs::read_to_string(PKCS1).unwrap();
    let one_line_body = body(pem.as_bytes());
    let cases: Vec<(&str, String, Vec<Damage>)> = vec![
        (
            "literal \\n in quotes",
            format!("\"{}\"", pem.trim_end().replace('\n', "\\n")),
            vec![Damage::Quotes, Damage::EscapedNewlines],
        ),
        (
            "one-line PEM",
            format!("-----BEGIN RSA PRIVATE KEY-----{one_line_body}-----END RSA PRIVATE KEY-----"),
            vec![Damage::LineLength],
        ),
        (
            "spaces for line breaks",
            pem.trim_end().replace('\n', " "),
            vec![Damage::LineLength, Damage::Spaces],
        ),
        (
            "crlf bare",
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<Vec<_>>()
                .join("\r\n"),
            vec![Damage::Crlf],
        ),
    ];
    for (name, text, damage) in cases {
        let k = keys::read(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(k.structure, Structure::Pkcs1Private, "{name}");
        for d in &damage {
            assert!(k.damage.contains(d), "{name}: {:?}", k.damage);
        }
        assert!(k.private.is_some(), "{name}");
    }
}

#[test]
fn header_mismatch_and_unreadable_keys_say_what_and_where() {
    let pem = std::fs::read_to_string(PKCS1).unwrap();
    let swapped = pem.replace("RSA PRIVATE KEY", "PRIVATE KEY");
    let k = keys::read(swapped.as_bytes()).unwrap();
    assert!(k.label_mismatch);
    assert_eq!(k.structure, Structure::Pkcs1Private);
    let truncated: String = pem.lines().take(8).collect::<Vec<_>>().join("\n");
    let e = keys::read(truncated.as_bytes()).unwrap_err();
    assert!(e.stopped.en.contains("END"), "{e}");
    let cut = &body(pem.as_bytes())[..300];
    let e = keys::read(cut.as_bytes()).unwrap_err();
    assert!(e.stopped.en.contains("truncated"), "{e}");
    let e = keys::read(b"ssh-rsa AAAAB3NzaC1yc2E user@host").unwrap_err();
    assert!(e.looks_like.en.contains("OpenSSH"), "{e}");
    let e = keys::read(b"MIICXAIBAAKBgQ#DCArBtZgUPX5uaslYSZcs609veerchrFwQkC1ZSIdBmG3iiFuc")
        .unwrap_err();
    assert!(e.stopped.en.contains("'#' at character 15"), "{e}");
}

#[test]
fn inspect_match_convert_never_leak_the_private_key() {
    let secrets = common::secret_runs(PKCS1);
    assert!(secrets.len() > 8);
    let (code, out, err) = output(bin().args(["keys", "inspect", PKCS1]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("PKCS#1 RSA private key") && out.contains("1024 bits"),
        "{out}"
    );
    assert!(out.contains("✗ java"), "{out}");
    let (_, json, _) = output(bin().args(["keys", "inspect", "--format", "json", PKCS1]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["bits"], 1024);
    assert_eq!(v["languages"][2]["language"], "go");
    assert_eq!(v["languages"][2]["loads"], true);
    assert_eq!(output(bin().args(["keys", "match", PKCS1, PUB])).0, 0);
    assert_eq!(
        output(bin().args([
            "keys",
            "match",
            PKCS1,
            "fixtures/keys/platform-test.pub.pem"
        ]))
        .0,
        1
    );
    // A private key is only written where asked.
    let (code, out, err) = output(bin().args(["keys", "convert", "--to", "java", PKCS1]));
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("--out"));
    let dir = tempdir("convert");
    let java = dir.join("java.key");
    assert_eq!(
        output(
            bin()
                .args(["keys", "convert", "--to", "java", PKCS1, "--out"])
                .arg(&java)
        )
        .0,
        0
    );
    let k = keys::read(&std::fs::read(&java).unwrap()).unwrap();
    assert_eq!(
        (k.structure, k.armor.clone()),
        (Structure::Pkcs8Private, Armor::Bare)
    );
    assert!(k.same_public(&key()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&java).unwrap().permissions().mode() & 0o077,
            0
        );
    }
    let (_, spki, _) = output(bin().args(["keys", "convert", "--to", "spki", PKCS1]));
    assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----"));
    for c in [
        vec!["keys", "inspect", PKCS1],
        vec!["keys", "inspect", "--format", "json", PKCS1],
        vec!["keys", "match", PKCS1, PUB],
        vec!["keys", "convert", "--to", "spki", PKCS1],
    ] {
        let (_, out, err) = output(bin().args(&c));
        for s in &secrets {
            assert!(
                !out.contains(s) && !err.contains(s),
                "{c:?} printed key material"
            );
        }
    }
}

#[test]
fn gen_writes_the_forms_the_language_loads() {
    let dir = tempdir("gen");
    assert_eq!(
        output(
            bin()
                .args(["keys", "gen", "--language", "java", "--out"])
                .arg(&dir)
        )
        .0,
        0
    );
    let private = keys::read(&std::fs::read(dir.join("rsa_private_key.txt")).unwrap()).unwrap();
    let public = keys::read(&std::fs::read(dir.join("rsa_public_key.txt")).unwrap()).unwrap();
    assert_eq!(
        (private.structure, private.armor.clone()),
        (Structure::Pkcs8Private, Armor::Bare)
    );
    assert_eq!(
        (public.structure, public.armor.clone()),
        (Structure::Spki, Armor::Bare)
    );
    assert!(private.same_public(&public));
    assert_eq!(private.bits, 1024);
    let go = tempdir("gen-go");
    assert_eq!(
        output(
            bin()
                .args(["keys", "gen", "--language", "go", "--out"])
                .arg(&go)
        )
        .0,
        0
    );
    let p = keys::read(&std::fs::read(go.join("rsa_private_key.pem")).unwrap()).unwrap();
    assert_eq!(p.structure, Structure::Pkcs1Private);
    assert_eq!(output(bin().args(["keys", "gen"])).0, 2);
}

#[test]
fn sign_then_verify_round_trips_and_verify_names_the_cause() {
    let dir = tempdir("sign");
    let order = dir.join("order.json");
    std::fs::write(
        &order,
        r#"{"dealId":"470193086","appKey":"MMMabc","totalAmount":"11300","tpOrderId":"3028903626","dealTitle":"t","signFieldsRange":"1","bizInfo":"{}"}"#,
    )
    .unwrap();
    let (code, out, _) = output(
        bin()
            .args(["sign", "--format", "json", "--key", PKCS1])
            .arg(&order),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["canonical"],
        "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626"
    );
    let signed = dir.join("order-signed.json");
    std::fs::write(&signed, v["payload"].as_str().unwrap()).unwrap();
    let (code, out, _) = output(bin().args(["verify", "--key", PUB]).arg(&signed));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ rsaSign verifies"));
    // The same signature checked with another key: exit 1 and the cause.
    let (code, out, _) = output(
        bin()
            .args(["verify", "--key", "fixtures/keys/platform-test.pub.pem"])
            .arg(&signed),
    );
    assert_eq!(code, 1);
    assert!(out.contains("SIG005 sign-wrong-key"), "{out}");
    // k=v pairs.
    let (code, out, _) = output(bin().args([
        "sign",
        "--kind",
        "order",
        "--key",
        PKCS1,
        "appKey=MMMabc",
        "dealId=1",
        "tpOrderId=2",
    ]));
    assert_eq!(code, 0);
    assert!(
        out.contains("canonical  appKey=MMMabc&dealId=1&tpOrderId=2"),
        "{out}"
    );
}

#[test]
fn diagnose_their_string_names_each_difference() {
    let notify = std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap();
    let theirs = "count=1&dealId=2500207776&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=2645985458&partnerId=0&payMoney=1&payTime=1542124311&payType=1117&promoMoney=0&status=2&totalMoney=1&tpOrderId=18607895241&unitPrice=1&userId=3269234686470";
    let (_, out, _) = output(
        bin()
            .args([
                "diagnose",
                "--kind",
                "notify",
                "--their-string",
                theirs,
                "-",
            ])
            .write_stdin(notify),
    );
    assert!(
        out.contains("empty values dropped (they must stay in): promoDetail, returnData"),
        "{out}"
    );
    let http = "POST /notify?shop=12 HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nrefundStatus=1&orderId=2&userId=3&tpOrderId=4&refundBatchId=5&rsaSign=x";
    let (_, out, _) = output(
        bin()
            .args([
                "diagnose",
                "--their-string",
                "orderId=2&refundBatchId=5&refundStatus=1&shop=12&tpOrderId=4&userId=3",
                "-",
            ])
            .write_stdin(http),
    );
    assert!(
        out.contains("query parameters of the URL included (they are never signed): shop"),
        "{out}"
    );
}

/// A value holding `&name=` (returnData is free text the merchant passed through) stays one
/// value: the strings are split at the payload's own field names, so no phantom field appears.
#[test]
fn diagnose_their_string_keeps_ampersands_inside_values() {
    let notify = std::fs::read_to_string("fixtures/vectors/notify-demo.form")
        .unwrap()
        .replace("returnData=&", "returnData=a%3D1%26b%3D2&");
    let canonical = "count=1&dealId=2500207776&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=2645985458&partnerId=0&payMoney=1&payTime=1542124311&payType=1117&promoDetail=&promoMoney=0&returnData=a=1&b=2&status=2&totalMoney=1&tpOrderId=18607895241&unitPrice=1&userId=3269234686470";
    let run = |theirs: &str| {
        output(
            bin()
                .args([
                    "diagnose",
                    "--kind",
                    "notify",
                    "--their-string",
                    theirs,
                    "-",
                ])
                .write_stdin(notify.clone()),
        )
        .1
    };
    let out = run(canonical);
    assert!(out.contains("your string is the canonical string"), "{out}");
    let out = run(&canonical.replace("returnData=a=1&b=2", "returnData=a%3D1%26b%3D2"));
    assert!(
        out.contains(
            r#"returnData is URL-encoded ("a%3D1%26b%3D2"); sign the raw value "a=1&b=2""#
        ),
        "{out}"
    );
    assert!(!out.contains("missing") && !out.contains("extra"), "{out}");
}

/// The differences are findings of their rules in the one report: a single JSON document,
/// counted in the exit code, each pointing into the merchant's string.
#[test]
fn their_string_differences_are_findings() {
    let notify = std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap();
    let theirs = "count=1&dealId=2500207776&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=2645985458&partnerId=0&payMoney=1&payTime=1542124311&payType=1117&promoDetail=&promoMoney=0&returnData=&status=2&totalMoney=1.00&tpOrderId=18607895241&unitPrice=1&userId=3269234686470";
    let run = |extra: &[&str]| {
        output(
            bin()
                .args(["--format", "json", "diagnose", "--kind", "notify"])
                .args(extra)
                .args(["--their-string", theirs, "-"])
                .write_stdin(notify.clone()),
        )
    };
    let (code, out, _) = run(&[]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let found: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("SIG011", "<their string>")], "{out}");
    // Allowed, the rule reports nothing and the run passes.
    let (code, out, _) = run(&["-A", "SIG011"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0, "{out}");
}

#[test]
fn check_and_diagnose_verify_with_key_flag() {
    let (code, out, _) = output(bin().args([
        "diagnose",
        "--key",
        "fixtures/vectors/platform-demo.pub.pem",
        "fixtures/vectors/notify-demo.form",
    ]));
    assert_eq!(code, 0, "{out}");
    let plus = std::fs::read_to_string("fixtures/vectors/notify-demo.form")
        .unwrap()
        .replace("%2B", "+");
    let (code, out, _) = output(
        bin()
            .args([
                "diagnose",
                "--key",
                "fixtures/vectors/platform-demo.pub.pem",
                "-",
            ])
            .write_stdin(plus),
    );
    assert_eq!(code, 1);
    assert!(out.contains("sign-plus-became-space"), "{out}");
    let (code, _, err) = output(bin().args([
        "diagnose",
        "--key",
        "Cargo.toml",
        "fixtures/vectors/notify-demo.form",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("not a usable key"), "{err}");
}

#[test]
fn keys_of_8192_bits_sign_and_verify_as_openssl_does() {
    const BIG: &str = "fixtures/keys/test-8192.pkcs8.pem";
    const BIG_PUB: &str = "fixtures/keys/test-8192.pub.pem";
    let dir = tempdir("k8192");
    let (code, out, _) = output(bin().args(["keys", "inspect", BIG]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("8192 bits"), "{out}");
    let (code, out, _) = output(bin().args(["keys", "match", BIG, BIG_PUB]));
    assert_eq!(code, 0, "{out}");
    let order = dir.join("order.json");
    std::fs::write(
        &order,
        r#"{"dealId":"470193086","appKey":"MMMabc","totalAmount":"11300","tpOrderId":"3028903626","signFieldsRange":"1"}"#,
    )
    .unwrap();
    let (code, out, _) = output(
        bin()
            .args(["sign", "--format", "json", "--key", BIG])
            .arg(&order),
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sig = v["signature"].as_str().unwrap();
    // 1024 bytes of signature, 1368 base64 characters.
    assert_eq!(sig.len(), 1368, "{sig}");
    // The openssl binary, when installed (CI installs it), signs the same string identically.
    let msg = dir.join("canonical");
    std::fs::write(&msg, v["canonical"].as_str().unwrap()).unwrap();
    if let Ok(o) = std::process::Command::new("openssl")
        .args(["dgst", "-sha1", "-sign", BIG])
        .arg(&msg)
        .output()
        && o.status.success()
    {
        use base64::Engine as _;
        let expected = base64::engine::general_purpose::STANDARD.encode(o.stdout);
        assert_eq!(sig, expected, "differs from openssl dgst -sha1 -sign");
    }
    let signed = dir.join("signed.json");
    std::fs::write(&signed, v["payload"].as_str().unwrap()).unwrap();
    let (code, out, _) = output(bin().args(["verify", "--key", BIG_PUB]).arg(&signed));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ rsaSign verifies"), "{out}");
    // The 1024-bit key does not verify it, and says so.
    let (code, out, _) = output(bin().args(["verify", "--key", PUB]).arg(&signed));
    assert_eq!(code, 1, "{out}");
}

/// A real platform-signed notify whose amount was changed after signing is tampering, said on
/// the security side, never a unit mistake of the platform's.
#[test]
fn platform_signed_body_changed_after_signing_is_not_a_yuan_mistake() {
    let notify = std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap();
    assert!(notify.contains("&totalMoney=1&"));
    for (lang, said) in [
        ("en", "this body was changed after the platform signed it"),
        ("zh", "此报文在平台签名之后被改动过"),
    ] {
        let (code, out, _) = output(
            bin()
                .args([
                    "--lang",
                    lang,
                    "diagnose",
                    "--key",
                    "fixtures/vectors/platform-demo.pub.pem",
                    "-",
                ])
                .write_stdin(notify.replace("&totalMoney=1&", "&totalMoney=100&")),
        );
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("SIG011") && out.contains(said), "{out}");
        assert!(
            out.contains("totalMoney=1") && !out.contains("yuan") && !out.contains("按元"),
            "{out}"
        );
    }
}

/// Every signature cause says how it was established: a proof when a digest or a verification
/// matches, the signature's text alone when no key was given.
#[test]
fn signature_causes_say_how_they_were_established() {
    let notify = std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap();
    let damaged = notify.replace("rsaSign=oOFl", "rsaSign=%25oOFl");
    let (_, out, _) = output(bin().args(["diagnose", "-"]).write_stdin(damaged));
    assert!(
        out.contains("SIG002") && out.contains("how we know: from the signature's text alone"),
        "{out}"
    );
    let tampered = notify.replace("&totalMoney=1&", "&totalMoney=100&");
    let (_, out, _) = output(
        bin()
            .args([
                "--lang",
                "zh",
                "diagnose",
                "--key",
                "fixtures/vectors/platform-demo.pub.pem",
                "-",
            ])
            .write_stdin(tampered),
    );
    assert!(
        out.contains("依据：上面所示签名串的 SHA-1 与签名中的摘要一致（确证）"),
        "{out}"
    );
}
