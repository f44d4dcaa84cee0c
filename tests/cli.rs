//! The command line as a user drives it: exit codes, formats, paste forms, explain, init.

use assert_cmd::Command;

mod common;

use common::{output, tempdir};
use serde_json::Value;

/// The binary, run in a copy of the demo (`fixtures/demo` under cargo's scratch directory for
/// integration tests, made anew by each run) whose private key is readable by all, as a fresh
/// checkout under the usual umask leaves it: the demo reports key-file-permissions whatever
/// this machine's umask, and the tracked files keep their modes.
fn cmd() -> Command {
    static ROOT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-demo");
        let _ = std::fs::remove_dir_all(&root);
        common::copy_tree(
            std::path::Path::new("fixtures/demo"),
            &root.join("fixtures/demo"),
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(
                root.join("fixtures/demo/keys/rsa_private_key.pem"),
                std::fs::Permissions::from_mode(0o644),
            )
            .unwrap();
        }
        root
    });
    let mut c = common::bin();
    c.current_dir(root);
    c
}

const DEMO: [&str; 4] = [
    "check",
    "--config",
    "fixtures/demo/bdpay.toml",
    "fixtures/demo",
];

#[test]
fn check_demo_human_reports_and_fails() {
    let (code, out, _) = output(cmd().args(DEMO));
    assert_eq!(code, 1);
    assert!(out.contains("RSP001 response-not-json"), "{out}");
    assert!(out.contains("fixtures/demo/payloads/notify-response.txt:1:1"));
    assert!(out.contains("FAQ: "));
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("✗ 7 errors, 5 warnings, 0 info in 6 files"),
        "{last}"
    );
    // The demo's private key is read (it exists) but never shown.
    let key = std::fs::read_to_string("fixtures/demo/keys/rsa_private_key.pem").unwrap();
    let body: String = key.lines().nth(1).unwrap().chars().take(16).collect();
    assert!(!out.contains(&body));
}

#[test]
fn check_demo_json_has_the_documented_shape() {
    let (code, out, _) = output(cmd().args(DEMO).args(["--format", "json"]));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    for k in [
        "code", "name", "severity", "message", "help", "file", "line", "column", "span", "url",
    ] {
        assert!(!d[k].is_null(), "diagnostic lacks {k}: {d}");
    }
    assert!(d["span"]["offset"].is_u64() && d["span"]["length"].is_u64());
    assert_eq!(v["summary"]["errors"], 7);
    assert_eq!(v["summary"]["warnings"], 5);
    assert_eq!(v["summary"]["infos"], 0);
    // The span points at the value it names.
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "CBU004")
        .unwrap();
    let text = std::fs::read_to_string(d["file"].as_str().unwrap()).unwrap();
    let off = d["span"]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&text[off..off + 8], "?shop=12");
}

#[test]
fn check_demo_sarif_is_2_1_0_with_rules_and_locations() {
    let (code, out, _) = output(cmd().args(DEMO).args(["--format", "sarif"]));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r["help"]["text"].is_string() && r["id"].is_string())
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(
            loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("fixtures/demo/")
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn check_demo_github_annotations() {
    let (code, out, _) = output(cmd().args(DEMO).args(["--format", "github"]));
    assert_eq!(code, 1);
    let (notices, lines): (Vec<&str>, Vec<&str>) =
        out.lines().partition(|l| l.starts_with("::notice "));
    assert_eq!(lines.len(), 12);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file="))
    );
    // The signed payloads' signature lines.
    assert_eq!(notices.len(), 2, "{out}");
    assert!(notices.iter().all(|l| l.contains("title=signature::")));
    assert!(out.contains("::error file=fixtures/demo/payloads/notify-response.txt,line=1,col=1,"));
}

