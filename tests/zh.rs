//! `--lang zh` says everything in Chinese: every rule's bad fixture in every format, every rule
//! doc and platform code, the tool's errors, and the output of every offline command. A run of
//! three or more English words outside code, quoted values, identifiers and the pasted input
//! itself fails the test, with the command and the line.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, english_runs, output, tempdir};

/// Runs the binary in Chinese; returns what it printed on both streams.
fn zh(args: &[&str], stdin: Option<&str>) -> (i32, String) {
    let mut c = bin();
    c.arg("--lang").arg("zh").args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let (code, out, err) = output(&mut c);
    (code, format!("{out}{err}"))
}

/// Collects the English runs of one run, named by its arguments.
fn check(failures: &mut Vec<String>, args: &[&str], stdin: Option<&str>) -> (i32, String) {
    let (code, out) = zh(args, stdin);
    // Machine-readable output is checked value by value, as its reader will show it.
    let texts = match serde_json::from_str::<serde_json::Value>(&out) {
        Ok(v) => {
            let mut t = Vec::new();
            strings(&v, &mut t);
            t
        }
        Err(_) => vec![out.clone()],
    };
    for text in texts {
        for run in english_runs(&text) {
            failures.push(format!("bdpay-doctor --lang zh {}: {run}", args.join(" ")));
        }
    }
    (code, out)
}

/// Every string in a JSON document.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn report(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} English runs in Chinese output:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A copy of a rule's `bad` directory where its relative key paths still resolve
/// (`<tmp>/fixtures/rules/<rule>/bad` beside `<tmp>/fixtures/keys`), with every file readable
/// by all: git keeps no modes, and the tracked files stay as they are.
fn copy_bad(rule_dir: &Path) -> (common::TempDir, PathBuf) {
    let root = tempdir("zh-bad");
    copy_files(Path::new("fixtures/keys"), &root.join("fixtures/keys"));
    let bad = root
        .join("fixtures/rules")
        .join(rule_dir.file_name().unwrap())
        .join("bad");
    copy_files(&rule_dir.join("bad"), &bad);
    (root, bad)
}

fn copy_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_file() {
            let dest = to.join(e.file_name());
            std::fs::copy(&p, &dest).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o644)).unwrap();
            }
        }
    }
}

fn rule_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("fixtures/rules")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

#[test]
fn the_checker_finds_prose_and_passes_identifiers() {
    assert_eq!(
        english_runs("签名无法用the developer public key验证").len(),
        1
    );
    assert!(english_runs("签名无法用平台公钥验证：`the string to sign`").is_empty());
    assert!(english_runs("orderInfo 缺少 signFieldsRange、bizInfo").is_empty());
    assert!(english_runs("ORD004 sign-fields-range-not-1 (https://a.b/c/d)").is_empty());
    assert!(english_runs("应答是纯文本 \"not json at all\"").is_empty());
    assert!(english_runs("  1 │ this is the pasted text itself").is_empty());
    assert_eq!(english_runs("✗ 3 errors, 1 warnings, 0 info").len(), 1);
    assert_eq!(
        english_runs("差异：extra: dealTitle, missing fields here").len(),
        1
    );
}

#[test]
fn every_rule_bad_fixture_is_reported_in_chinese() {
    let mut failures = Vec::new();
    for dir in rule_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("PRB") {
            continue; // network scenarios: tests/probe.rs renders them in Chinese
        }
        let (_root, bad) = copy_bad(&dir);
        let b = bad.to_str().unwrap().to_owned();
        let config = bad.join("bdpay.toml");
        let c = config.to_str().unwrap().to_owned();
        for format in ["human", "json", "github", "sarif"] {
            let mut args: Vec<String> = vec!["--format".into(), format.into()];
            if name.starts_with("AUD") {
                args.push("audit".into());
                args.extend(["--config".into(), c.clone()]);
                if bad.join("orders.csv").exists() {
                    args.extend(["--orders".into(), format!("{b}/orders.csv")]);
                }
                let mut logs: Vec<String> = std::fs::read_dir(&bad)
                    .unwrap()
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "form"))
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                logs.sort();
                args.extend(logs);
            } else if name.starts_with("SRC") {
                args.extend(["scan".into(), b.clone()]);
            } else {
                args.push("check".into());
                if config.exists() {
                    args.extend(["--config".into(), c.clone()]);
                }
                args.push(b.clone());
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out) = check(&mut failures, &args, None);
            assert!(code != 2, "{name} {format}: exit {code}\n{out}");
        }
    }
    report(&failures);
}

#[test]
fn rule_docs_and_platform_codes_are_in_chinese() {
    let mut failures = Vec::new();
    check(&mut failures, &["rules"], None);
    for r in bdpay_core::registry::all() {
        check(&mut failures, &["explain", &r.code], None);
    }
    for code in bdpay_core::explain::platform_codes()
        .iter()
        .chain(bdpay_core::explain::symptoms())
    {
        for id in &code.ids {
            check(&mut failures, &["explain", id], None);
        }
    }
    check(&mut failures, &["explain"], None);
    report(&failures);
}

