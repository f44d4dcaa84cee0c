//! Every command over a corpus of bad inputs: a clear message naming the input, exit code 0, 1 or
//! 2, never a panic (101), never a hang (each run bounded).

use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;

fn corpus(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("whitespace", b" \n\t\n".to_vec()),
        ("binary", (0..=255u8).cycle().take(4096).collect()),
        ("invalid-utf8", b"orderId=1&userId=\xff\xfe\xfd".to_vec()),
        (
            "utf8-bom",
            b"\xEF\xBB\xBF{\"errno\":0,\"msg\":\"success\",\"data\":{\"isConsumed\":2}}".to_vec(),
        ),
        ("gbk", b"refundReason=\xcd\xcb\xbf\xee&orderId=1".to_vec()),
        ("utf16", b"\xff\xfe{\x00\"\x00a\x00\"\x00}\x00".to_vec()),
        (
            "nested-100",
            format!("{}1{}", "[".repeat(100), "]".repeat(100)).into_bytes(),
        ),
        ("nested-100k", "[".repeat(100_000).into_bytes()),
        (
            "one-mb-line",
            format!(
                "{{\"errno\":0,\"msg\":\"{}\",\"data\":{{}}}}",
                "x".repeat(1 << 20)
            )
            .into_bytes(),
        ),
        (
            "truncated-json",
            b"{\"dealId\": \"470193086\", \"appKey\": ".to_vec(),
        ),
        (
            "dup-keys-json",
            b"{\"errno\":0,\"errno\":1,\"msg\":\"success\",\"data\":{}}".to_vec(),
        ),
        (
            "dup-keys-form",
            b"orderId=1&orderId=2&userId=3&status=2&totalMoney=1".to_vec(),
        ),
        ("js-garbage", b"{a: b c}".to_vec()),
        ("lone-quote", b"\"".to_vec()),
        (
            "truncated-key",
            b"-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQDC\n".to_vec(),
        ),
        (
            "junk-pem",
            b"-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n".to_vec(),
        ),
        (
            "huge-length-der",
            vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00],
        ),
        ("control-chars", b"errno=\x01\x02\x03&msg=\x07".to_vec()),
    ];
    v.push((
        "key-512",
        std::fs::read("fixtures/rules/KEY007-key-too-small/bad/rsa_private_key.pem").unwrap(),
    ));
    v.push((
        "key-8192",
        std::fs::read("fixtures/keys/test-8192.pkcs8.pem").unwrap(),
    ));
    v.into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(format!("{name}.txt"));
            std::fs::write(&p, bytes).unwrap();
            (name.to_owned(), p)
        })
        .collect()
}

/// The most any run over the corpus may print (stdout and stderr).
const MAX_OUTPUT: usize = 32 * 1024;
/// SARIF carries the whole rule catalogue (about 150 KB) besides the results.
const SARIF_RULES: usize = 192 * 1024;

