//! No private key material in any output: a key planted inline in the config, in an environment
//! variable, in payloads and in a log, through every command and every format.

mod common;

const PKCS1: &str = "fixtures/keys/test-1024.pkcs1.pem";

#[test]
fn no_command_or_format_prints_a_private_key() {
    let pem = std::fs::read_to_string(PKCS1).unwrap();
    let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let dir = common::tempdir("secrets");
    let inline = dir.join("inline.toml");
    std::fs::write(
        &inline,
        format!(
            "[merchant]\napp_key = \"MMMabc\"\ndeal_id = \"470193086\"\n[keys]\nlanguage = \"java\"\nprivate_key = \"\"\"\n{pem}\"\"\"\ndeveloper_public_key = \"{}\"\n[callbacks]\npay_notify = \"https://pay.example.com/n\"\nrefund_audit = \"https://pay.example.com/a\"\nrefund_notify = \"https://pay.example.com/r\"\n",
            std::fs::canonicalize("fixtures/keys/platform-test.pub.pem").unwrap().display()
        ),
    )
    .unwrap();
    let envcfg = dir.join("env.toml");
    std::fs::write(&envcfg, "[keys]\nprivate_key = \"env:BDPAY_TEST_SECRET\"\nplatform_public_key = \"env:BDPAY_TEST_SECRET\"\n").unwrap();
    // Payloads that are, or carry, the key.
    let as_payload = dir.join("notify-response.txt");
    std::fs::write(&as_payload, &bare).unwrap();
    let in_order = dir.join("order.json");
    std::fs::write(
        &in_order,
        format!(r#"{{"dealId":"470193086","appKey":"{bare}","totalAmount":"1","tpOrderId":"1","dealTitle":"t","signFieldsRange":"1","rsaSign":"{bare}","bizInfo":"{{}}"}}"#),
    )
    .unwrap();
    let pem_payload = dir.join("pasted.json");
    std::fs::write(&pem_payload, format!("{{\"privateKey\": {pem:?}}}")).unwrap();
    let log = dir.join("callbacks.log");
    std::fs::write(
        &log,
        format!("{bare}\norderId=1&userId=2&totalMoney=1&status=2&rsaSign={bare}\n"),
    )
    .unwrap();

    let p = |x: &std::path::Path| x.to_str().unwrap().to_owned();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for format in ["human", "json", "sarif", "github", "ndjson"] {
        let f = |args: &[&str]| {
            let mut v: Vec<String> = vec!["--format".into(), format.into()];
            v.extend(args.iter().map(|s| (*s).to_owned()));
            v
        };
        runs.push(f(&["check", "--config", &p(&inline), &p(&dir)]));
        runs.push(f(&["check", "--config", &p(&envcfg)]));
        runs.push(f(&["diagnose", &p(&as_payload)]));
        runs.push(f(&["diagnose", "--config", &p(&inline), &p(&in_order)]));
        runs.push(f(&["diagnose", &p(&pem_payload)]));
        runs.push(f(&["diagnose", "--kind", "order", PKCS1]));
        runs.push(f(&["keys", "inspect", PKCS1]));
        runs.push(f(&[
            "keys",
            "match",
            PKCS1,
            "fixtures/keys/test-1024.pub.pem",
        ]));
        runs.push(f(&["keys", "convert", "--to", "spki", PKCS1]));
        runs.push(f(&["sign", "--key", PKCS1, &p(&in_order)]));
        runs.push(f(&["verify", "--key", PKCS1, &p(&in_order)]));
        runs.push(f(&["audit", "--config", &p(&inline), &p(&log)]));
        runs.push(f(&[
            "simulate",
            "notify",
            "--dry-run",
            "--url",
            "https://pay.example.com/n",
            "--platform-key",
            PKCS1,
        ]));
        runs.push(f(&["explain", "key-unreadable"]));
    }
    let secrets = common::secret_runs(PKCS1);
    assert!(secrets.len() > 50);
    for args in runs {
        let o = common::bin()
            .env("BDPAY_TEST_SECRET", &pem)
            .args(&args)
            .output()
            .unwrap();
        assert_ne!(o.status.code(), Some(101), "{args:?} panicked");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        if let Some(s) = secrets.iter().find(|s| text.contains(s.as_str())) {
            panic!("{args:?} printed key material {s:?}:\n{text}");
        }
    }
}
