//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use bdpay_core::payload::Kind;

/// Mirrors a core enum as a clap value enum and maps it back: the core derives no clap traits,
/// and the values and their help are the CLI's business.
macro_rules! arg_enum {
    ($(#[$m:meta])* $arg:ident => $core:path { $($(#[$vm:meta])* $v:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
        pub enum $arg { $($(#[$vm])* $v),* }
        impl From<$arg> for $core {
            fn from(a: $arg) -> Self {
                match a { $($arg::$v => Self::$v),* }
            }
        }
    };
}

arg_enum!(
    /// `--format`.
    Format => bdpay_core::render::Format {
        Human,
        Json,
        Sarif,
        Github,
        /// One JSON object per line: each finding, then `{"summary": ...}`.
        Ndjson,
        /// JUnit XML (Jenkins, GitLab test reports, Azure Pipelines): a test suite per input.
        Junit,
        /// GitLab Code Quality JSON (merge request widget).
        Gitlab,
    }
);

arg_enum!(
    /// `--lang`.
    Lang => bdpay_core::message::Lang { En, Zh }
);

arg_enum!(
    /// `keys convert --to`.
    KeyFormArg => bdpay_core::keys::KeyForm {
        /// PKCS#1 PEM (`BEGIN RSA PRIVATE KEY` / `BEGIN RSA PUBLIC KEY`).
        Pkcs1,
        /// PKCS#8 PEM (`BEGIN PRIVATE KEY`); for a public key, SPKI PEM.
        Pkcs8,
        /// SPKI PEM (`BEGIN PUBLIC KEY`), the public half.
        Spki,
        /// Binary DER (PKCS#8 for private keys, SPKI for public keys).
        Der,
        /// One line of base64 DER without header lines (PKCS#8 / SPKI), the console's form.
        Bare,
        /// What Java's `PKCS8EncodedKeySpec` / `X509EncodedKeySpec` load: same as bare.
        Java,
    }
);

arg_enum!(
    /// `keys gen --language`.
    LanguageArg => bdpay_core::config::ServerLanguage { Java, Php, Go, Node, Python, Dotnet }
);

arg_enum!(
    /// `--kind`.
    KindArg => bdpay_core::payload::Kind {
        /// orderInfo for swan.requestPolymerPayment.
        Order,
        /// The platform's pay notify callback (通知支付状态).
        Notify,
        /// The merchant's answer to the pay notify.
        NotifyResponse,
        /// The platform's refund audit request (请求业务方退款审核).
        RefundAudit,
        /// The merchant's answer to the refund audit request.
        RefundAuditResponse,
        /// The platform's refund notify callback (通知退款状态).
        RefundNotify,
        /// The merchant's answer to the refund notify.
        RefundNotifyResponse,
        /// The merchant's refund request (nuomi.cashier.applyorderrefund).
        RefundApply,
        /// The merchant's cancel-consumption request (nuomi.cashier.syncorderstatus).
        CancelConsumption,
        /// The merchant's order query (queryorderdetail).
        OrderQuery,
    }
);

impl Global {
    /// The output style before the terminal is asked (width, colour): the shell fills those in.
    #[must_use]
    pub fn lang(&self) -> bdpay_core::message::Lang {
        self.lang.map_or_else(lang_from_env, Into::into)
    }
}

/// `zh` for `zh_*` locales, `en` otherwise.
#[must_use]
pub fn lang_from_env() -> bdpay_core::message::Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| crate::host::env(v).filter(|s| !s.is_empty()))
        .filter(|s| s.starts_with("zh"))
        .map_or(bdpay_core::message::Lang::En, |_| {
            bdpay_core::message::Lang::Zh
        })
}

#[derive(Debug, Parser)]
#[command(
    name = "bdpay-doctor",
    version = crate::VERSION,
    about = "Lint and diagnose Baidu Smart Program cashier (百度收银台) integrations",
    long_about = "Lint and diagnose Baidu Smart Program cashier (百度收银台) integrations: orderInfo, \
                  bizInfo, amounts, callback answers and callback URLs, against the platform's FAQ.\n\n\
                  Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, \
                  2 usage, config or input error.",
    after_help = "Examples:\n  bdpay-doctor check --config bdpay.toml payloads/\n  pbpaste | bdpay-doctor diagnose -\n  bdpay-doctor explain errCode:6"
)]
pub struct Cli {
    #[command(flatten)]
    pub root: RootOptions,
    #[command(subcommand)]
    pub command: Command,
}

