//! The engine of bdpay-doctor: reads what merchants paste (payloads, configs, keys, callback
//! logs), runs the FAQ-derived rules, signs and verifies as the platform does, names the cause of
//! a failing signature and renders every report to a `String`.
//!
//! It does no IO: no files, environment, network, threads, clocks or terminal. The caller (the
//! CLI shell, the WASM binding) reads inputs, passes text and bytes in, and prints what comes out.

pub mod audit;
pub mod config;
pub mod error;
pub mod explain;
pub mod fastrsa;
pub mod finding;
pub mod input;
pub mod keys;
pub mod message;
pub mod payload;
pub mod probe;
pub mod redact;
pub mod registry;
pub mod render;
pub mod rules;
pub mod sign;
pub mod source;
pub mod util;

/// The starter config written by `init`, with its comments in English.
pub const STARTER_CONFIG: &str = include_str!("starter.toml");

/// The starter config with its comments in Chinese; the settings are the same.
pub const STARTER_CONFIG_ZH: &str = include_str!("starter.zh.toml");

/// The starter config for `lang`.
#[must_use]
pub const fn starter_config(lang: message::Lang) -> &'static str {
    match lang {
        message::Lang::En => STARTER_CONFIG,
        message::Lang::Zh => STARTER_CONFIG_ZH,
    }
}

/// A file of the repository's `fixtures/`, for the unit tests (cargo runs them in this crate's
/// directory).
#[cfg(test)]
fn fixture(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}
