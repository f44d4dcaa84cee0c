//! `scan` end to end: the walk (.gitignore, vendor, hidden, minified), GBK sources, inline
//! suppression with and without a reason, answers written as JSON strings going through the
//! answer rules with spans in the code file, `check --scan`, `--dump`, formats and exit codes,
//! and key material in a scanned file never printed.

mod common;

use common::{bin, output, tempdir};

fn write(dir: &std::path::Path, name: &str, text: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SHA256_PHP: &str = "<?php\n// Baidu cashier\nfunction sign($d, $k) {\n    openssl_sign($d, $s, $k, OPENSSL_ALGO_SHA256);\n}\n";

#[test]
fn the_walk_skips_what_is_not_the_merchants_code() {
    let d = tempdir("scan-walk");
    write(&d, "src/Pay.php", SHA256_PHP.as_bytes());
    write(&d, "vendor/lib/Pay.php", SHA256_PHP.as_bytes());
    write(
        &d,
        "node_modules/x/pay.js",
        b"crypto.createSign('RSA-SHA256');\n",
    );
    write(&d, ".hidden/Pay.php", SHA256_PHP.as_bytes());
    write(&d, "ignored/Pay.php", SHA256_PHP.as_bytes());
    write(
        &d,
        "static/app.min.js",
        b"crypto.createSign('RSA-SHA256');\n",
    );
    write(&d, ".gitignore", b"ignored/\n");
    let (code, out, err) = output(bin().args(["scan", "--format", "json"]).arg(&*d));
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("src/Pay.php"), "{files:?}");
}

#[test]
fn only_files_about_this_cashier_are_scanned() {
    let d = tempdir("scan-scope");
    // The same SHA-256 call is right in Alipay's code and in code about nothing of this cashier.
    write(&d, "src/Pay.php", SHA256_PHP.as_bytes());
    write(&d, "src/alipay/AlipayService.php", SHA256_PHP.as_bytes());
    write(
        &d,
        "src/Digest.php",
        b"<?php\nfunction signFile($d, $k) { openssl_sign($d, $s, $k, OPENSSL_ALGO_SHA256); }\n",
    );
    // Baidu named only in a list beside other providers: a shop's terminals, not Baidu code.
    write(
        &d,
        "src/PayEase.php",
        b"<?php\n$terminals = ['pc', 'h5', 'alipay', 'weixin', 'baidu'];\nfunction hmacSign($d, $k) { openssl_sign($d, $s, $k, OPENSSL_ALGO_SHA256); }\n",
    );
    // Named alone, it is enough.
    write(
        &d,
        "src/BaiduSign.php",
        b"<?php\nnamespace Shop\\Baidu;\nfunction sign($d, $k) { openssl_sign($d, $s, $k, OPENSSL_ALGO_SHA256); }\n",
    );
    let (code, out, err) = output(bin().args(["scan"]).arg(&*d));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.matches("SRC002").count(), 2, "{out}");
    assert!(out.contains("src/Pay.php"), "{out}");
    assert!(out.contains("src/BaiduSign.php"), "{out}");
    assert!(err.contains("3 source file(s) not scanned"), "{err}");
}

#[test]
fn gbk_sources_are_decoded_and_bad_bytes_are_an_error_not_a_pass() {
    let d = tempdir("scan-gbk");
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "<?php\n// 百度收银台签名\nfunction sign($d, $k) { openssl_sign($d, $s, $k, 'sha256'); }\n",
    );
    write(&d, "Gbk.php", &gbk);
    let (code, out, _) = output(bin().args(["scan"]).arg(&*d));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("SRC002"), "{out}");
    write(&d, "Broken.php", &[0xff, 0xfe, 0x00, 0x81, 0x30]);
    let (code, out, err) = output(bin().args(["scan"]).arg(&*d));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("neither UTF-8 nor GBK"),
        "{out}{err}"
    );
}

