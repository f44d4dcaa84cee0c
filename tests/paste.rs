//! What merchants paste. Never a silent pass: text that is none of the forms read is refused
//! with exit 2 and a message, with or without `--kind`, by `check` and `diagnose` alike.

mod common;

use common::{bin, output};

/// Things people paste that are not payloads: stack traces, prose, greetings, binary, nothing.
const NOT_PAYLOADS: &[(&str, &str)] = &[
    (
        "java stack trace",
        "java.lang.IllegalArgumentException: Illegal base64 character 20\n\tat java.util.Base64$Decoder.decode0(Base64.java:714)\n\tat com.shop.pay.BaiduSign.verify(BaiduSign.java:42)\n",
    ),
    (
        "python traceback",
        "Traceback (most recent call last):\n  File \"notify.py\", line 12, in <module>\n    verify(params)\nValueError: RSA key format is not supported\n",
    ),
    (
        "go panic",
        "panic: crypto/rsa: verification error\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:20 +0x1d\n",
    ),
    (
        "english prose",
        "The cashier opens but then says the signature is wrong, what should I check first?\n",
    ),
    (
        "chinese prose",
        "收银台调起后提示请求签名错误，订单参数都检查过了，请问还可能是什么原因？\n",
    ),
    ("greeting", "hello world\n"),
    ("a number sentence", "the order 3028903626 was paid twice\n"),
    ("empty", ""),
    ("whitespace", "  \n\t\n"),
];