/// The options given before the subcommand. `--lang` and `--color` apply to every command (and
/// may come anywhere); the others belong to the commands that use them and are listed in their
/// help, but are still accepted here for scripts that write `bdpay-doctor --format json check`.
#[derive(Debug, Args)]
pub struct RootOptions {
    /// Output format [default: human].
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<Format>,
    /// Exit 1 when a finding is at or above this severity [default: error].
    #[arg(long, value_enum, help_heading = "Output")]
    pub fail_on: Option<FailOn>,
    /// Output language [default: zh when LANG is zh_*, else en].
    #[arg(long, global = true, value_enum, help_heading = "Output")]
    pub lang: Option<Lang>,
    /// When to colour the output: auto colours a terminal unless NO_COLOR is set; FORCE_COLOR or
    /// CLICOLOR_FORCE colour a pipe too (CI logs).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Output")]
    pub color: ColorChoice,
    /// Same as --color never.
    #[arg(long, global = true, hide = true)]
    pub no_color: bool,
    /// Print signatures in full in machine-readable output (json, sarif, ndjson); they are
    /// shortened otherwise.
    #[arg(long, help_heading = "Output")]
    pub show_secrets: bool,
    /// Largest single input read, in bytes [default: 10485760].
    #[arg(long, value_name = "BYTES", help_heading = "Input")]
    pub max_size: Option<u64>,
}

/// `--format`, for the commands that print reports or data.
#[derive(Debug, Clone, Default, Args)]
pub struct FormatOpt {
    /// Output format [default: human].
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<Format>,
}

/// `--fail-on`, for the commands whose exit code counts findings.
#[derive(Debug, Clone, Default, Args)]
pub struct FailOpt {
    /// Exit 1 when a finding is at or above this severity [default: error].
    #[arg(long, value_enum, help_heading = "Output")]
    pub fail_on: Option<FailOn>,
}

/// `--show-secrets`, for the commands whose machine output carries signatures.
#[derive(Debug, Clone, Default, Args)]
pub struct SecretsOpt {
    /// Print signatures in full in machine-readable output (json, sarif, ndjson); they are
    /// shortened otherwise.
    #[arg(long, help_heading = "Output")]
    pub show_secrets: bool,
}

/// `--max-size`, for the commands that read inputs.
#[derive(Debug, Clone, Default, Args)]
pub struct InputOpt {
    /// Largest single input read, in bytes [default: 10485760].
    #[arg(long, value_name = "BYTES", help_heading = "Input")]
    pub max_size: Option<u64>,
}

/// The four option groups of the commands that print a report of findings.
#[derive(Debug, Clone, Default, Args)]
pub struct ReportOpts {
    #[command(flatten)]
    pub format: FormatOpt,
    #[command(flatten)]
    pub fail: FailOpt,
    #[command(flatten)]
    pub secrets: SecretsOpt,
    #[command(flatten)]
    pub input: InputOpt,
}

impl ReportOpts {
    fn groups(&self) -> Options<'_> {
        (
            Some(&self.format),
            Some(&self.fail),
            Some(&self.secrets),
            Some(&self.input),
        )
    }
}

/// The options a command runs with: its own, else the root's, else the defaults.
#[derive(Debug, Clone)]
pub struct Global {
    pub format: Format,
    pub fail_on: FailOn,
    pub lang: Option<Lang>,
    pub color: ColorChoice,
    pub no_color: bool,
    pub show_secrets: bool,
    pub max_size: u64,
}

impl Cli {
    /// The options the command runs with.
    #[must_use]
    pub fn global(&self) -> Global {
        let r = &self.root;
        let (format, fail_on, secrets, input) = self.command.options();
        Global {
            format: format
                .and_then(|o| o.format)
                .or(r.format)
                .unwrap_or(Format::Human),
            fail_on: fail_on
                .and_then(|o| o.fail_on)
                .or(r.fail_on)
                .unwrap_or(FailOn::Error),
            lang: r.lang,
            color: r.color,
            no_color: r.no_color,
            show_secrets: r.show_secrets || secrets.is_some_and(|o| o.show_secrets),
            max_size: input
                .and_then(|o| o.max_size)
                .or(r.max_size)
                .unwrap_or(crate::input::DEFAULT_MAX_SIZE),
        }
    }
}

type Options<'a> = (
    Option<&'a FormatOpt>,
    Option<&'a FailOpt>,
    Option<&'a SecretsOpt>,
    Option<&'a InputOpt>,
);