#[test]
fn a_suppression_needs_a_reason() {
    let d = tempdir("scan-ignore");
    write(
        &d,
        "a/Pay.php",
        b"<?php\n// tpOrderId\nfunction sign($d, $k) {\n    // bdpay-doctor: ignore[SRC002] a reason given\n    openssl_sign($d, $s, $k, OPENSSL_ALGO_SHA256);\n}\n",
    );
    let (code, out, err) = output(bin().args(["scan"]).arg(d.join("a")));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("1 finding(s) suppressed"), "{err}");
    write(
        &d,
        "b/Pay.php",
        b"<?php\n// tpOrderId\nfunction sign($d, $k) {\n    openssl_sign($d, $s, $k, OPENSSL_ALGO_SHA256); # bdpay-doctor: ignore[SRC002]\n}\n",
    );
    let (code, out, _) = output(bin().args(["scan"]).arg(d.join("b")));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("needs a reason"), "{out}");
}

#[test]
fn answers_written_as_json_strings_go_through_the_answer_rules() {
    let d = tempdir("scan-answer");
    write(
        &d,
        "Notify.php",
        b"<?php\nfunction baidu_notify() {\n    echo '{\"errno\":0,\"msg\":\"success\",\"data\":{\"isConsumed\":1}}';\n}\n",
    );
    let (code, out, _) = output(bin().args(["scan", "--format", "json"]).arg(&*d));
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rsp = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "RSP007")
        .unwrap_or_else(|| panic!("{out}"));
    // The span is in the code file: line 3, on the `1`.
    assert_eq!(rsp["line"], 3, "{rsp}");
    assert!(rsp["file"].as_str().unwrap().ends_with("Notify.php"));
    let (_, human, _) = output(bin().args(["scan"]).arg(&*d));
    assert!(
        human.contains("echo '{\"errno\":0"),
        "the snippet is the code: {human}"
    );
}

#[test]
fn check_scan_adds_the_code_findings_to_a_ci_run() {
    let d = tempdir("scan-check");
    write(&d, "src/Pay.php", SHA256_PHP.as_bytes());
    // No config and no payloads: the scan alone is the run.
    let (code, out, err) = output(
        bin()
            .current_dir(&*d)
            .args(["check", "--format", "json", "--scan"]),
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("\"SRC002\""), "{out}");
    // Selection and severities apply as to every rule.
    let (code, out, err) = output(
        bin()
            .current_dir(&*d)
            .args(["check", "-A", "SRC", "--scan"]),
    );
    assert!(!out.contains("SRC002"), "{out}");
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = output(
        bin()
            .current_dir(&*d)
            .args(["check", "-W", "SRC002", "--scan"]),
    );
    assert!(out.contains("SRC002"), "{out}");
    assert_eq!(code, 0, "a warning does not fail the run: {out}");
}

#[test]
fn dump_prints_the_tree_and_refuses_other_files() {
    let d = tempdir("scan-dump");
    write(&d, "a.go", b"package a\nfunc Sign() {}\n");
    let (code, out, _) = output(bin().args(["scan", "--dump"]).arg(d.join("a.go")));
    assert_eq!(code, 0);
    assert!(out.contains("function_declaration [2:1-2:15]"), "{out}");
    assert!(
        out.contains("name: identifier [2:6-2:10] \"Sign\""),
        "{out}"
    );
    write(&d, "a.rb", b"def sign; end\n");
    let (code, _, err) = output(bin().args(["scan", "--dump"]).arg(d.join("a.rb")));
    assert_eq!(code, 2);
    assert!(err.contains("not a language the scanner reads"), "{err}");
}

#[test]
fn key_material_in_a_scanned_file_is_never_printed() {
    let key = std::fs::read_to_string("fixtures/keys/test-1024.pkcs1.pem").unwrap();
    let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let d = tempdir("scan-secret");
    let php = format!(
        "<?php\n// Baidu cashier\nfunction sign($p) {{\n    $key = \"-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\";\n    $s = http_build_query($p);\n    openssl_sign($s, $sig, $key, OPENSSL_ALGO_SHA256);\n}}\n"
    );
    write(&d, "Sign.php", php.as_bytes());
    let secret = &body[20..60];
    for format in [
        "human", "json", "sarif", "github", "ndjson", "junit", "gitlab",
    ] {
        let (code, out, err) = output(bin().args(["scan", "--format", format]).arg(&*d));
        assert_eq!(code, 1, "{format}: {out}{err}");
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "{format} printed the key"
        );
    }
}

