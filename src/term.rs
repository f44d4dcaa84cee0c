//! The one way out: every byte the CLI prints goes through here (clippy forbids the print macros
//! and `std::io::stdout`/`stderr` elsewhere), and leaves through `host`. Private key material is
//! masked on the way out.

use crate::host::{self, Stream};

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
/// Private key material is masked here as a last line of defence, whatever produced the text
/// (a message quoting a pasted value, a JSON string, a snippet).
pub fn out(s: &str) {
    out_raw(bdpay_core::redact::redact(s).as_deref().unwrap_or(s));
}

/// Writes to standard output as is: only for a key the user asked to have printed
/// (`keys convert --out -`, `keys gen --stdout`).
pub fn out_raw(s: &str) {
    host::put(Stream::Out, s.as_bytes());
}

/// Writes bytes to standard output as they are: a DER key the user asked for (`--out -`).
pub fn out_bytes(b: &[u8]) {
    host::put(Stream::Out, b);
}

/// The output language of this run, for the few words the shell prints on its own (set by
/// `main_with_args` at the start of each run: the WebAssembly build runs many in one process).
static LANG: std::sync::Mutex<bdpay_core::message::Lang> =
    std::sync::Mutex::new(bdpay_core::message::Lang::En);

/// Sets the run's output language.
pub fn set_lang(lang: bdpay_core::message::Lang) {
    if let Ok(mut l) = LANG.lock() {
        *l = lang;
    }
}

fn lang() -> bdpay_core::message::Lang {
    LANG.lock().map(|l| *l).unwrap_or_default()
}

/// When standard input is a terminal, says how to end a paste before waiting for it: a
/// `diagnose -` typed by hand otherwise waits without a word.
pub fn prompt_for_paste() {
    if host::is_terminal(Stream::In) {
        let m = bdpay_core::msg!(
            "paste the payload, then press Ctrl-D on a new line (Ctrl-Z then Enter on Windows)\n",
            "粘贴报文后，在新的一行按 Ctrl-D 结束（Windows 上按 Ctrl-Z 再回车）\n"
        );
        err(m.get(lang()));
    }
}

/// Whether standard output is a terminal.
#[must_use]
pub fn stdout_is_terminal() -> bool {
    host::is_terminal(Stream::Out)
}

/// Whether standard error is a terminal (progress lines are drawn only there).
#[must_use]
pub fn stderr_is_terminal() -> bool {
    host::is_terminal(Stream::Err)
}

/// A buffered writer on standard output for streamed lines (`--format ndjson`): the caller
/// masks each line before writing it.
#[cfg(feature = "native")]
#[must_use]
#[allow(clippy::disallowed_methods)] // a locked stdout for streaming, native only
pub fn stream() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// Writes to standard error, private key material masked.
pub fn err(s: &str) {
    let s = bdpay_core::redact::redact(s).unwrap_or_else(|| s.to_owned());
    host::put(Stream::Err, s.as_bytes());
}
