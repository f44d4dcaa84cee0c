//! What both benchmarks share: the OpenSSL baseline measured in the same run.

use std::process::Command;

/// `openssl speed -seconds N rsa1024`: (sign/s, verify/s) on one core, or `None` without openssl.
#[must_use]
pub fn openssl_speed(seconds: u32) -> Option<(f64, f64)> {
    let o = Command::new("openssl")
        .args(["speed", "-seconds", &seconds.to_string(), "rsa1024"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("rsa 1024"))?;
    // "rsa 1024 bits 0.000069s 0.000004s 14493.1 247524.8"
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let n = nums.len();
    (n >= 2).then(|| (nums[n - 2], nums[n - 1]))
}
