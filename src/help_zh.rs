//! `--help` in Chinese. clap writes help from the doc comments of `cli.rs` and from its own
//! English words (`Usage:`, `Options:`, `Print help`, `[default: …]`, `Possible values:`). Under
//! `--lang zh` (or a `zh_*` locale) the command line is parsed by a copy of the command whose
//! every text comes from `ZH`, and whose clap-made parts (the `-h`/`--help` and `-V`/`--version`
//! flags, the `help` subcommand, the headings, the usage line, defaults and possible values) are
//! written here in Chinese. The parser itself is the same: same arguments, same ids, same order of
//! positionals, so what parses, what it parses to and the exit codes do not depend on the language.
//!
//! `ZH` is keyed by the English text it translates, as gettext is: an English doc comment
//! reworded no longer finds its old Chinese. The tests below walk the whole command tree and name
//! every English text without Chinese (a new flag, a reworded help) and every Chinese text that
//! nothing uses any more.

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, Command, CommandFactory as _};

use bdpay_core::message::Lang;

/// Every command's path below the root (`[]`, `["check"]`, `["keys", "gen"]`, …), the root
/// first, from the parser's own definition: what the help tests walk, so a new command is
/// checked without being listed.
#[must_use]
pub fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &Command, path: &[String], out: &mut Vec<Vec<String>>) {
        out.push(path.to_vec());
        for sub in cmd.get_subcommands() {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_owned());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&crate::cli::Cli::command(), &[], &mut out);
    out
}

/// The command to parse with, its help in the language asked.
#[must_use]
pub fn command(lang: Lang) -> Command {
    let cmd = crate::cli::Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => localize(cmd),
    }
}

/// `cmd` with its help in Chinese.
#[must_use]
pub fn localize(cmd: Command) -> Command {
    // The English command as clap completes it (help flags, version flag, propagated options):
    // what each part says and whether clap would give it a long help.
    let mut english = cmd.clone();
    english.build();
    let mut cmd = localize_command(cmd, &english);
    localize_help_subcommands(&mut cmd);
    cmd
}

/// clap's own words, in Chinese.
const USAGE: &str = "用法:";
const COMMANDS: &str = "命令";
const ARGUMENTS: &str = "参数";
const OPTIONS: &str = "选项";
const POSSIBLE_VALUES: &str = "可选值";
const DEFAULT: &str = "默认";
const PRINT_HELP: &str = "打印帮助";
const PRINT_HELP_SEE_MORE: &str = "打印帮助（用 '--help' 查看完整说明）";
const PRINT_HELP_SEE_SUMMARY: &str = "打印帮助（用 '-h' 查看摘要）";
const PRINT_VERSION: &str = "打印版本";
const HELP_SUBCOMMAND: &str = "打印本帮助，或指定子命令的帮助";
const HELP_SUBCOMMAND_ARG: &str = "要查看其帮助的子命令";

/// The Chinese of a text of `cli.rs`, found by its English.
#[must_use]
fn zh(english: &str) -> Option<&'static str> {
    ZH.iter().find(|(en, _)| *en == english).map(|(_, zh)| *zh)
}

/// The Chinese of a text, else the English (the tests keep that from happening).
fn tr(english: &str) -> String {
    zh(english).unwrap_or(english).to_owned()
}

fn localize_command(mut cmd: Command, english: &Command) -> Command {
    if let Some(t) = english.get_about() {
        cmd = cmd.about(tr(&t.to_string()));
    }
    if let Some(t) = english.get_long_about() {
        cmd = cmd.long_about(tr(&t.to_string()));
    }
    if let Some(t) = english.get_before_help() {
        cmd = cmd.before_help(tr(&t.to_string()));
    }
    if let Some(t) = english.get_before_long_help() {
        cmd = cmd.before_long_help(tr(&t.to_string()));
    }
    if let Some(t) = english.get_after_help() {
        cmd = cmd.after_help(tr(&t.to_string()));
    }
    if let Some(t) = english.get_after_long_help() {
        cmd = cmd.after_long_help(tr(&t.to_string()));
    }
    let template = template(&cmd);
    cmd = cmd.help_template(template);
    if cmd.has_subcommands() {
        cmd = cmd.subcommand_help_heading(COMMANDS);
    }
    // The options clap would add, added here in Chinese: clap's `-h` is short and `--help` long
    // where some text has a long form, and so is this one.
    let has =
        |action: fn(&ArgAction) -> bool| english.get_arguments().any(|a| action(a.get_action()));
    let long_help = english
        .get_arguments()
        .any(|a| matches!(a.get_action(), ArgAction::Help) && a.get_long_help().is_some());
    if has(|a| matches!(a, ArgAction::Help)) {
        let arg = Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .display_order(999);
        let arg = if long_help {
            arg.help(PRINT_HELP_SEE_MORE)
                .long_help(PRINT_HELP_SEE_SUMMARY)
        } else {
            arg.help(PRINT_HELP)
        };
        cmd = cmd.disable_help_flag(true).arg(arg);
    }
    if has(|a| matches!(a, ArgAction::Version)) {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(PRINT_VERSION)
                .display_order(999),
        );
    }
    cmd = positionals_then_options_first(cmd);
    let mut positional = 0;
    cmd = cmd.mut_args(|arg| {
        let order = arg.is_positional().then(|| {
            positional += 1;
            positional
        });
        match english.get_arguments().find(|e| e.get_id() == arg.get_id()) {
            Some(e) if !matches!(e.get_action(), ArgAction::Help | ArgAction::Version) => {
                localize_arg(arg, e, long_help, order)
            }
            _ => arg.help_heading(OPTIONS),
        }
    });
    cmd.mut_subcommands(|sub| match english.find_subcommand(sub.get_name()) {
        Some(e) => localize_command(sub, e),
        None => sub,
    })
}

