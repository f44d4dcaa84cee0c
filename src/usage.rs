//! Command-line mistakes in the output language. clap writes its errors in English; under
//! `--lang zh` (or a `zh_*` locale) the common ones are said again in Chinese with the values
//! clap found, and any other keeps clap's words quoted. `--help` needs no second saying: the
//! parser is given a command whose help is already in the language asked (`help_zh`).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use bdpay_core::error::ToolError;
use bdpay_core::message::{Lang, Msg};
use bdpay_core::msg;
use bdpay_core::render::Format;

/// The language and format asked for on a command line that did not parse: `--lang`/`--format`
/// as written (`--lang zh`, `--lang=zh`), else the locale and human text.
#[must_use]
pub fn asked(args: &[OsString]) -> (Lang, Format) {
    let words: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let value = |flag: &str| {
        words.iter().enumerate().find_map(|(i, w)| {
            w.strip_prefix(&format!("{flag}="))
                .map(str::to_owned)
                .or_else(|| (w == flag).then(|| words.get(i + 1).cloned()).flatten())
        })
    };
    let lang = match value("--lang").as_deref() {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => crate::cli::lang_from_env(),
    };
    let format = match value("--format").as_deref() {
        Some("json") => Format::Json,
        Some("sarif") => Format::Sarif,
        Some("github") => Format::Github,
        Some("ndjson") => Format::Ndjson,
        Some("junit") => Format::Junit,
        Some("gitlab") => Format::Gitlab,
        _ => Format::Human,
    };
    (lang, format)
}

/// A clap error as the tool's own error, in both languages.
#[must_use]
pub fn error(e: &clap::Error) -> ToolError {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let (arg, value) = (get(ContextKind::InvalidArg), get(ContextKind::InvalidValue));
    let clap_text = e
        .render()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_owned();
    let message = match e.kind() {
        ErrorKind::UnknownArgument => msg!("unknown option {arg}", "未知的选项 {arg}"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand);
            msg!("unknown command {sub}", "未知的命令 {sub}")
        }
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if valid.is_empty() {
                msg!("{arg} needs a value", "{arg} 需要一个值")
            } else {
                msg!(
                    "{arg} does not take {value:?}; it takes one of: {valid}",
                    "{arg} 不接受 {value:?}；可选值：{valid}"
                )
            }
        }
        ErrorKind::ValueValidation => {
            msg!("{arg} does not take {value:?}", "{arg} 不接受 {value:?}")
        }
        ErrorKind::MissingRequiredArgument => msg!("missing: {arg}", "缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            msg!("a command is missing", "缺少命令")
        }
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg);
            msg!(
                "{arg} cannot be used with {other}",
                "{arg} 不能与 {other} 同时使用"
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            msg!(
                "{arg} was given the wrong number of values",
                "{arg} 的取值个数不对"
            )
        }
        _ => Msg::new(
            clap_text.clone(),
            format!("命令行参数有误：「{clap_text}」"),
        ),
    };
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(get)
    .find(|s| !s.is_empty());
    let help = match suggested {
        Some(s) => msg!(
            "did you mean {s}? `bdpay-doctor --help` lists the commands and options",
            "是否想写 {s}？`bdpay-doctor --help` 列出全部命令和选项"
        ),
        None => msg!(
            "`bdpay-doctor --help` lists the commands and options; `bdpay-doctor COMMAND --help` a command's",
            "`bdpay-doctor --help` 列出全部命令和选项；`bdpay-doctor 命令 --help` 列出某个命令的选项"
        ),
    };
    ToolError::new(message).help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn err(args: &[&str]) -> ToolError {
        let e = crate::cli::Cli::try_parse_from(args).unwrap_err();
        error(&e)
    }

    #[test]
    fn common_mistakes_are_said_in_both_languages() {
        let e = err(&["bdpay-doctor", "check", "--bogus"]);
        assert_eq!(e.message.zh, "未知的选项 --bogus");
        let e = err(&["bdpay-doctor", "--format", "xml", "check"]);
        assert!(e.message.zh.contains("不接受 \"xml\""), "{:?}", e.message);
        assert!(e.message.zh.contains("sarif"), "{:?}", e.message);
        let e = err(&["bdpay-doctor", "chek"]);
        assert!(e.message.zh.contains("未知的命令 chek"), "{:?}", e.message);
        assert!(e.help.unwrap().zh.contains("check"));
    }

    #[test]
    fn the_asked_language_and_format_are_found_unparsed() {
        let a = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            asked(&a(&["x", "--lang", "zh", "--format=json", "--bogus"])),
            (Lang::Zh, Format::Json)
        );
        assert_eq!(asked(&a(&["x", "--lang=en"])).0, Lang::En);
    }
}
