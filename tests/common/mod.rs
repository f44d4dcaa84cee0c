//! Helpers the command-line test files share: the binary with a fixed environment, its output,
//! fresh temporary directories, and the runs of a private key that must never be printed.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use bdpay_core::keys::{self, KeyForm};

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

/// A new empty directory under the system's temporary directory, removed with everything in it
/// when the value is dropped (at the end of the test that made it, pass or fail).
#[must_use]
pub fn tempdir(tag: &str) -> TempDir {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "bdpay-doctor-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

/// A temporary directory that removes itself.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a directory tree (files and folders) to `to`.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
        let (src, dest) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dest);
        } else {
            std::fs::copy(&src, &dest).unwrap();
        }
    }
}

/// 16-character runs of a private key's base64 (PKCS#1, PKCS#8 and bare forms) that its public
/// half does not contain: none may ever be printed.
#[must_use]
pub fn secret_runs(pem_path: &str) -> Vec<String> {
    let k = keys::read(&std::fs::read(pem_path).unwrap()).unwrap();
    let public = k.public_only().unwrap();
    let mut public_text = String::new();
    for t in [KeyForm::Spki, KeyForm::Pkcs1, KeyForm::Bare] {
        public_text.push_str(&String::from_utf8(keys::convert(&public, t).unwrap()).unwrap());
    }
    let mut runs = Vec::new();
    for form in [KeyForm::Pkcs1, KeyForm::Pkcs8, KeyForm::Bare] {
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

/// Runs of three or more English words in text printed for `--lang zh`, outside what is not
/// prose: code spans (`…`), quoted values ("…", 「…」), URLs, paths, identifiers (camelCase,
/// snake_case, kebab-case, codes with digits, ALL CAPS), code blocks, and the lines of a snippet
/// that show the input itself. Each run is returned with its line.
#[must_use]
pub fn english_runs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code || is_snippet_line(t) {
            continue;
        }
        let prose = strip_quoted(line);
        let mut run: Vec<&str> = Vec::new();
        let mut flush = |run: &mut Vec<&str>| {
            if run.len() >= 3 {
                found.push(format!("{:?} in: {line}", run.join(" ")));
            }
            run.clear();
        };
        // Tokens are split at whitespace and at punctuation that cannot join an identifier.
        let mut start = None;
        let bytes: Vec<(usize, char)> = prose.char_indices().collect();
        for (n, &(i, c)) in bytes.iter().enumerate() {
            let joins = c.is_ascii_alphanumeric() || "-_.#/@$%:=+'".contains(c);
            if joins && start.is_none() {
                start = Some(i);
            }
            let end = !joins || n + 1 == bytes.len();
            if end {
                if let Some(s) = start.take() {
                    let e = if joins { i + c.len_utf8() } else { i };
                    let tok = prose[s..e].trim_end_matches([':', '.', '\'']);
                    if is_english_word(tok) {
                        run.push(tok);
                    } else if !tok.is_empty() && !tok.bytes().all(|b| b.is_ascii_digit()) {
                        // Numbers sit inside prose ("3 errors, 1 warning"); anything else
                        // that is not a word (an identifier, a code) ends the run.
                        flush(&mut run);
                    }
                }
                // ASCII separators continue a run; anything else (CJK, CJK punctuation, box
                // drawing, marks) ends it.
                if !(joins || c.is_ascii_whitespace() || ",;()!?\"".contains(c)) {
                    flush(&mut run);
                }
            }
        }
        flush(&mut run);
    }
    found
}

/// A line of a miette snippet showing the input (`12 │ …`), its frame, or a raw HTTP request
/// line the probe shows as sent.
fn is_snippet_line(t: &str) -> bool {
    let digits = t.trim_start_matches(|c: char| c.is_ascii_digit());
    (digits.len() < t.len() && digits.trim_start().starts_with('│'))
        || t.starts_with("│ ")
        || t.starts_with("╭─[")
        || t.starts_with("╰──")
        || t.starts_with('·') && !t.contains('╰')
}

/// The line with code spans and quoted values blanked out.
fn strip_quoted(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut close: Option<char> = None;
    for c in line.chars() {
        match close {
            Some(end) if c == end => {
                close = None;
                out.push(' ');
            }
            Some(_) => {}
            None => match c {
                '`' => close = Some('`'),
                '"' => close = Some('"'),
                '「' => close = Some('」'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// A word of English prose, not an identifier, code, path, URL or technical abbreviation.
fn is_english_word(tok: &str) -> bool {
    const TECHNICAL: [&str; 24] = [
        "json",
        "base64",
        "url",
        "urls",
        "http",
        "https",
        "utf",
        "gbk",
        "ok",
        "success",
        "fail",
        "null",
        "true",
        "false",
        "undefined",
        "errno",
        "msg",
        "data",
        "swan",
        "faq",
        "sha",
        "ascii",
        "tls",
        "dns",
    ];
    !tok.is_empty()
        && tok.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
        && tok.chars().any(|c| c.is_ascii_lowercase())
        && !tok.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && !TECHNICAL.contains(&tok.to_ascii_lowercase().as_str())
}