/// A PEM file's body on one line.
fn body(path: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

/// A PEM file as the text of a PHP, Java or Go string with `\n` escapes.
fn escaped(path: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .trim_end()
        .replace('\n', "\\n")
}

#[test]
fn keys_written_in_code_go_through_the_key_rules() {
    let pkcs1 = body("fixtures/keys/test-1024.pkcs1.pem");
    let pkcs8 = body("fixtures/keys/platform-test.pkcs8.pem");
    let spki = std::fs::read_to_string("fixtures/keys/test-1024.pub.pem").unwrap();
    let pkcs8_lines = escaped("fixtures/keys/platform-test.pkcs8.pem");
    let small = escaped("fixtures/rules/KEY007-key-too-small/bad/rsa_public_key.pem");
    let encrypted = escaped("fixtures/rules/KEY004-key-encrypted/bad/rsa_private_key.pem");
    let cut = &spki[..spki.len() / 2];
    let one_line = spki.replace('\n', " ");
    let marker = "// Baidu cashier\n";
    let cases: Vec<(&str, String, &[&str])> = vec![
        // PHP single quotes keep `\n` as two characters, and the header says PKCS#1 over PKCS#8.
        (
            "a/Sign.php",
            format!(
                "<?php\n{marker}$k = '{}';\n",
                pkcs8_lines.replace("PRIVATE KEY", "RSA PRIVATE KEY")
            ),
            &["KEY002", "KEY003", "KEY010"],
        ),
        // The same key in double quotes, header right: only that it is committed.
        (
            "b/Sign.php",
            format!("<?php\n{marker}$k = \"{pkcs8_lines}\";\n"),
            &["KEY010"],
        ),
        // PKCS#1 handed to PKCS8EncodedKeySpec: `algid parse error`.
        (
            "c/Sign.java",
            format!(
                "{marker}class Sign {{ String k = \"{}\" + \"{}\"; Object f() {{ return new PKCS8EncodedKeySpec(d(k)); }} }}\n",
                &pkcs1[..300],
                &pkcs1[300..]
            ),
            &["KEY006", "KEY010"],
        ),
        // PKCS#8 for PKCS8EncodedKeySpec, and PKCS#1 read by Bouncy Castle, are fine.
        (
            "d/Sign.java",
            format!(
                "{marker}class Sign {{ String k = \"{pkcs8}\"; Object f() {{ return new PKCS8EncodedKeySpec(d(k)); }} }}\n"
            ),
            &["KEY010"],
        ),
        (
            "e/Sign.java",
            format!(
                "{marker}import org.bouncycastle.openssl.PEMParser;\nclass Sign {{ String k = \"{pkcs1}\"; Object f() {{ return new PKCS8EncodedKeySpec(d(k)); }} }}\n"
            ),
            &["KEY010"],
        ),
        // A public key in a Go raw string, loaded as SPKI: nothing to say.
        (
            "f/verify.go",
            format!(
                "package baidu\nconst platformKey = `{spki}`\nfunc f() {{ x509.ParsePKIXPublicKey(nil) }}\n"
            ),
            &[],
        ),
        (
            "g/verify.go",
            format!(
                "package baidu\nconst platformKey = `{spki}`\nfunc f() {{ x509.ParsePKCS1PublicKey(nil) }}\n"
            ),
            &["KEY006"],
        ),
        // Cut short, flattened to one line, too small, encrypted.
        (
            "h/verify.js",
            format!("{marker}const k = `{cut}`;\n"),
            &["KEY001"],
        ),
        (
            "i/verify.py",
            format!(
                "# baidu\nK = ('{}'\n     '{}')\n",
                &one_line[..100],
                &one_line[100..]
            ),
            &["KEY003"],
        ),
        (
            "j/verify.ts",
            format!("{marker}const k: string = \"{small}\";\n"),
            &["KEY007"],
        ),
        (
            "k/sign.py",
            format!("# baidu\nK = \"{encrypted}\"\n"),
            &["KEY004", "KEY010"],
        ),
        // A key over many concatenated lines is one key, and none of its lines is printed; its
        // header is the key's own, not one written around a body (no SRC013).
        (
            "m/Keys.java",
            format!(
                "{marker}class Keys {{\n  String k = \"-----BEGIN RSA PRIVATE KEY-----\\n\"\n{}    + \"-----END RSA PRIVATE KEY-----\";\n}}\n",
                pkcs8
                    .as_bytes()
                    .chunks(64)
                    .map(|c| ["    + \"", std::str::from_utf8(c).unwrap(), "\\n\"\n"].concat())
                    .collect::<String>()
            ),
            &["KEY002", "KEY010"],
        ),
        // A test's key is there on purpose: not reported as committed (the other rules still run).
        (
            "n/sign_test.go",
            format!("package baidu\nconst k = \"{pkcs8_lines}\"\n"),
            &[],
        ),
        (
            "o/sign_test.go",
            format!(
                "package baidu\nconst k = \"{}\"\n",
                pkcs8_lines.replace("PRIVATE KEY", "RSA PRIVATE KEY")
            ),
            &["KEY002"],
        ),
        // A header alone, a short example, and a key built at run time are not keys.
        (
            "l/Sign.php",
            format!(
                "<?php\n{marker}$k = \"-----BEGIN RSA PRIVATE KEY-----\\n\" . wordwrap($key, 64, \"\\n\", true) . \"\\n-----END RSA PRIVATE KEY-----\";\n$e = 'MIIEvQIBADAN...';\n"
            ),
            // ... but a header written around a body computed at run time is SRC013's.
            &["SRC013"],
        ),
    ];
    let d = tempdir("scan-keys");
    for (name, text, _) in &cases {
        write(&d, name, text.as_bytes());
    }
    let (code, out, err) = output(
        bin()
            .args(["scan", "--format", "json", "--select", "KEY,SRC013"])
            .arg(&*d),
    );
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for (name, _, want) in &cases {
        let mut got: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with(name))
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        got.sort_unstable();
        assert_eq!(&got, want, "{name}");
    }
    // No private key is printed (the modulus, in the public keys, may be).
    let (_, human, _) = output(bin().args(["scan", "--select", "KEY"]).arg(&*d));
    for text in [&out, &human] {
        // Windows of the private parts (past the modulus), shorter than a line of 64.
        let windows: Vec<&str> = [&pkcs1, &pkcs8]
            .iter()
            .flat_map(|k| (300..k.len() - 12).step_by(6).map(move |i| &k[i..i + 12]))
            .collect();
        let leaks: Vec<&str> = text
            .lines()
            .filter(|l| windows.iter().any(|w| l.contains(w)))
            .collect();
        assert!(leaks.is_empty(), "key printed: {leaks:#?}");
    }
    assert!(human.contains("PKCS8EncodedKeySpec"), "{human}");
}

