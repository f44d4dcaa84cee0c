//! Helpers the command-line test files share: the binary with a fixed environment, its output,
//! fresh temporary directories, and the runs of a private key that must never be printed.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use bdpay_core::keys::{self, Target};

/// The binary, colourless and in English whatever the machine's locale.
#[must_use]
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("bdpay-doctor").unwrap();
    c.env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL");
    c
}

/// Exit code, stdout and stderr of a run.
pub fn output(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// A new empty directory under the system's temporary directory.
#[must_use]
pub fn tempdir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "bdpay-doctor-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// 16-character runs of a private key's base64 (PKCS#1, PKCS#8 and bare forms) that its public
/// half does not contain: none may ever be printed.
#[must_use]
pub fn secret_runs(pem_path: &str) -> Vec<String> {
    let k = keys::read(&std::fs::read(pem_path).unwrap()).unwrap();
    let public = k.public_only().unwrap();
    let mut public_text = String::new();
    for t in [Target::Spki, Target::Pkcs1, Target::Bare] {
        public_text.push_str(&String::from_utf8(keys::convert(&public, t).unwrap()).unwrap());
    }
    let mut runs = Vec::new();
    for form in [Target::Pkcs1, Target::Pkcs8, Target::Bare] {
        let text = String::from_utf8(keys::convert(&k, form).unwrap()).unwrap();
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        // The first 48 characters encode the DER header (lengths, version, algorithm), the same
        // for every key of this size and form, and quoted in the rule docs: not secret.
        for i in (48..body.len().saturating_sub(16)).step_by(8) {
            let run = &body[i..i + 16];
            if !public_text.contains(run) {
                runs.push(run.to_owned());
            }
        }
    }
    runs
}