#[test]
fn non_payloads_are_refused_with_a_message_never_passed() {
    let mut failures = Vec::new();
    for (what, text) in NOT_PAYLOADS {
        for cmd in ["check", "diagnose"] {
            for kind in [None, Some("order"), Some("notify")] {
                let mut c = bin();
                c.arg(cmd);
                if let Some(k) = kind {
                    c.args(["--kind", k]);
                }
                c.arg("-").write_stdin(*text);
                let (code, out, err) = output(&mut c);
                let said = format!("{out}{err}");
                let name = format!("{what}: {cmd} --kind {kind:?}");
                if code != 2 {
                    failures.push(format!("{name}: exit {code}\n{said}"));
                }
                if said.contains('✓') {
                    failures.push(format!("{name}: printed ✓\n{said}"));
                }
                // check reports an unreadable input with the others (stdout); diagnose fails with it.
                let (must, stream) = if cmd == "check" {
                    (&out, "stdout")
                } else {
                    (&err, "stderr")
                };
                if !must.contains("cannot read")
                    && !must.contains("stack trace")
                    && !must.contains("empty")
                {
                    failures.push(format!("{name}: no message on {stream}\n{said}"));
                }
            }
        }
    }
    // Binary data, which the readers never see.
    let (code, _, err) = output(
        bin()
            .args(["diagnose", "-"])
            .write_stdin(vec![0u8, 1, 2, 0xff]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("binary"), "{err}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_stack_trace_is_named_as_one() {
    let (code, _, err) = output(bin().args(["diagnose", "-"]).write_stdin(NOT_PAYLOADS[0].1));
    assert_eq!(code, 2);
    assert!(err.contains("stack trace"), "{err}");
}

#[test]
fn answers_are_still_read_as_answers() {
    for answer in [
        "success",
        "SUCCESS\n",
        "fail",
        "<html><body>502 Bad Gateway</body></html>",
    ] {
        let (code, out, err) = output(bin().args(["diagnose", "-"]).write_stdin(answer));
        assert_eq!(code, 1, "{answer}: {out}{err}");
        assert!(out.contains("response-not-json"), "{answer}: {out}");
    }
}

#[test]
fn an_already_decoded_body_verifies_and_is_not_blamed_on_double_decoding() {
    // The platform's demo notify as a framework logs it after decoding: raw `+` and `/` in
    // rsaSign, no `%` anywhere.
    let sent = std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap();
    let decoded = bdpay_core::payload::form::percent_decode(sent.trim());
    assert!(!decoded.contains('%') && decoded.contains('+'));
    let dir = common::tempdir("decoded");
    let f = dir.join("notify.form");
    std::fs::write(&f, &decoded).unwrap();
    let (code, out, err) = output(
        bin()
            .args([
                "diagnose",
                "--key",
                "fixtures/vectors/platform-demo.pub.pem",
            ])
            .arg(&f),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("already decoded"), "{out}");
    assert!(out.contains("signature verified"), "{out}");
    assert!(!out.contains("plus-became-space"), "{out}");
    // Sent as it was sent, it is read as a normal form body.
    let (code, out, _) = output(
        bin()
            .args([
                "diagnose",
                "--key",
                "fixtures/vectors/platform-demo.pub.pem",
            ])
            .arg("fixtures/vectors/notify-demo.form"),
    );
    assert_eq!(code, 0);
    assert!(!out.contains("already decoded"), "{out}");
}

#[test]
fn a_paste_on_a_terminal_is_told_how_to_end() {
    // A real terminal, from util-linux's `script`: the prompt is written before reading.
    let exe = assert_cmd::cargo::cargo_bin("bdpay-doctor");
    let cmd = format!("{} diagnose -", exe.display());
    let mut child = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` (bsdutils) gives the test a terminal");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"success\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        stdin.write_all(&[4]).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("press Ctrl-D"), "{text}");
    assert!(text.contains("response-not-json"), "{text}");
    // Piped input gets no prompt.
    let (_, out, err) = output(bin().args(["diagnose", "-"]).write_stdin("success"));
    assert!(!format!("{out}{err}").contains("Ctrl-D"));
}

/// One paste of each form read, with the mistake in its `bad` copy and none in its `good` one:
/// `fixtures/paste/<form>.{bad,good}.txt`. The read-as line names the form.
#[test]
fn every_paste_form_is_read_and_diagnosed() {
    // (file stem, what the read-as line says, the rule its bad copy raises, extra arguments)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "devtools-expanded",
            "copied from the browser devtools",
            "RSP007",
            &[],
        ),
        ("php-print-r", "PHP print_r output", "RSP007", &[]),
        ("php-var-dump", "PHP var_dump output", "RSP007", &[]),
        ("php-var-export", "PHP var_export output", "RSP007", &[]),
        ("java-map", "Java Map.toString()", "RSP007", &[]),
        ("go-map", "Go fmt %v output", "RSP007", &[]),
        ("python-dict", "Python dict", "RSP007", &[]),
        ("log-laravel", "JSON in a log line after", "RSP007", &[]),
        (
            "log-spring",
            "Java Map.toString() in a log line after",
            "RSP007",
            &[],
        ),
        ("log-nginx", "nginx \\xHH escapes decoded", "RSP007", &[]),
        (
            "curl",
            "in a curl command to https://pay.example.com/api/baidu/notify",
            "SIG003",
            &["--key", "fixtures/vectors/platform-demo.pub.pem"],
        ),
    ];
    let mut failures = Vec::new();
    for (stem, form, rule, extra) in cases {
        for side in ["bad", "good"] {
            let file = format!("fixtures/paste/{stem}.{side}.txt");
            let (code, out, err) = output(bin().arg("diagnose").args(*extra).arg(&file));
            let said = format!("{out}{err}");
            if !out.contains(form) {
                failures.push(format!(
                    "{file}: read-as line does not say {form:?}\n{said}"
                ));
            }
            match side {
                "bad" if code != 1 || !out.contains(rule) => {
                    failures.push(format!("{file}: expected {rule}, exit 1\n{said}"));
                }
                "good" if code != 0 || !out.contains("✓") => {
                    failures.push(format!("{file}: expected a clean run\n{said}"));
                }
                _ => {}
            }
        }
    }
    // The collapsed preview is refused with how to copy the whole object.
    let (code, _, err) =
        output(bin().args(["diagnose", "fixtures/paste/devtools-collapsed.bad.txt"]));
    assert_eq!(code, 2);
    assert!(err.contains("Copy object"), "{err}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