#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let d = tempdir("scan-jobs");
    let mut written = 0;
    // Every SRC fixture, bad and good, in one tree: many files, many findings.
    for rule in std::fs::read_dir("fixtures/rules")
        .unwrap()
        .filter_map(Result::ok)
    {
        let name = rule.file_name().to_string_lossy().into_owned();
        if !name.starts_with("SRC") {
            continue;
        }
        for side in ["bad", "good"] {
            for f in std::fs::read_dir(rule.path().join(side))
                .unwrap()
                .filter_map(Result::ok)
            {
                let to = format!("{name}/{side}/{}", f.file_name().to_string_lossy());
                write(&d, &to, &std::fs::read(f.path()).unwrap());
                written += u64::from(bdpay_scan::Lang::of_path(&f.path()).is_some());
            }
        }
    }
    let run = |jobs: &str| {
        output(
            bin()
                .args(["scan", "--format", "json", "--jobs", jobs])
                .arg(&*d),
        )
    };
    let (code, one, err) = run("1");
    assert_eq!(code, 1, "{err}");
    assert!(one.matches("\"code\": \"SRC").count() > 30, "{one}");
    // Every fixture names the cashier, so every source file is read, and the report says how many.
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["scanned_files"].as_u64(), Some(written), "{err}");
    for jobs in ["2", "7"] {
        let (c, many, _) = run(jobs);
        assert_eq!((c, &many), (code, &one), "--jobs {jobs}");
    }
}
