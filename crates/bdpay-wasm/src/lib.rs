//! The CLI as one WebAssembly export. `run(args)` is `bdpay-doctor args…` with the JavaScript
//! host (`globalThis.bdpayHost`, see `npm/lib/host.js`) standing in for the file system,
//! standard streams and environment; it returns the exit code. The npm package's `bin` and API
//! and the paste page all call it, so they run exactly the native CLI's commands.

use wasm_bindgen::prelude::*;

/// Runs `bdpay-doctor` with these arguments (the first is the program name) and returns the exit
/// code: 0 clean, 1 findings at or above `--fail-on`, 2 an error.
#[wasm_bindgen]
#[must_use]
pub fn run(args: Vec<String>) -> u8 {
    bdpay_doctor::run(args)
}

/// The tool's version, for `npx bdpay-doctor --version` checks and the page's footer.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