#[test]
fn the_tools_errors_are_in_chinese() {
    let dir = tempdir("zh-errors");
    let d = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    };
    let gbk = d("gbk.form", b"refundReason=\xcd\xcb\xbf\xee");
    let utf16 = d("u16.json", &[0xFF, 0xFE, b'{', 0]);
    let binary = d("bin.json", &[1, 2, 0, 3]);
    let empty = d("empty.json", b"");
    let broken = d("broken.json", b"{\"appKey\": \"MMMabc\" \"dealId\": 1}");
    let unknown_kind = d("what.json", b"{\"colour\": \"blue\"}");
    let bad_toml = d("bad.toml", b"[merchant]\napp_kee = \"M\"\n");
    let bad_type = d("type.toml", b"[test]\namounts = [\"1\"]\n");
    let no_key = d("nokey.toml", b"[keys]\nprivate_key = \"missing.pem\"\n");
    let no_env = d(
        "noenv.toml",
        b"[keys]\nprivate_key = \"env:BDPAY_ZH_SURELY_UNSET\"\n",
    );
    let no_reason = d("noreason.toml", b"[[lint.ignore]]\nrule = \"AMT002\"\n");
    let bad_rule = d(
        "badrule.toml",
        b"[lint.severity]\ncallback-url-not-http = \"off\"\n",
    );
    let junk_key = d(
        "junk.pem",
        b"-----BEGIN PRIVATE KEY-----\nMIIC!!!\n-----END PRIVATE KEY-----\n",
    );
    let ssh_key = d(
        "id.pub",
        b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host\n",
    );
    let init_target = dir.join("gbk.form").to_string_lossy().into_owned();
    let order = d("order.json", br#"{"appKey":"MMMabc","dealId":"470193086","tpOrderId":"1","totalAmount":"1","signFieldsRange":"1","dealTitle":"t","bizInfo":"{}"}"#);
    let dir_name = dir.to_string_lossy().into_owned();
    let mut failures = Vec::new();
    let cases: Vec<Vec<&str>> = vec![
        vec!["diagnose", &gbk],
        vec!["diagnose", &utf16],
        vec!["diagnose", &binary],
        vec!["diagnose", &empty],
        vec!["diagnose", &broken],
        vec!["diagnose", &unknown_kind],
        vec!["diagnose", "/nonexistent/order.json"],
        vec!["diagnose", &dir_name],
        vec!["check", "--config", &bad_toml],
        vec!["check", "--config", &bad_type],
        vec!["check", "--config", &no_key],
        vec!["check", "--config", &no_env],
        vec!["check", "--config", &no_reason],
        vec!["check", "--config", &bad_rule],
        vec!["check", "-W", "ORD999", &order],
        vec!["check", "/nonexistent"],
        vec!["explain", "ORD0011"],
        vec!["explain", "no-such-thing-at-all"],
        vec!["keys", "inspect", &junk_key],
        vec!["keys", "inspect", &ssh_key],
        vec![
            "keys",
            "convert",
            "--to",
            "pkcs8",
            "fixtures/keys/test-1024.pkcs1.pem",
        ],
        vec!["sign", "--key", "fixtures/keys/test-1024.pub.pem", &order],
        vec!["sign", "--key", "fixtures/keys/test-1024.pkcs1.pem"],
        vec!["verify", "--key", &junk_key, &order],
        vec!["keys", "gen", "--bits", "512", "--stdout"],
        vec!["init", &init_target],
        vec!["probe"],
        vec!["audit", "/nonexistent.log"],
        vec![
            "simulate",
            "notify",
            "--platform-key",
            "fixtures/keys/platform-test.pub.pem",
            "--url",
            "http://127.0.0.1:9/x",
        ],
    ];
    for args in &cases {
        for format in ["human", "json", "github"] {
            let mut a = vec!["--format", format];
            a.extend(args.iter().copied());
            let (code, out) = check(&mut failures, &a, None);
            assert_eq!(code, 2, "{a:?}: {out}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    report(&failures);
}

#[test]
fn every_offline_command_speaks_chinese() {
    let dir = tempdir("zh-commands");
    let order = dir.join("order.json");
    std::fs::write(&order, br#"{"appKey":"MMMabc","dealId":"470193086","tpOrderId":"3028903626","totalAmount":"1","signFieldsRange":"1","dealTitle":"t","bizInfo":"{}"}"#).unwrap();
    let o = order.to_str().unwrap();
    let mut failures = Vec::new();
    let (_, signed) = check(
        &mut failures,
        &[
            "--format",
            "json",
            "sign",
            "--key",
            "fixtures/keys/test-1024.pkcs1.pem",
            o,
        ],
        None,
    );
    let payload: serde_json::Value = serde_json::from_str(&signed).unwrap();
    let signed_order = dir.join("signed.json");
    std::fs::write(&signed_order, payload["payload"].as_str().unwrap()).unwrap();
    let s = signed_order.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["keys", "inspect", "fixtures/keys/test-1024.pkcs1.pem"],
        vec!["keys", "inspect", "fixtures/keys/test-1024.pub.pem"],
        vec![
            "keys",
            "inspect",
            "fixtures/vectors/docs-sample-2021.pkcs8.pem",
        ],
        vec![
            "keys",
            "match",
            "fixtures/keys/test-1024.pkcs1.pem",
            "fixtures/keys/test-1024.pub.pem",
        ],
        vec![
            "keys",
            "match",
            "fixtures/keys/test-1024.pkcs1.pem",
            "fixtures/keys/platform-test.pub.pem",
        ],
        vec!["sign", "--key", "fixtures/keys/test-1024.pkcs1.pem", o],
        vec!["verify", "--key", "fixtures/keys/test-1024.pub.pem", s],
        vec!["verify", "--key", "fixtures/keys/platform-test.pub.pem", s],
        vec![
            "diagnose",
            "--key",
            "fixtures/keys/test-1024.pub.pem",
            "--their-string",
            "appKey=MMMabc&dealId=470193086&extra=1",
            s,
        ],
        vec![
            "check",
            "--config",
            "fixtures/demo/bdpay.toml",
            "fixtures/demo",
        ],
        vec!["diagnose", "fixtures/demo/payloads/notify.form"],
        vec![
            "audit",
            "--config",
            "fixtures/audit/bdpay.toml",
            "--orders",
            "fixtures/audit/orders.csv",
            "fixtures/audit/callbacks.ndjson",
        ],
        vec!["init", "-"],
        vec![
            "simulate",
            "notify",
            "--platform-key",
            "fixtures/keys/platform-test.pkcs8.pem",
            "--url",
            "https://pay.example.com/notify",
            "--dry-run",
        ],
        vec![
            "probe",
            "--runs",
            "1",
            "--timeout",
            "1",
            "http://127.0.0.1:9/notify",
        ],
    ];
    for args in &cases {
        for format in ["human", "json"] {
            let mut a = vec!["--format", format];
            a.extend(args.iter().copied());
            check(&mut failures, &a, None);
        }
    }
    let out_dir = dir.join("gen");
    check(
        &mut failures,
        &[
            "keys",
            "gen",
            "--language",
            "go",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    report(&failures);
}

#[test]
fn every_commands_help_is_in_chinese() {
    let mut failures = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for path in bdpay_doctor::help_zh::command_paths() {
        for flag in ["--help", "-h"] {
            let mut args = path.clone();
            args.push(flag.to_owned());
            runs.push(args);
        }
    }
    runs.push(vec!["help".into()]);
    runs.push(vec!["help".into(), "keys".into(), "gen".into()]);
    runs.push(vec!["keys".into(), "help".into()]);
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = check(&mut failures, &args, None);
        assert_eq!(code, 0, "{args:?}: {out}");
        assert!(out.contains("用法:"), "{args:?}: {out}");
    }
    report(&failures);
}

#[test]
fn a_chinese_locale_alone_gives_chinese_help() {
    for args in [&["--help"][..], &["keys", "gen", "-h"]] {
        let (code, out, _) = output(bin().env("LANG", "zh_CN.UTF-8").args(args));
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("用法:") && out.contains("选项:"), "{out}");
        let runs = english_runs(&out);
        assert!(runs.is_empty(), "{args:?}: {runs:?}");
    }
    // An explicit --lang en wins over the locale.
    let (_, out, _) = output(
        bin()
            .env("LANG", "zh_CN.UTF-8")
            .args(["--lang", "en", "--help"]),
    );
    assert!(out.contains("Usage:"), "{out}");
}

#[test]
fn the_english_help_is_unchanged() {
    for path in bdpay_doctor::help_zh::command_paths() {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push(flag);
            let (code, plain, _) = output(bin().args(&args));
            assert_eq!(code, 0, "{args:?}");
            let (_, en, _) = output(bin().arg("--lang").arg("en").args(&args));
            assert_eq!(plain, en, "{args:?}");
            assert!(plain.contains("Usage: bdpay-doctor"), "{args:?}: {plain}");
            assert!(plain.contains("Options:"), "{args:?}: {plain}");
            assert!(plain.contains("Print help"), "{args:?}: {plain}");
            assert!(!plain.contains("用法"), "{args:?}: {plain}");
        }
    }
    let (_, root, _) = output(bin().args(["--lang", "en", "--help"]));
    for words in [
        "Commands:",
        "Output:",
        "Possible values:",
        "[default: auto]",
        "[possible values: error, warning, info, never]",
        "Print version",
        "Print this message or the help of the given subcommand(s)",
    ] {
        assert!(root.contains(words), "{words}\n{root}");
    }
}
