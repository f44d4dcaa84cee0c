//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::payload::Kind;
use crate::registry::Lang;
use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "bdpay-doctor",
    version,
    about = "Lint and diagnose Baidu Smart Program cashier (百度收银台) integrations",
    long_about = "Lint and diagnose Baidu Smart Program cashier (百度收银台) integrations: orderInfo, \
                  bizInfo, amounts, callback answers and callback URLs, against the platform's FAQ.\n\n\
                  Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, \
                  2 usage, config or input error.",
    after_help = "Examples:\n  bdpay-doctor check --config bdpay.toml payloads/\n  pbpaste | bdpay-doctor diagnose -\n  bdpay-doctor explain errCode:6"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, global = true, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Output language [default: zh when LANG is zh_*, else en].
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Do not colour the output (`NO_COLOR` is honoured too).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Largest single input read, in bytes.
    #[arg(long, global = true, default_value_t = crate::input::DEFAULT_MAX_SIZE, value_name = "BYTES")]
    pub max_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the config and every payload file under the paths (the CI entry).
    Check(CheckArgs),
    /// Diagnose one pasted payload: a file, or `-` for standard input.
    Diagnose(DiagnoseArgs),
    /// Show a rule's documentation, or the causes of a platform error code (errCode:6, 10003, 930, ...).
    Explain {
        /// A rule code (ORD001), a rule name (orderinfo-not-object) or a platform code.
        query: String,
    },
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Write a commented starter bdpay.toml.
    Init {
        /// Where to write it; `-` for standard output.
        #[arg(default_value = "bdpay.toml")]
        path: String,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct RuleSelection {
    /// Report this rule as an error (code or name; repeatable).
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    pub deny: Vec<String>,
    /// Report this rule as a warning (repeatable).
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,
    /// Turn this rule off (repeatable).
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,
    /// Run only these rules (comma-separated codes or names).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The config file [default: ./bdpay.toml when it exists].
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Payload files or directories (searched recursively for .json .js .txt .form .http .url
    /// files); `-` reads one payload from standard input.
    pub paths: Vec<String>,
    /// Treat every payload as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    #[command(flatten)]
    pub rules: RuleSelection,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// The payload: a file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub file: String,
    /// A config that brings the merchant's appKey, dealId and keys.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// The kind of payload, instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    #[command(flatten)]
    pub rules: RuleSelection,
}