#[test]
fn fail_on_levels_and_rule_overrides() {
    assert_eq!(output(cmd().args(DEMO).args(["--fail-on", "never"])).0, 0);
    // Only warnings left: exit 0 by default, 1 with --fail-on warning.
    let only_warn = ["--select", "CBU003,CBU004,AMT002"];
    assert_eq!(output(cmd().args(DEMO).args(only_warn)).0, 0);
    assert_eq!(
        output(
            cmd()
                .args(DEMO)
                .args(only_warn)
                .args(["--fail-on", "warning"])
        )
        .0,
        1
    );
    // -D makes a warning an error, -A turns a rule off.
    let (code, out, _) =
        output(
            cmd()
                .args(DEMO)
                .args(["--select", "CBU003", "-D", "callback-url-not-https"]),
        );
    assert_eq!(code, 1);
    assert!(out.contains("1 error"));
    let (code, out, _) = output(
        cmd()
            .args(DEMO)
            .args(["--select", "CBU003", "-A", "CBU003"]),
    );
    assert_eq!(code, 0);
    assert!(out.contains("no problems"));
    let (code, _, err) = output(cmd().args(DEMO).args(["-A", "no-such-rule"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule"));
}

#[test]
fn config_severity_and_ignores_apply() {
    let dir = tempdir("cli");
    let cfg = dir.join("bdpay.toml");
    std::fs::write(
        &cfg,
        "[merchant]\napp_key = \"MMMabc\"\n[callbacks]\npay_notify = \"http://pay.example.com/n\"\nrefund_audit = \"https://pay.example.com/a\"\nrefund_notify = \"https://pay.example.com/r\"\n[lint.severity]\ncallback-url-not-https = \"error\"\n[[lint.ignore]]\nrule = \"response-not-json\"\npaths = [\"**/legacy/*\"]\nreason = \"old capture\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("legacy")).unwrap();
    std::fs::write(dir.join("legacy/notify-response.txt"), "success").unwrap();
    let (code, out, _) = output(cmd().args(["check", "--config"]).arg(&cfg).arg(&dir));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("CBU003"));
    assert!(!out.contains("RSP001"), "{out}");
    assert!(out.contains("1 error, 0 warnings"), "{out}");
}

#[test]
fn config_errors_exit_2_with_place() {
    let dir = tempdir("cli");
    let cfg = dir.join("bdpay.toml");
    std::fs::write(&cfg, "[merchant]\napp_key = \"M\"\ndealId = \"1\"\n").unwrap();
    let (code, _, err) = output(cmd().args(["check", "--config"]).arg(&cfg));
    assert_eq!(code, 2);
    assert!(err.contains("bdpay.toml:3:1: invalid config"), "{err}");
    assert!(err.contains("dealId"), "{err}");
    std::fs::write(&cfg, "[keys]\nprivate_key = \"missing.pem\"\n").unwrap();
    let (code, out, _) = output(
        cmd()
            .args(["check", "--format", "json", "--config"])
            .arg(&cfg),
    );
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["line"], 2);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no such file")
    );
}

#[test]
fn diagnose_reads_every_paste_form_from_stdin() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"errno":0,"msg":"success","data":{"isConsumed":1}}"#,
            "notify-is-consumed-not-2",
            "JSON",
        ),
        (
            "{dealId: '470193086', appKey: 'MMMabc', totalAmount: '1.00', tpOrderId: '1', dealTitle: 't', signFieldsRange: '1', rsaSign: 'x', bizInfo: '{}',}",
            "amount-not-integer-fen",
            "JavaScript object literal",
        ),
        (
            // A signature of the right size for a 1024-bit key: without a key, nothing to say.
            concat!(
                "orderId=1&userId=2&tpOrderId=3&refundBatchId=4&refundStatus=1&rsaSign=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAA="
            ),
            "",
            "form-urlencoded",
        ),
        (
            "orderId=1&userId=2&tpOrderId=3&refundBatchId=4&refundStatus=1&rsaSign=x",
            "sign-malformed",
            "form-urlencoded",
        ),
        (
            "https://nop.nuomi.com/nop/server/rest?method=nuomi.cashier.applyorderrefund&orderId=1&userId=2&refundType=1&refundReason=x&tpOrderId=3&appKey=MMMabc&applyRefundMoney=1.5&rsaSign=x",
            "amount-not-integer-fen",
            "URL",
        ),
        (
            "POST /refund/audit?shop=1 HTTP/1.1\r\nHost: pay.example.com\r\nContent-Type: application/json\r\n\r\n{\"errno\":0,\"msg\":\"success\",\"data\":{\"auditStatus\":3,\"calculateRes\":{\"refundPayMoney\":100}}}",
            "refund-audit-pending",
            "HTTP request",
        ),
        ("SUCCESS\n", "response-not-json", "plain text"),
    ];
    for (input, rule, form) in cases {
        let (code, out, err) = output(cmd().args(["diagnose", "-"]).write_stdin(*input));
        assert!(out.contains(form), "{form}: {out}{err}");
        if rule.is_empty() {
            assert_eq!(code, 0, "{out}");
        } else {
            assert!(out.contains(rule), "{rule}: {out}");
        }
    }
}