fn run(args: &[&str]) -> (i32, String) {
    let o = common::bin()
        .args(args)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

#[test]
fn every_command_survives_every_bad_input() {
    let dir = common::tempdir("hostile");
    let mut failures = Vec::new();
    for (name, path) in corpus(&dir) {
        let f = path.to_str().unwrap();
        let cfg = dir.join(format!("{name}.toml"));
        std::fs::copy(&path, &cfg).unwrap();
        let c = cfg.to_str().unwrap();
        let commands: Vec<Vec<&str>> = vec![
            vec!["diagnose", f],
            vec!["diagnose", "--format", "json", f],
            vec!["check", f],
            vec!["check", "--config", c],
            vec!["check", "--format", "sarif", "--config", c, f],
            vec!["keys", "inspect", f],
            vec!["keys", "convert", "--to", "spki", f],
            vec!["keys", "match", f, f],
            vec!["sign", "--key", f, "fixtures/demo/payloads/order.js"],
            vec!["sign", "--key", "fixtures/keys/test-1024.pkcs1.pem", f],
            vec!["verify", "--key", f, "fixtures/vectors/notify-demo.form"],
            vec![
                "verify",
                "--key",
                "fixtures/vectors/platform-demo.pub.pem",
                f,
            ],
            vec!["audit", f],
            vec!["audit", "--orders", f, "fixtures/audit/callbacks.ndjson"],
            vec!["probe", "--config", c],
            vec![
                "simulate",
                "notify",
                "--dry-run",
                "--url",
                "https://pay.example.com/n",
                "--platform-key",
                f,
            ],
            vec!["explain", f],
        ];
        for args in commands {
            let (code, out) = run(&args);
            if !matches!(code, 0..=2) {
                failures.push(format!("{name}: {args:?} exited {code}:\n{out}"));
            } else if code == 2 && out.trim().is_empty() {
                failures.push(format!("{name}: {args:?} exited 2 without a message"));
            } else if out.len()
                > MAX_OUTPUT
                    + if args.contains(&"sarif") {
                        SARIF_RULES
                    } else {
                        0
                    }
            {
                // A long input is quoted in part: snippets are cut around their label and
                // quoted values shortened.
                failures.push(format!(
                    "{name}: {args:?} wrote {} bytes:\n{}",
                    out.len(),
                    &out[..out.floor_char_boundary(2000)]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn bad_inputs_are_named_with_their_place() {
    let dir = common::tempdir("hostile-msg");
    let files: std::collections::HashMap<String, PathBuf> = corpus(&dir).into_iter().collect();
    let msg = |name: &str| run(&["diagnose", files[name].to_str().unwrap()]);
    let (code, out) = msg("gbk");
    assert_eq!(code, 2);
    assert!(out.contains("gbk.txt:1:") && out.contains("GBK"), "{out}");
    let (code, out) = msg("utf16");
    assert_eq!(code, 2);
    assert!(out.contains("UTF-16"), "{out}");
    let (code, out) = msg("binary");
    assert_eq!(code, 2);
    assert!(out.contains("binary data"), "{out}");
    let (code, out) = msg("truncated-json");
    assert_eq!(code, 2);
    assert!(
        out.contains("truncated-json.txt:1:") && out.contains("expected"),
        "{out}"
    );
    let (code, out) = msg("nested-100k");
    assert_eq!(code, 2);
    assert!(out.contains("levels of nesting"), "{out}");
    let (code, out) = msg("empty");
    assert_eq!(code, 2);
    assert!(out.contains("empty"), "{out}");
    // A payload over the size limit is refused, and the limit can be raised.
    let (code, out) = run(&[
        "--max-size",
        "1000",
        "diagnose",
        files["one-mb-line"].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        out.contains("larger than") && out.contains("--max-size"),
        "{out}"
    );
    // Duplicate keys: the last value is the one the platform takes.
    let (_, out) = msg("dup-keys-json");
    assert!(out.contains("errno is 1"), "{out}");
    // A directory with a symlink loop is walked once.
    let loopdir = dir.join("loop");
    std::fs::create_dir_all(&loopdir).unwrap();
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(&loopdir, loopdir.join("again"));
    }
    std::fs::write(loopdir.join("notify-response.txt"), "success").unwrap();
    let (code, out) = run(&["check", loopdir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.matches("RSP001").count(), 1, "{out}");
    // A config naming a missing env variable says which.
    let cfg = dir.join("env.toml");
    std::fs::write(&cfg, "[keys]\nprivate_key = \"env:BDPAY_SURELY_MISSING\"\n").unwrap();
    let (code, out) = run(&["check", "--config", cfg.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        out.contains("BDPAY_SURELY_MISSING")
            && out.contains("not set")
            && out.contains("env.toml:2:"),
        "{out}"
    );
}

#[test]
fn a_200_mb_file_is_refused_by_single_payload_commands_and_streamed_by_audit() {
    use std::io::Write as _;
    let dir = common::tempdir("hostile-big");
    let big = dir.join("big.log");
    // 128 lines of 1.6 MB: each longer than audit's 1 MB line cap.
    let written = (|| -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big)?);
        let line = vec![b'a'; 1_600_000];
        for _ in 0..128 {
            f.write_all(&line)?;
            f.write_all(b"\n")?;
        }
        f.flush()
    })();
    if let Err(e) = written {
        // A machine short of disk cannot hold the file; that is no fault of the tool.
        let _ = std::fs::remove_dir_all(&dir);
        #[allow(clippy::print_stderr, clippy::disallowed_macros)]
        {
            eprintln!("SKIPPED: cannot write a 200 MB test file: {e}");
        }
        return;
    }
    let b = big.to_str().unwrap();
    let (code, out) = run(&["diagnose", b]);
    assert_eq!(code, 2);
    assert!(out.contains("larger than the 10 MiB limit"), "{out}");
    let (code, out) = run(&["audit", "--format", "json", b]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["audit"]["lines"], 128);
    assert_eq!(v["audit"]["unreadable"]["count"], 128);
    assert!(
        v["audit"]["unreadable"]["lines"][0]["why"]
            .as_str()
            .unwrap()
            .contains("longer than")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn long_pasted_values_are_quoted_in_part() {
    let dir = common::tempdir("long-values");
    // An HTML error page as the answer, 100 KB on one line: quoted in part.
    let plain = dir.join("answer.txt");
    std::fs::write(&plain, format!("<p>{}", "y".repeat(100 * 1024 - 3))).unwrap();
    let f = plain.to_str().unwrap();
    for format in ["human", "json", "github", "ndjson"] {
        let (code, out) = run(&["check", "--kind", "notify-response", "--format", format, f]);
        assert_eq!(code, 1, "{format}: {out}");
        assert!(out.len() < 8 * 1024, "{format}: {} bytes", out.len());
        assert!(out.contains("(102400 bytes)"), "{format}: {out}");
    }
    // 100 KB of text that is no answer at all is refused, and the refusal is short too.
    let junk = dir.join("junk.txt");
    std::fs::write(&junk, "y".repeat(100 * 1024)).unwrap();
    let (code, out) = run(&["check", "--kind", "notify-response", junk.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.len() < 8 * 1024, "{} bytes", out.len());
    // A finding far into a long line: the snippet shows the line around it, with the real
    // line and column.
    let json = dir.join("long.notify-response.json");
    let text = format!(
        "{{\"errno\":0,\"msg\":\"success\",\"pad\":\"{}\",\"data\":{{\"isConsumed\":3}}}}",
        "p".repeat(50_000)
    );
    std::fs::write(&json, &text).unwrap();
    let col = text.find(":3}").unwrap() + 2;
    let (code, out) = run(&["check", json.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.len() < 4096, "{} bytes:\n{out}", out.len());
    assert!(
        out.contains(&format!(":1:{col}]")) && out.contains("…ppp"),
        "{out}"
    );
    assert!(
        out.contains("\"isConsumed\": 3") || out.contains("\"isConsumed\":3"),
        "{out}"
    );
}

#[test]
fn unreadable_files_are_named() {
    let dir = common::tempdir("unreadable");
    let locked = dir.join("locked.pem");
    std::fs::copy("fixtures/keys/test-1024.pkcs1.pem", &locked).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // Root reads any file: the mode case counts only where it does make the file unreadable.
    let locked_is_unreadable = std::fs::read(&locked).is_err();
    let d = dir.to_str().unwrap();
    let missing = dir.join("missing.pem");
    let m = missing.to_str().unwrap();
    let l = locked.to_str().unwrap();
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["keys", "inspect", d], "Is a directory"),
        (vec!["keys", "inspect", m], "No such file"),
        (
            vec!["sign", "--key", m, "fixtures/demo/payloads/order.js"],
            "No such file",
        ),
        (
            vec!["verify", "--key", d, "fixtures/vectors/notify-demo.form"],
            "Is a directory",
        ),
        (vec!["check", "--config", d], "is a directory"),
        (vec!["check", m], "No such file"),
        (vec!["diagnose", d], "Is a directory"),
        (vec!["audit", m], "No such file"),
    ];
    if locked_is_unreadable {
        cases.push((vec!["keys", "inspect", l], "Permission denied"));
    }
    for (args, why) in cases {
        let (code, out) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.to_lowercase().contains(&why.to_lowercase()),
            "{args:?} does not say {why:?}: {out}"
        );
        let named = args
            .iter()
            .skip(1)
            .any(|a| a.starts_with('/') && out.contains(a));
        assert!(named, "{args:?} does not name the file: {out}");
    }
}