impl Command {
    /// The option groups this command has.
    fn options(&self) -> Options<'_> {
        match self {
            Self::Check(a) => a.report.groups(),
            Self::Diagnose(a) => a.report.groups(),
            Self::Probe(a) => a.report.groups(),
            Self::Simulate(a) => a.report.groups(),
            Self::Audit(a) => a.report.groups(),
            Self::Scan(a) => a.report.groups(),
            Self::Verify(a) => (Some(&a.format), None, None, Some(&a.input)),
            Self::Sign(a) => (Some(&a.format), None, None, Some(&a.size)),
            Self::Explain { format, .. } | Self::Rules { format } => {
                (Some(format), None, None, None)
            }
            Self::Keys(k) => match k {
                KeysCommand::Inspect { format, input, .. }
                | KeysCommand::Match { format, input, .. } => {
                    (Some(format), None, None, Some(input))
                }
                KeysCommand::Convert { input, .. } | KeysCommand::Gen { input, .. } => {
                    (None, None, None, Some(input))
                }
            },
            Self::Init { .. } | Self::Completions { .. } | Self::Man | Self::Schema { .. } => {
                (None, None, None, None)
            }
        }
    }
}

/// `schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaOf {
    /// bdpay.toml.
    Config,
    /// The `--format json` document.
    Output,
    /// One line of `--format ndjson`.
    Ndjson,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Global {
    /// Whether to colour: `--color`, then `NO_COLOR`, then `FORCE_COLOR`/`CLICOLOR_FORCE`, then
    /// whether standard output is a terminal.
    #[must_use]
    pub fn colour(&self, stdout_is_terminal: bool) -> bool {
        let set = |v: &str| crate::host::env(v).is_some_and(|s| !s.is_empty() && s != "0");
        match (self.no_color, self.color) {
            (true, _) | (_, ColorChoice::Never) => false,
            (_, ColorChoice::Always) => true,
            (_, ColorChoice::Auto) => {
                crate::host::env("NO_COLOR").is_none_or(|s| s.is_empty())
                    && (set("FORCE_COLOR") || set("CLICOLOR_FORCE") || stdout_is_terminal)
            }
        }
    }
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
        /// Anything: a rule code (ORD001) or name, a platform code (errCode:6, 10003), a pasted
        /// error object or message, a library's key error, a symptom in your words (收不到回调);
        /// several words are one query; `-` reads it from standard input. Without one, lists the
        /// symptoms and codes known.
        query: Vec<String>,
        #[command(flatten)]
        format: FormatOpt,
    },
    /// List every rule: code, name, default severity, summary.
    Rules {
        #[command(flatten)]
        format: FormatOpt,
    },
    /// Inspect, match, convert and generate keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Sign a payload (or k=v pairs) exactly as the platform expects: the canonical string, the
    /// signature, and the payload with its signature filled in.
    Sign(SignArgs),
    /// Verify a payload's signature; exit 0 when it verifies, 1 with the cause when it does not.
    Verify(VerifyArgs),
    /// Call the callback URLs as the platform does: DNS, connect, TLS, time to answer against the
    /// 2 s limit, the answer's shape, and whether a forged callback is accepted.
    Probe(ProbeArgs),
    /// Act as the platform against your staging handler: send a realistic, validly signed callback
    /// twice and check the answers, their latency and idempotency.
    Simulate(SimulateArgs),
    /// Verify and lint a log of received callbacks, one per line (form bodies, URLs, JSON, or NDJSON
    /// records with the request and your answer; gzip read transparently), on every core.
    Audit(AuditArgs),
    /// Scan your own code (PHP, Java, Go, JavaScript, TypeScript, Python) for the FAQ's mistakes
    /// before any payload exists: the SRC rules, with the line and the fix in that language, and
    /// the key and answer rules on keys and answers written in it.
    Scan(ScanArgs),
    /// Print a shell completion script: `bdpay-doctor completions bash > /etc/bash_completion.d/bdpay-doctor`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `bdpay-doctor man > /usr/local/share/man/man1/bdpay-doctor.1`.
    Man,
    /// Print a JSON Schema: of bdpay.toml (editor completion with Taplo / Even Better TOML), of
    /// `--format json` output, or of one `--format ndjson` line.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        of: SchemaOf,
    },
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

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// What a key is: kind, form, size, fingerprint, damage, and what each language needs.
    Inspect {
        /// The key file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        #[command(flatten)]
        format: FormatOpt,
        #[command(flatten)]
        input: InputOpt,
    },
    /// Whether a private key and a public key belong together (exit 0 yes, 1 no).
    Match {
        /// The private key file.
        private: String,
        /// The public key file.
        public: String,
        #[command(flatten)]
        format: FormatOpt,
        #[command(flatten)]
        input: InputOpt,
    },
    /// Convert a key to another form.
    Convert {
        /// The target form.
        #[arg(long, value_enum)]
        to: KeyFormArg,
        /// The key file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Where to write; `-` for standard output. Private keys are written only where asked.
        #[arg(long, short)]
        out: Option<String>,
        #[command(flatten)]
        input: InputOpt,
    },
    /// Generate a key pair for testing, in the form a language loads.
    Gen {
        /// Key size in bits.
        #[arg(long, default_value_t = 1024)]
        bits: usize,
        /// The server language whose key forms to write [default: from --config, else PEM].
        #[arg(long, value_enum)]
        language: Option<LanguageArg>,
        /// A config whose [keys] language decides the forms.
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Directory to write rsa_private_key and rsa_public_key into.
        #[arg(long, value_name = "DIR", required_unless_present = "stdout")]
        out: Option<PathBuf>,
        /// Print both keys to standard output instead of writing files.
        #[arg(long)]
        stdout: bool,
        #[command(flatten)]
        input: InputOpt,
    },
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The private key file.
    #[arg(long)]
    pub key: String,
    /// The payload file (`-` for standard input), or `k=v` pairs.
    #[arg(default_value = "-")]
    pub input: Vec<String>,
    /// The kind of payload, instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    #[command(flatten)]
    pub format: FormatOpt,
    #[command(flatten)]
    pub size: InputOpt,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The public key (or private key) that should verify the signature [default: the
    /// config's key for the payload's signer].
    #[arg(long, required_unless_present = "config")]
    pub key: Option<String>,
    /// Verify with the keys of this config: the platform public key for callbacks, the
    /// developer public key (or the private key's public half) for the merchant's requests.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The payload file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub file: String,
    /// The kind of payload, instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    #[command(flatten)]
    pub format: FormatOpt,
    #[command(flatten)]
    pub input: InputOpt,
}

