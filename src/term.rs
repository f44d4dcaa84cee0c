//! The one way out: every byte the CLI prints goes through here (clippy forbids the print macros
//! and `std::io::stdout`/`stderr` elsewhere). Private key material is masked on the way out.
#![allow(clippy::disallowed_methods)] // the one module that may name stdout and stderr

use std::io::{IsTerminal as _, Write as _};

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
/// Private key material is masked here as a last line of defence, whatever produced the text
/// (a message quoting a pasted value, a JSON string, a snippet).
pub fn out(s: &str) {
    out_raw(bdpay_core::redact::redact(s).as_deref().unwrap_or(s));
}

/// Writes to standard output as is: only for a key the user asked to have printed
/// (`keys convert --out -`, `keys gen --stdout`).
pub fn out_raw(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(s.as_bytes()).and_then(|()| o.flush());
}

/// Writes bytes to standard output as they are: a DER key the user asked for (`--out -`).
pub fn out_bytes(b: &[u8]) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(b).and_then(|()| o.flush());
}

/// The output language of this run, for the few words the shell prints on its own (set once by
/// `main_with_args`).
static LANG: std::sync::OnceLock<bdpay_core::message::Lang> = std::sync::OnceLock::new();

/// Sets the run's output language.
pub fn set_lang(lang: bdpay_core::message::Lang) {
    let _ = LANG.set(lang);
}

/// When standard input is a terminal, says how to end a paste before waiting for it: a
/// `diagnose -` typed by hand otherwise waits without a word.
pub fn prompt_for_paste() {
    if std::io::stdin().is_terminal() {
        let m = bdpay_core::msg!(
            "paste the payload, then press Ctrl-D on a new line (Ctrl-Z then Enter on Windows)\n",
            "粘贴报文后，在新的一行按 Ctrl-D 结束（Windows 上按 Ctrl-Z 再回车）\n"
        );
        err(m.get(LANG.get().copied().unwrap_or_default()));
    }
}

/// Whether standard output is a terminal.
#[must_use]
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether standard error is a terminal (progress lines are drawn only there).
#[must_use]
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A buffered writer on standard output for streamed lines (`--format ndjson`): the caller
/// masks each line before writing it.
#[must_use]
pub fn stream() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// Writes to standard error, private key material masked.
pub fn err(s: &str) {
    let s = bdpay_core::redact::redact(s).unwrap_or_else(|| s.to_owned());
    let mut o = std::io::stderr().lock();
    let _ = o.write_all(s.as_bytes()).and_then(|()| o.flush());
}