#[test]
fn diagnose_unreadable_input_says_where() {
    let (code, _, err) = output(
        cmd()
            .args(["diagnose", "-"])
            .write_stdin("{\"errno\": 0,, }"),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("<stdin>:1:13: cannot read the payload"),
        "{err}"
    );
    let (code, _, err) = output(
        cmd()
            .args(["diagnose", "-"])
            .write_stdin(&b"refundReason=\xcd\xcb\xbf\xee"[..]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("GBK"), "{err}");
    let (code, _, err) = output(cmd().args(["diagnose", "-"]).write_stdin("   \n"));
    assert_eq!(code, 2);
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn diagnose_with_config_compares_identifiers() {
    let (code, out, _) = output(
        cmd()
            .args(["diagnose", "--config", "fixtures/demo/bdpay.toml", "-"])
            .write_stdin(r#"{"dealId":"470193087","appKey":"MMMabc","totalAmount":"100","tpOrderId":"1","dealTitle":"t","signFieldsRange":"1","rsaSign":"x","bizInfo":"{}"}"#),
    );
    assert_eq!(code, 1);
    assert!(out.contains("dealid-mismatch"), "{out}");
    assert!(out.contains("configured here"), "{out}");
}

#[test]
fn explain_rules_and_platform_codes() {
    let (code, out, _) = output(cmd().args(["explain", "errCode:6"]));
    assert_eq!(code, 0);
    assert!(out.contains("ORD001 orderinfo-not-object"), "{out}");
    assert!(out.contains("BIZ001 bizinfo-not-string"), "{out}");
    for alias in ["6", "errcode 6", "ERRCODE:6"] {
        assert_eq!(output(cmd().args(["explain", alias])).1, out);
    }
    let (code, out, _) = output(cmd().args(["explain", "ORD004"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("# sign-fields-range-not-1 (ORD004)"));
    assert!(out.contains("## What it does"));
    assert_eq!(
        output(cmd().args(["explain", "sign-fields-range-not-1"])).1,
        out
    );
    let (_, zh, _) = output(cmd().args(["--lang", "zh", "explain", "ORD004"]));
    assert!(zh.contains("## 作用"));
    // A misspelt name is searched: the rule it names comes first.
    let (code, out, _) = output(cmd().args(["explain", "sign-fields-range-not-2"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("# sign-fields-range-not-1 (ORD004)"),
        "{out}"
    );
    let (code, _, err) = output(cmd().args(["explain", "ORD0041"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `ORD001`"), "{err}");
    for c in ["10003", "930", "验签失败"] {
        assert_eq!(output(cmd().args(["explain", c])).0, 0, "{c}");
    }
}

#[test]
fn rules_catalogue_text_and_json() {
    let (code, out, _) = output(cmd().arg("rules"));
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), bdpay_core::registry::all().len());
    let (_, json, _) = output(cmd().args(["rules", "--format", "json"]));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        bdpay_core::registry::all().len()
    );
    assert_eq!(v[0]["code"], "ORD001");
    insta::assert_snapshot!("rules", out);
}

#[test]
fn init_writes_a_starter_that_warns_until_filled_in() {
    let dir = tempdir("cli");
    let cfg = dir.join("bdpay.toml");
    assert_eq!(output(cmd().arg("init").arg(&cfg)).0, 0);
    // Unedited, the template is valid but not a pass: its sample values are named, and only
    // they (the template's values are otherwise clean).
    let (code, out, _) = output(cmd().args(["check", "--config"]).arg(&cfg));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("config-placeholder"), "{out}");
    assert!(!out.contains('✓'), "{out}");
    let (code, out, _) = output(
        cmd()
            .args(["check", "--fail-on", "info", "-A", "CFG", "--config"])
            .arg(&cfg),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no problems"));
    // Chinese template, same settings.
    let zh = dir.join("zh.toml");
    assert_eq!(output(cmd().args(["--lang", "zh", "init"]).arg(&zh)).0, 0);
    let (code, out, _) = output(cmd().args(["check", "-A", "CFG", "--config"]).arg(&zh));
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = output(cmd().arg("init").arg(&cfg));
    assert_eq!(code, 2);
    assert!(err.contains("already exists"));
    assert_eq!(output(cmd().args(["init", "--force"]).arg(&cfg)).0, 0);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(output(cmd().args(["check", "--format", "xml"])).0, 2);
    assert_eq!(output(cmd().arg("frobnicate")).0, 2);
    assert_eq!(output(cmd().arg("--version")).0, 0);
    let dir = tempdir("cli");
    let (code, _, err) = output(cmd().arg("check").current_dir(&dir));
    assert_eq!(code, 2);
    assert!(err.contains("nothing to check"));
}

#[test]
fn chinese_output() {
    let (_, out, _) = output(
        cmd()
            .args(["--lang", "zh", "diagnose", "-"])
            .write_stdin("success"),
    );
    assert!(out.contains("应答是纯文本"), "{out}");
    let (_, out, _) = output(
        cmd()
            .args(["diagnose", "-"])
            .env("LANG", "zh_CN.UTF-8")
            .write_stdin("success"),
    );
    assert!(out.contains("应答是纯文本"), "{out}");
}