/// clap's help template with the usage line's heading in Chinese (the other headings are the
/// arguments' and the subcommands').
fn template(cmd: &Command) -> String {
    let usage = cmd.get_styles().get_usage();
    format!(
        "{{before-help}}{{about-with-newline}}\n{}{USAGE}{} {{usage}}\n\n{{all-args}}{{after-help}}",
        usage.render(),
        usage.render_reset()
    )
}

/// The arguments reordered so that clap's headings come in English's order: clap lists the
/// positionals without a heading first ("Arguments"), then the options without one ("Options"),
/// then each named heading where its first argument stands. In Chinese every argument has a
/// heading, listed in the order of their first arguments: so those come first. Positionals keep
/// their order among themselves, which is what numbers them.
fn positionals_then_options_first(cmd: Command) -> Command {
    let rank = |a: &Arg| match (a.get_help_heading(), a.is_positional()) {
        (None, true) => 0,
        (None, false) => 1,
        (Some(_), _) => 2,
    };
    let mut ordered: Vec<Arg> = cmd.get_arguments().cloned().collect();
    ordered.sort_by_key(rank);
    let mut ordered = ordered.into_iter();
    cmd.mut_args(|a| ordered.next().unwrap_or(a))
}

/// One argument in Chinese. clap's own `[default: …]`, `[possible values: …]` and `Possible
/// values:` are hidden and said here instead, as clap would place them. A long help is given
/// where the English has one (its own, or possible values with help) or where the command has one
/// anyway, so that clap offers `-h` and `--help` as it does in English; the options every command
/// inherits get one only where the English has one.
fn localize_arg(mut arg: Arg, english: &Arg, command_long: bool, positional: Option<usize>) -> Arg {
    arg = match english.get_help_heading() {
        // Headings are `&'static str` in clap; a missing one keeps its English (tests forbid it).
        Some(h) => match zh(h) {
            Some(z) => arg.help_heading(z),
            None => arg,
        },
        None if positional.is_some() => arg.help_heading(ARGUMENTS),
        None => arg.help_heading(OPTIONS),
    };
    if let Some(n) = positional {
        arg = arg.display_order(n);
    }
    if english.is_hide_set() {
        return arg;
    }
    let takes_values = english.get_num_args().is_some_and(|n| n.takes_values());
    let values: Vec<PossibleValue> = english
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let values_help =
        !english.is_hide_possible_values_set() && values.iter().any(|v| v.get_help().is_some());
    let default = (takes_values
        && !english.is_hide_default_value_set()
        && !english.get_default_values().is_empty())
    .then(|| {
        let values: Vec<_> = english
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy())
            .collect();
        format!("[{DEFAULT}：{}]", values.join(" "))
    });
    let listed = (takes_values && !english.is_hide_possible_values_set() && !values.is_empty())
        .then(|| {
            let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
            format!("[{POSSIBLE_VALUES}：{}]", names.join("、"))
        });
    if default.is_some() {
        arg = arg.hide_default_value(true);
    }
    if takes_values && !values.is_empty() {
        arg = arg.hide_possible_values(true);
    }

    let short_text = english.get_help().or(english.get_long_help());
    let mut short = short_text.map(|t| tr(&t.to_string())).unwrap_or_default();
    for spec in [&default, &listed].into_iter().flatten() {
        if !short.is_empty() {
            short.push(' ');
        }
        short.push_str(spec);
    }
    if !short.is_empty() {
        arg = arg.help(short);
    }

    let long_wanted = english.get_long_help().is_some()
        || values_help
        || (command_long && !english.is_global_set());
    if long_wanted {
        let long_text = english.get_long_help().or(english.get_help());
        let mut long = long_text.map(|t| tr(&t.to_string())).unwrap_or_default();
        if values_help {
            let width = values.iter().map(|v| v.get_name().len()).max().unwrap_or(0);
            long.push_str(&format!("\n\n{POSSIBLE_VALUES}："));
            for v in &values {
                long.push_str(&format!("\n- {}", v.get_name()));
                if let Some(h) = v.get_help() {
                    let pad = width - v.get_name().len();
                    long.push_str(&format!("：{:pad$}{}", "", tr(&h.to_string())));
                }
            }
        }
        let specs: Vec<&String> = if values_help {
            default.iter().collect()
        } else {
            [&default, &listed].into_iter().flatten().collect()
        };
        if !specs.is_empty() {
            long.push_str("\n\n");
            long.push_str(
                &specs
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        arg = arg.long_help(long);
    }
    arg
}

/// clap adds a `help` subcommand to every command with subcommands when it builds that command.
/// Builds those commands now, exactly as parsing would build them (`render_usage` builds the
/// command it is called on, no deeper), and says their `help` in Chinese.
fn localize_help_subcommands(cmd: &mut Command) {
    if !cmd.has_subcommands() {
        return;
    }
    let _ = cmd.render_usage();
    for sub in cmd.get_subcommands_mut() {
        if sub.get_name() == "help" {
            let template = template(sub);
            *sub = std::mem::take(sub)
                .about(HELP_SUBCOMMAND)
                .help_template(template)
                .mut_args(|a| {
                    let heading = if a.is_positional() {
                        ARGUMENTS
                    } else {
                        OPTIONS
                    };
                    a.help(HELP_SUBCOMMAND_ARG).help_heading(heading)
                });
        } else {
            localize_help_subcommands(sub);
        }
    }
}

/// Every text of `cli.rs`, English → Chinese: commands, arguments, possible values, headings.
/// Platform terms as the platform writes them (支付管理 › 服务详情, 平台公钥, 开发者公钥,
/// 验签, 核销); identifiers, flags, file names and formats as written.
const ZH: &[(&str, &str)] = &[
    // Headings.
    ("Output", "输出"),
    ("Input", "输入"),
    ("Network", "网络"),
    ("Rule selection", "规则选择"),
    // bdpay-doctor.
    (
        "Lint and diagnose Baidu Smart Program cashier (百度收银台) integrations",
        "检查并诊断百度智能小程序收银台（百度收银台）的接入",
    ),
    (
        "Lint and diagnose Baidu Smart Program cashier (百度收银台) integrations: orderInfo, \
         bizInfo, amounts, callback answers and callback URLs, against the platform's FAQ.\n\n\
         Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, \
         config or input error.",
        "对照平台的支付常见问题（FAQ），检查并诊断百度智能小程序收银台（百度收银台）的接入：\
         orderInfo、bizInfo、金额、回调应答和回调地址。\n\n\
         退出码：0 表示没有达到 --fail-on 级别的问题；1 表示有达到或高于该级别的问题；\
         2 表示用法、配置或输入有误。",
    ),
    (
        "Examples:\n  bdpay-doctor check --config bdpay.toml payloads/\n  \
         pbpaste | bdpay-doctor diagnose -\n  bdpay-doctor explain errCode:6",
        "示例:\n  bdpay-doctor check --config bdpay.toml payloads/\n  \
         pbpaste | bdpay-doctor diagnose -\n  bdpay-doctor explain errCode:6",
    ),
    // Output and input options.
    ("Output format [default: human]", "输出格式 [默认：human]"),
    (
        "One JSON object per line: each finding, then `{\"summary\": ...}`",
        "每行一个 JSON 对象，先逐条输出问题，最后一行是 `{\"summary\": ...}`",
    ),
    (
        "JUnit XML (Jenkins, GitLab test reports, Azure Pipelines): a test suite per input",
        "JUnit XML（Jenkins、GitLab 测试报告、Azure Pipelines），每个输入一个测试套件",
    ),
    (
        "GitLab Code Quality JSON (merge request widget)",
        "GitLab 代码质量（Code Quality）JSON，显示在合并请求中",
    ),
    (
        "Exit 1 when a finding is at or above this severity [default: error]",
        "有问题达到或高于此严重级别时，退出码为 1 [默认：error]",
    ),
    (
        "Output language [default: zh when LANG is zh_*, else en]",
        "输出语言 [默认：LANG 为 zh_* 时是 zh，否则是 en]",
    ),
    (
        "When to colour the output: auto colours a terminal unless NO_COLOR is set; FORCE_COLOR \
         or CLICOLOR_FORCE colour a pipe too (CI logs)",
        "何时给输出着色：auto 在终端中着色（设置了 NO_COLOR 时除外）；设置 FORCE_COLOR 或 \
         CLICOLOR_FORCE 后，输出到管道时也着色（如 CI 日志）",
    ),
    (
        "Print signatures in full in machine-readable output (json, sarif, ndjson); they are \
         shortened otherwise",
        "在机器可读的输出（json、sarif、ndjson）中完整打印签名；否则签名会被截短",
    ),
    (
        "Largest single input read, in bytes [default: 10485760]",
        "单个输入最多读取的字节数 [默认：10485760]",
    ),
    // Rule selection.
    (
        "Report these rules as errors: codes, names or family prefixes (RSP), comma-separated or \
         repeated",
        "把这些规则报告为错误：规则代码、名称或规则族前缀（如 RSP），用逗号分隔或重复给出",
    ),
    (
        "Report these rules as warnings (codes, names or family prefixes)",
        "把这些规则报告为警告（规则代码、名称或规则族前缀）",
    ),
    (
        "Turn these rules off (codes, names or family prefixes)",
        "关闭这些规则（规则代码、名称或规则族前缀）",
    ),
    (
        "Run only these rules (codes, names or family prefixes such as RSP, comma-separated)",
        "只运行这些规则（规则代码、名称或 RSP 这样的规则族前缀，用逗号分隔）",
    ),
    // Network.
    (
        "Requests per URL [default: 5] (`simulate` always sends each callback twice)",
        "每个地址请求的次数 [默认：5]（`simulate` 总是把每个回调发送两次）",
    ),
    (
        "Seconds before a request counts as unanswered",
        "请求超过这么多秒仍无应答，即算作未应答",
    ),
    (
        "A DNS server to ask instead of the system's (ADDR:PORT)",
        "改用这台 DNS 服务器解析域名，而不用系统的（ADDR:PORT）",
    ),
    (
        "Also connect to hosts that resolve to private or loopback addresses",
        "域名解析到内网地址或回环地址时也照样连接",
    ),
    (
        "Trust this CA certificate (PEM or DER) as well as the public roots (repeatable)",
        "除公共根证书外，也信任这个 CA 证书（PEM 或 DER；可重复给出）",
    ),
    (
        "Connect to this address instead of the resolved one, keeping the URL's host name for \
         Host and TLS (probe a staging server under the real name)",
        "连接这个地址而不是解析出的地址，Host 请求头和 TLS 仍用 URL 中的主机名\
         （用正式域名探测测试环境的服务器）",
    ),
    // Payload kinds.
    (
        "orderInfo for swan.requestPolymerPayment",
        "swan.requestPolymerPayment 的 orderInfo",
    ),
    (
        "The platform's pay notify callback (通知支付状态)",
        "平台发来的支付结果通知回调（通知支付状态）",
    ),
    (
        "The merchant's answer to the pay notify",
        "开发者对支付结果通知的应答",
    ),
    (
        "The platform's refund audit request (请求业务方退款审核)",
        "平台发来的退款审核请求（请求业务方退款审核）",
    ),
    (
        "The merchant's answer to the refund audit request",
        "开发者对退款审核请求的应答",
    ),
    (
        "The platform's refund notify callback (通知退款状态)",
        "平台发来的退款结果通知回调（通知退款状态）",
    ),
    (
        "The merchant's answer to the refund notify",
        "开发者对退款结果通知的应答",
    ),
    (
        "The merchant's refund request (nuomi.cashier.applyorderrefund)",
        "开发者发起的申请退款请求（nuomi.cashier.applyorderrefund）",
    ),
    (
        "The merchant's cancel-consumption request (nuomi.cashier.syncorderstatus)",
        "开发者发起的取消核销请求（nuomi.cashier.syncorderstatus）",
    ),
    (
        "The merchant's order query (queryorderdetail)",
        "开发者发起的订单查询（queryorderdetail）",
    ),
    (
        "The kind of payload, instead of detecting it",
        "报文类型（指定后不再自动识别）",
    ),
    // check.
    (
        "Lint the config and every payload file under the paths (the CI entry)",
        "检查配置文件，以及给定路径下的每个报文文件（CI 中使用的入口）",
    ),
    (
        "The config file [default: $BDPAY_CONFIG, else the nearest bdpay.toml from here up to \
         the repository root]",
        "配置文件 [默认：$BDPAY_CONFIG；未设置时，从当前目录向上查找（直到仓库根目录）最近的 bdpay.toml]",
    ),
    (
        "Payload files or directories (searched recursively for .json .js .txt .form .http .url \
         files); `-` reads one payload from standard input",
        "报文文件或目录（目录下递归查找 .json .js .txt .form .http .url 文件）；\
         `-` 表示从标准输入读取一个报文",
    ),
    (
        "Treat every payload as this kind instead of detecting it",
        "把每个报文都当作这种类型，不再自动识别",
    ),
    (
        "A key that verifies the payloads' signatures, in addition to the config's keys",
        "除配置中的密钥外，再用这个密钥验证报文的签名",
    ),
    (
        "Your orders (CSV or NDJSON of tpOrderId,totalAmount in fen): refunds larger than their \
         order are flagged",
        "你的订单（CSV 或 NDJSON，列为 tpOrderId,totalAmount，金额以分为单位）：\
         退款金额大于原订单的会被标出",
    ),
    (
        "Also scan code under this directory (default: the current one) for the SRC rules, as \
         `scan` does",
        "同时按 SRC 规则扫描这个目录下的代码（不写目录时为当前目录），与 `scan` 命令相同",
    ),
    (
        "Also probe the config's callback URLs (network; off by default)",
        "同时探测配置中的回调地址（需要联网；默认不探测）",
    ),
    // diagnose.
    (
        "Diagnose one pasted payload: a file, or `-` for standard input",
        "诊断一段粘贴来的报文：给出文件，或用 `-` 从标准输入读取",
    ),
    (
        "The payload: a file, or `-` for standard input",
        "报文：文件，或 `-` 表示标准输入",
    ),
    (
        "A config that brings the merchant's appKey, dealId and keys",
        "提供开发者 appKey、dealId 和密钥的配置文件",
    ),
    (
        "A key that verifies the payload's signature (public, or private for its public half)",
        "验证报文签名用的密钥（公钥；给出私钥时用它的公钥部分）",
    ),
    (
        "The string your own code signs (or `@FILE`): compared with the canonical string",
        "你自己的代码拿去签名的字符串（或用 `@FILE` 从文件读取）：与正确的签名串逐项对比",
    ),
    // explain.
    (
        "Show a rule's documentation, or the causes of a platform error code (errCode:6, 10003, \
         930, ...)",
        "显示规则的说明，或平台错误码的可能原因（errCode:6、10003、930 等）",
    ),
    (
        "Anything: a rule code (ORD001) or name, a platform code (errCode:6, 10003), a pasted \
         error object or message, a library's key error, a symptom in your words (收不到回调); \
         several words are one query; `-` reads it from standard input. Without one, lists the \
         symptoms and codes known",
        "任何内容：规则代码（ORD001）或名称、平台错误码（errCode:6、10003）、粘贴来的错误对象\
         或报错信息、某个库报出的密钥错误、用你自己的话描述的现象（收不到回调）；多个词合起来算\
         一次查询；`-` 表示从标准输入读取。不给出时，列出已知的现象和错误码",
    ),
    // rules.
    (
        "List every rule: code, name, default severity, summary",
        "列出全部规则：代码、名称、默认严重级别、简介",
    ),
    // keys.
    (
        "Inspect, match, convert and generate keys",
        "查看、配对、转换和生成密钥",
    ),
    (
        "What a key is: kind, form, size, fingerprint, damage, and what each language needs",
        "查看密钥的情况：类型、格式、长度、指纹、损坏之处，以及各语言需要的格式",
    ),
    (
        "The key file, or `-` for standard input",
        "密钥文件，或 `-` 表示标准输入",
    ),
    (
        "Whether a private key and a public key belong together (exit 0 yes, 1 no)",
        "判断私钥与公钥是否为一对（是则退出码为 0，否则为 1）",
    ),
    ("The private key file", "私钥文件"),
    ("The public key file", "公钥文件"),
    ("Convert a key to another form", "把密钥转换为另一种格式"),
    ("The target form", "目标格式"),
    (
        "PKCS#1 PEM (`BEGIN RSA PRIVATE KEY` / `BEGIN RSA PUBLIC KEY`)",
        "PKCS#1 格式的 PEM（`BEGIN RSA PRIVATE KEY` / `BEGIN RSA PUBLIC KEY`）",
    ),
    (
        "PKCS#8 PEM (`BEGIN PRIVATE KEY`); for a public key, SPKI PEM",
        "PKCS#8 PEM（`BEGIN PRIVATE KEY`）；公钥则为 SPKI PEM",
    ),
    (
        "SPKI PEM (`BEGIN PUBLIC KEY`), the public half",
        "SPKI PEM（`BEGIN PUBLIC KEY`），即公钥部分",
    ),
    (
        "Binary DER (PKCS#8 for private keys, SPKI for public keys)",
        "二进制 DER（私钥为 PKCS#8，公钥为 SPKI）",
    ),
    (
        "One line of base64 DER without header lines (PKCS#8 / SPKI), the console's form",
        "一行 base64 DER，不带首尾标记行（PKCS#8 / SPKI），即平台控制台（支付管理 › 服务详情）\
         中填写的形式",
    ),
    (
        "What Java's `PKCS8EncodedKeySpec` / `X509EncodedKeySpec` load: same as bare",
        "Java 的 `PKCS8EncodedKeySpec` / `X509EncodedKeySpec` 加载的格式：与 bare 相同",
    ),
    (
        "Where to write; `-` for standard output. Private keys are written only where asked",
        "写到哪里；`-` 表示标准输出。私钥只写到明确指定的地方",
    ),
    (
        "Generate a key pair for testing, in the form a language loads",
        "生成测试用的密钥对，格式为所选语言能直接加载的形式",
    ),
    ("Key size in bits", "密钥长度（位）"),
    (
        "The server language whose key forms to write [default: from --config, else PEM]",
        "按哪种服务端语言所需的格式写出密钥 [默认：取自 --config，否则为 PEM]",
    ),
    (
        "A config whose [keys] language decides the forms",
        "配置文件：由其中 [keys] 的 language 决定格式",
    ),
    (
        "Directory to write rsa_private_key and rsa_public_key into",
        "写入 rsa_private_key 和 rsa_public_key 的目录",
    ),
    (
        "Print both keys to standard output instead of writing files",
        "把两个密钥都打印到标准输出，不写文件",
    ),
    // sign.
    (
        "Sign a payload (or k=v pairs) exactly as the platform expects: the canonical string, \
         the signature, and the payload with its signature filled in",
        "完全按平台的要求给报文（或 k=v 参数）签名：给出签名串、签名，以及填好签名的报文",
    ),
    (
        "The payload file (`-` for standard input), or `k=v` pairs",
        "报文文件（`-` 表示标准输入），或若干 `k=v` 参数",
    ),
    // verify.
    (
        "Verify a payload's signature; exit 0 when it verifies, 1 with the cause when it does not",
        "验证报文的签名：验签通过时退出码为 0；不通过时为 1，并给出原因",
    ),
    (
        "The public key (or private key) that should verify the signature [default: the \
         config's key for the payload's signer]",
        "用来验签的公钥（或私钥） [默认：配置中报文签名方对应的密钥]",
    ),
    (
        "Verify with the keys of this config: the platform public key for callbacks, the \
         developer public key (or the private key's public half) for the merchant's requests",
        "用这个配置中的密钥验签：平台发来的回调用平台公钥，开发者发出的请求用开发者公钥\
         （或开发者私钥的公钥部分）",
    ),
    (
        "The payload file, or `-` for standard input",
        "报文文件，或 `-` 表示标准输入",
    ),
    // probe.
    (
        "Call the callback URLs as the platform does: DNS, connect, TLS, time to answer against \
         the 2 s limit, the answer's shape, and whether a forged callback is accepted",
        "像平台一样调用回调地址：检查域名解析、建立连接、TLS、应答耗时是否在 2 秒上限内、\
         应答格式，以及伪造的回调会不会被接受",
    ),
    (
        "The config whose [callbacks] to probe [default when no URL is given: $BDPAY_CONFIG, \
         else the nearest bdpay.toml from here up to the repository root]",
        "要探测其 [callbacks] 的配置文件 [未给出地址时默认：$BDPAY_CONFIG；未设置时，从当前目录\
         向上查找（直到仓库根目录）最近的 bdpay.toml]",
    ),
    (
        "URLs to probe instead of the config's",
        "要探测的地址（代替配置中的回调地址）",
    ),
    (
        "The callback kind of the URLs given",
        "所给地址接收的回调类型",
    ),
    (
        "The pay notify (通知支付状态)",
        "支付结果通知（通知支付状态）",
    ),
    (
        "The refund audit request (请求业务方退款审核)",
        "退款审核请求（请求业务方退款审核）",
    ),
    (
        "The refund notify (通知退款状态)",
        "退款结果通知（通知退款状态）",
    ),
    // simulate.
    (
        "Act as the platform against your staging handler: send a realistic, validly signed \
         callback twice and check the answers, their latency and idempotency",
        "扮演平台调用你测试环境的回调接口：把一个逼真且签名有效的回调发送两次，检查应答、\
         应答耗时和幂等性",
    ),
    ("Which callback to send", "发送哪种回调"),
    (
        "The handler's URL [default: the config's callback URL of that kind]",
        "回调接口的地址 [默认：配置中这类回调的地址]",
    ),
    (
        "The test platform private key your staging server trusts (its public half): made with \
         `keys gen`",
        "测试用的平台私钥（你的测试环境服务器信任它的公钥部分）：用 `keys gen` 生成",
    ),
    (
        "Set a field of the callback (repeatable): `--set totalMoney=100`",
        "设置回调中的字段（可重复给出）：`--set totalMoney=100`",
    ),
    (
        "Take tpOrderId, amounts and dealId from this orderInfo",
        "从这个 orderInfo 中取 tpOrderId、金额和 dealId",
    ),
    (
        "A config bringing dealId and the callback URLs",
        "提供 dealId 和回调地址的配置文件",
    ),
    (
        "Print the request and an equivalent curl command; send nothing",
        "只打印请求和等效的 curl 命令，不发送",
    ),
    // audit.
    (
        "Verify and lint a log of received callbacks, one per line (form bodies, URLs, JSON, or \
         NDJSON records with the request and your answer; gzip read transparently), on every core",
        "验签并检查收到的回调日志，每行一条（表单请求体、URL、JSON，或含请求和你方应答的 NDJSON \
         记录；gzip 压缩的日志可直接读取），并行使用全部 CPU 核心",
    ),
    (
        "Log files (plain or gzip), `-` for standard input",
        "日志文件（纯文本或 gzip），`-` 表示标准输入",
    ),
    (
        "A config bringing the platform public key, dealId and rule settings",
        "提供平台公钥、dealId 和规则设置的配置文件",
    ),
    (
        "The platform public key that verifies the callbacks (instead of the config's)",
        "验证回调签名用的平台公钥（代替配置中的平台公钥）",
    ),
    (
        "Your orders (CSV or NDJSON of tpOrderId,totalAmount in fen): callbacks for other orders \
         or other amounts are flagged",
        "你的订单（CSV 或 NDJSON，列为 tpOrderId,totalAmount，金额以分为单位）：\
         订单号不在其中或金额不符的回调会被标出",
    ),
    (
        "Worker threads [default: the number of cores]",
        "工作线程数 [默认：CPU 核心数]",
    ),
    (
        "Findings kept for human, json, sarif and github output (ndjson streams every one)",
        "human、json、sarif 和 github 输出最多保留的问题条数（ndjson 会逐条输出全部问题）",
    ),
    // scan.
    (
        "Scan your own code (PHP, Java, Go, JavaScript, TypeScript, Python) for the FAQ's \
         mistakes before any payload exists: the SRC rules, with the line and the fix in that \
         language, and the key and answer rules on keys and answers written in it",
        "还没有报文时，先扫描你自己的代码（PHP、Java、Go、JavaScript、TypeScript、Python），\
         找出 FAQ 中列出的错误：运行 SRC 规则，指出所在行并给出该语言的改法；代码中写出的密钥\
         和应答，也按密钥规则和应答规则检查",
    ),
    (
        "Files and directories to scan [default: the current directory]. Directories are \
         walked honouring .gitignore, skipping hidden entries, vendor/, node_modules/ and build \
         output",
        "要扫描的文件和目录 [默认：当前目录]。遍历目录时遵守 .gitignore，跳过隐藏的文件和目录、\
         vendor/、node_modules/ 以及构建输出",
    ),
    (
        "A config bringing rule settings ([lint] severity and ignores)",
        "提供规则设置的配置文件（[lint] 中的严重级别和忽略项）",
    ),
    (
        "Print FILE's syntax tree as the queries see it (for rule authors) and exit",
        "按查询看到的样子打印 FILE 的语法树（供规则作者使用），然后退出",
    ),
    // completions, man, schema, init.
    (
        "Print a shell completion script: `bdpay-doctor completions bash > \
         /etc/bash_completion.d/bdpay-doctor`",
        "打印 shell 补全脚本：`bdpay-doctor completions bash > \
         /etc/bash_completion.d/bdpay-doctor`",
    ),
    ("The shell", "哪种 shell"),
    (
        "Print the man page (roff): `bdpay-doctor man > /usr/local/share/man/man1/bdpay-doctor.1`",
        "打印 man 手册页（roff 格式）：`bdpay-doctor man > \
         /usr/local/share/man/man1/bdpay-doctor.1`",
    ),
    (
        "Print a JSON Schema: of bdpay.toml (editor completion with Taplo / Even Better TOML), \
         of `--format json` output, or of one `--format ndjson` line",
        "打印 JSON Schema，可选：bdpay.toml 的（配合 Taplo / Even Better TOML 在编辑器中补全）、\
         `--format json` 输出的，或 `--format ndjson` 输出中一行的",
    ),
    ("Which schema", "哪一份 Schema"),
    ("bdpay.toml", "配置文件 bdpay.toml"),
    ("The `--format json` document", "`--format json` 输出的文档"),
    (
        "One line of `--format ndjson`",
        "`--format ndjson` 输出中的一行",
    ),
    (
        "Write a commented starter bdpay.toml",
        "写出一份带注释的 bdpay.toml 模板",
    ),
    (
        "Where to write it; `-` for standard output",
        "写到哪里；`-` 表示标准输出",
    ),
    ("Overwrite an existing file", "覆盖已有的文件"),
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use clap::FromArgMatches as _;
    use clap::error::ErrorKind;

    use super::*;
    use crate::cli::Cli;

    /// Every English text `cli.rs` gives clap to show, with where it is shown: each command's
    /// texts, and each visible argument's help, heading and possible values' help.
    fn english_texts() -> Vec<(String, String)> {
        fn walk(cmd: &Command, name: &str, out: &mut Vec<(String, String)>) {
            let texts = [
                ("about", cmd.get_about()),
                ("long about", cmd.get_long_about()),
                ("before help", cmd.get_before_help()),
                ("before long help", cmd.get_before_long_help()),
                ("after help", cmd.get_after_help()),
                ("after long help", cmd.get_after_long_help()),
            ];
            for (what, text) in texts {
                if let Some(t) = text {
                    out.push((format!("`{name}` {what}"), t.to_string()));
                }
            }
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let arg = a
                    .get_long()
                    .map_or_else(|| format!("<{}>", a.get_id()), |l| format!("--{l}"));
                if let Some(t) = a.get_help() {
                    out.push((format!("`{name} {arg}` help"), t.to_string()));
                }
                if let Some(t) = a.get_long_help() {
                    out.push((format!("`{name} {arg}` long help"), t.to_string()));
                }
                if let Some(h) = a.get_help_heading() {
                    out.push((format!("`{name} {arg}` heading"), h.to_owned()));
                }
                for v in a.get_possible_values().iter().filter(|v| !v.is_hide_set()) {
                    if let Some(t) = v.get_help() {
                        let value = v.get_name();
                        out.push((format!("`{name} {arg} {value}` help"), t.to_string()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{name} {}", sub.get_name()), out);
            }
        }
        let mut out = Vec::new();
        walk(&Cli::command(), "bdpay-doctor", &mut out);
        out
    }

    #[test]
    fn every_text_of_the_cli_has_chinese() {
        let missing: Vec<String> = english_texts()
            .into_iter()
            .filter(|(_, en)| zh(en).is_none())
            .map(|(place, en)| format!("{place}: {en:?}"))
            .collect();
        assert!(
            missing.is_empty(),
            "{} English help texts have no Chinese: add each to help_zh::ZH, keyed by its \
             English exactly:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    #[test]
    fn every_chinese_text_is_used_once() {
        let used: HashSet<String> = english_texts().into_iter().map(|(_, en)| en).collect();
        let stale: Vec<&str> = ZH
            .iter()
            .map(|(en, _)| *en)
            .filter(|en| !used.contains(*en))
            .collect();
        assert!(
            stale.is_empty(),
            "help_zh::ZH translates English that cli.rs no longer shows (reworded or removed): \
             translate the new English, delete these:\n{}",
            stale.join("\n")
        );
        let mut seen = HashSet::new();
        let twice: Vec<&str> = ZH
            .iter()
            .map(|(en, _)| *en)
            .filter(|en| !seen.insert(*en))
            .collect();
        assert!(twice.is_empty(), "translated twice: {twice:?}");
        let english: Vec<&str> = ZH
            .iter()
            .filter(|(_, zh)| !zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
            .map(|(en, _)| *en)
            .collect();
        assert!(
            english.is_empty(),
            "no Chinese in the Chinese of: {english:?}"
        );
    }

    /// What clap prints for these arguments under `--lang zh`.
    fn zh_help(args: &[&str]) -> String {
        let mut argv = vec!["bdpay-doctor"];
        argv.extend_from_slice(args);
        let e = command(Lang::Zh).try_get_matches_from(&argv).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DisplayHelp, "{argv:?}: {e}");
        e.render().to_string()
    }

    #[test]
    fn the_chinese_help_has_no_english_left() {
        // clap's own words, and every text of cli.rs that has words to translate.
        let clap = [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "Print help",
            "Print version",
            "Print this message",
            "Possible values",
            "possible values",
            "[default:",
            "see more",
            "see a summary",
        ];
        let texts = english_texts();
        let mut runs: Vec<Vec<String>> = Vec::new();
        for path in super::command_paths() {
            for flag in ["-h", "--help"] {
                let mut args = path.clone();
                args.push(flag.to_owned());
                runs.push(args);
            }
            if !path.is_empty() {
                let mut args = vec!["help".to_owned()];
                args.extend(path.iter().cloned());
                runs.push(args);
            }
        }
        runs.push(vec!["help".to_owned()]);
        runs.push(vec!["keys".to_owned(), "help".to_owned()]);
        let mut found = Vec::new();
        for args in &runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let text = zh_help(&args);
            assert!(text.contains(USAGE), "{args:?}:\n{text}");
            for word in clap {
                if text.contains(word) {
                    found.push(format!("{args:?}: clap's {word:?}"));
                }
            }
            for (place, en) in &texts {
                if en.contains(' ') && text.contains(en.as_str()) {
                    found.push(format!("{args:?}: {place} {en:?}"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "English in the Chinese help:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_chinese_help_keeps_the_english_layout() {
        // Headings in English's order, `-h` short and `--help` long where English has both.
        let root = zh_help(&["--help"]);
        let at = |s: &str| root.find(s).unwrap_or_else(|| panic!("{s}:\n{root}"));
        assert!(
            at("命令:") < at("选项:") && at("选项:") < at("输出:") && at("输出:") < at("输入:")
        );
        assert!(root.contains("打印帮助（用 '-h' 查看摘要）"), "{root}");
        assert!(zh_help(&["-h"]).contains("打印帮助（用 '--help' 查看完整说明）"));
        let check = zh_help(&["check", "--help"]);
        let at = |s: &str| check.find(s).unwrap_or_else(|| panic!("{s}:\n{check}"));
        assert!(at("参数:") < at("选项:") && at("选项:") < at("网络:"));
        assert!(at("网络:") < at("规则选择:") && at("规则选择:") < at("输出:"));
        assert!(
            check.contains("- refund-notify-response：开发者对退款结果通知的应答"),
            "{check}"
        );
        assert!(check.contains("[默认：5]"), "{check}");
        // No long help in English, none in Chinese: one line per option.
        let keys = zh_help(&["keys", "--help"]);
        assert!(keys.contains("  -h, --help  打印帮助\n"), "{keys}");
        let matching = zh_help(&["keys", "match", "-h"]);
        assert!(
            matching.find("<PRIVATE>") < matching.find("<PUBLIC>"),
            "{matching}"
        );
    }

    /// The parse, or the error, as the program sees it.
    fn outcome(lang: Lang, argv: &[&str]) -> String {
        match command(lang).try_get_matches_from(argv) {
            Ok(mut m) => format!("{:?}", Cli::from_arg_matches_mut(&mut m)),
            Err(e) if e.kind() == ErrorKind::DisplayHelp => "help".to_owned(),
            Err(e) if e.kind() == ErrorKind::DisplayVersion => e.render().to_string(),
            Err(e) => format!("{:?} {:?}", e.kind(), crate::usage::error(&e).message),
        }
    }

    #[test]
    fn chinese_parses_every_command_line_as_english_does() {
        let lines: &[&[&str]] = &[
            &["check"],
            &[
                "--format",
                "json",
                "check",
                "-c",
                "x.toml",
                "a",
                "b",
                "--kind",
                "notify",
                "-W",
                "ORD001,RSP",
                "--probe",
                "--runs",
                "3",
                "--scan",
            ],
            &["keys", "match", "private.pem", "public.pem"],
            &["keys", "inspect"],
            &["keys", "convert", "--to", "bare", "-o", "-", "k.pem"],
            &[
                "keys",
                "gen",
                "--stdout",
                "--bits",
                "2048",
                "--language",
                "go",
            ],
            &["sign", "--key", "k", "a=1", "b=2"],
            &["verify", "--config", "c.toml", "-"],
            &[
                "simulate",
                "refund-audit",
                "--platform-key",
                "k",
                "--set",
                "a=1",
                "--dry-run",
            ],
            &[
                "audit",
                "l1",
                "l2.gz",
                "--max-findings",
                "5",
                "-A",
                "x",
                "--jobs",
                "2",
            ],
            &["explain", "errCode:6", "收不到回调"],
            &["explain"],
            &["rules", "--lang", "zh", "--color", "never"],
            &["init", "-", "--force"],
            &["schema", "ndjson"],
            &["completions", "zsh"],
            &["man"],
            &["diagnose", "--their-string", "@f", "x", "--orders", "o.csv"],
            &["scan", "--jobs", "2", ".", "--dump", "f.php"],
            &[
                "probe",
                "--timeout",
                "1.5",
                "--ca-cert",
                "a.pem",
                "--ca-cert",
                "b.pem",
                "http://x",
            ],
            &["--no-color", "--max-size", "10", "check", "--show-secrets"],
            // Mistakes, help and version.
            &[],
            &["check", "--bogus"],
            &["--format", "xml", "check"],
            &["chek"],
            &["sign"],
            &["keys"],
            &["keys", "match", "a"],
            &["keys", "gen"],
            &["keys", "convert", "--to", "pem"],
            &["probe", "--runs", "0"],
            &["verify"],
            &["audit"],
            &["init", "a", "b"],
            &["help", "bogus"],
            &["help", "help", "check"],
            &["help", "keys", "gen"],
            &["check", "--help"],
            &["keys", "-h"],
            &["-V"],
            &["--version"],
            &["check", "-V"],
        ];
        for line in lines {
            let mut argv = vec!["bdpay-doctor"];
            argv.extend_from_slice(line);
            assert_eq!(
                outcome(Lang::En, &argv),
                outcome(Lang::Zh, &argv),
                "{argv:?}"
            );
        }
    }

    #[test]
    fn clap_accepts_the_chinese_command() {
        command(Lang::Zh).debug_assert();
    }
}
