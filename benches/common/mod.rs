//! What both benchmarks share: the OpenSSL baseline measured in the same run.

use std::process::Command;

/// `openssl speed -seconds N rsa1024`: (sign/s, verify/s) on one core, or `None` without openssl.
#[must_use]
pub fn openssl_speed(seconds: u32) -> Option<(f64, f64)> {
    // `-elapsed`: wall-clock time, as the figures it is compared with are measured. Without it
    // `openssl speed` divides by its user CPU time, which on a shared machine leaves out the
    // time the hypervisor gave to others, and the comparison would mix two clocks.
    let o = Command::new("openssl")
        .args([
            "speed",
            "-elapsed",
            "-seconds",
            &seconds.to_string(),
            "rsa1024",
        ])
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