#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Network")]
pub struct ProbeOptions {
    /// Requests per URL [default: 5] (`simulate` always sends each callback twice).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub runs: Option<u16>,
    /// Seconds before a request counts as unanswered.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// A DNS server to ask instead of the system's (ADDR:PORT).
    #[arg(long, value_name = "ADDR:PORT")]
    pub dns_server: Option<std::net::SocketAddr>,
    /// Also connect to hosts that resolve to private or loopback addresses.
    #[arg(long)]
    pub allow_private: bool,
    /// Trust this CA certificate (PEM or DER) as well as the public roots (repeatable).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Vec<PathBuf>,
    /// Connect to this address instead of the resolved one, keeping the URL's host name for
    /// Host and TLS (probe a staging server under the real name).
    #[arg(long, value_name = "ADDR:PORT")]
    pub connect_to: Option<std::net::SocketAddr>,
}

/// The callback kinds that can be probed or simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CallbackKind {
    /// The pay notify (通知支付状态).
    Notify,
    /// The refund audit request (请求业务方退款审核).
    RefundAudit,
    /// The refund notify (通知退款状态).
    RefundNotify,
}

impl CallbackKind {
    #[must_use]
    pub const fn kind(self) -> Kind {
        match self {
            Self::Notify => Kind::Notify,
            Self::RefundAudit => Kind::RefundAudit,
            Self::RefundNotify => Kind::RefundNotify,
        }
    }
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The config whose [callbacks] to probe [default when no URL is given: $BDPAY_CONFIG, else
    /// the nearest bdpay.toml from here up to the repository root].
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// URLs to probe instead of the config's.
    pub urls: Vec<String>,
    /// The callback kind of the URLs given.
    #[arg(long, value_enum, default_value_t = CallbackKind::Notify)]
    pub kind: CallbackKind,
    #[command(flatten)]
    pub probe: ProbeOptions,
    #[command(flatten)]
    pub rules: RuleSelection,
    #[command(flatten)]
    pub report: ReportOpts,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Which callback to send.
    #[arg(value_enum)]
    pub callback: CallbackKind,
    /// The handler's URL [default: the config's callback URL of that kind].
    #[arg(long)]
    pub url: Option<String>,
    /// The test platform private key your staging server trusts (its public half): made with
    /// `keys gen`.
    #[arg(long, value_name = "FILE")]
    pub platform_key: String,
    /// Set a field of the callback (repeatable): `--set totalMoney=100`.
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,
    /// Take tpOrderId, amounts and dealId from this orderInfo.
    #[arg(long, value_name = "FILE")]
    pub order: Option<String>,
    /// A config bringing dealId and the callback URLs.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Print the request and an equivalent curl command; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub probe: ProbeOptions,
    #[command(flatten)]
    pub rules: RuleSelection,
    #[command(flatten)]
    pub report: ReportOpts,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan [default: the current directory]. Directories are walked
    /// honouring .gitignore, skipping hidden entries, vendor/, node_modules/ and build output.
    pub paths: Vec<PathBuf>,
    /// A config bringing rule settings ([lint] severity and ignores).
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Print FILE's syntax tree as the queries see it (for rule authors) and exit.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,
    /// Worker threads [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    #[command(flatten)]
    pub rules: RuleSelection,
    #[command(flatten)]
    pub report: ReportOpts,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Log files (plain or gzip), `-` for standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// A config bringing the platform public key, dealId and rule settings.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// The platform public key that verifies the callbacks (instead of the config's).
    #[arg(long, value_name = "FILE")]
    pub key: Option<String>,
    /// Your orders (CSV or NDJSON of tpOrderId,totalAmount in fen): callbacks for other orders or
    /// other amounts are flagged.
    #[arg(long, value_name = "FILE")]
    pub orders: Option<String>,
    /// Worker threads [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Findings kept for human, json, sarif and github output (ndjson streams every one).
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_findings: usize,
    #[command(flatten)]
    pub rules: RuleSelection,
    #[command(flatten)]
    pub report: ReportOpts,
}

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Rule selection")]
pub struct RuleSelection {
    /// Report these rules as errors: codes, names or family prefixes (RSP), comma-separated
    /// or repeated.
    #[arg(
        short = 'D',
        long = "deny",
        value_delimiter = ',',
        value_name = "RULES"
    )]
    pub deny: Vec<String>,
    /// Report these rules as warnings (codes, names or family prefixes).
    #[arg(
        short = 'W',
        long = "warn",
        value_delimiter = ',',
        value_name = "RULES"
    )]
    pub warn: Vec<String>,
    /// Turn these rules off (codes, names or family prefixes).
    #[arg(
        short = 'A',
        long = "allow",
        value_delimiter = ',',
        value_name = "RULES"
    )]
    pub allow: Vec<String>,
    /// Run only these rules (codes, names or family prefixes such as RSP, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The config file [default: $BDPAY_CONFIG, else the nearest bdpay.toml from here up to
    /// the repository root]
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Payload files or directories (searched recursively for .json .js .txt .form .http .url
    /// files); `-` reads one payload from standard input.
    pub paths: Vec<String>,
    /// Treat every payload as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// A key that verifies the payloads' signatures, in addition to the config's keys.
    #[arg(long, value_name = "FILE")]
    pub key: Option<String>,
    /// Your orders (CSV or NDJSON of tpOrderId,totalAmount in fen): refunds larger than their
    /// order are flagged.
    #[arg(long, value_name = "FILE")]
    pub orders: Option<String>,
    /// Also scan code under this directory (default: the current one) for the SRC rules, as
    /// `scan` does.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
    pub scan: Option<PathBuf>,
    /// Also probe the config's callback URLs (network; off by default).
    #[arg(long)]
    pub probe: bool,
    #[command(flatten)]
    pub probe_options: ProbeOptions,
    #[command(flatten)]
    pub rules: RuleSelection,
    #[command(flatten)]
    pub report: ReportOpts,
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
    pub kind: Option<KindArg>,
    /// A key that verifies the payload's signature (public, or private for its public half).
    #[arg(long, value_name = "FILE")]
    pub key: Option<String>,
    /// Your orders (CSV or NDJSON of tpOrderId,totalAmount in fen): refunds larger than their
    /// order are flagged.
    #[arg(long, value_name = "FILE")]
    pub orders: Option<String>,
    /// The string your own code signs (or `@FILE`): compared with the canonical string.
    #[arg(long, value_name = "TEXT")]
    pub their_string: Option<String>,
    #[command(flatten)]
    pub rules: RuleSelection,
    #[command(flatten)]
    pub report: ReportOpts,
}
