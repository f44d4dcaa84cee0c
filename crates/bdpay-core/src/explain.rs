//! `explain` and `rules`: a rule's doc by code or name, the catalogue, and the platform's error
//! codes with their causes in the order to check them.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::json;

use crate::error::ToolError;
use crate::message::{Lang, Msg};
use crate::msg;
use crate::registry::{self, RuleMeta};
use crate::render::Format;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformCode {
    pub ids: Vec<String>,
    pub title: Msg,
    #[serde(rename = "where")]
    pub where_: Msg,
    pub faq: String,
    pub url: String,
    #[serde(default)]
    pub cause: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub en: String,
    pub zh: String,
    #[serde(default)]
    pub rules: Vec<String>,
    pub manual: Option<Msg>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    code: Vec<PlatformCode>,
}

/// Every platform code the tool can explain.
///
/// # Panics
/// When the compiled-in file does not parse (a test failure, never a user's).
#[must_use]
pub fn platform_codes() -> &'static [PlatformCode] {
    static CODES: OnceLock<Vec<PlatformCode>> = OnceLock::new();
    CODES.get_or_init(|| {
        toml::from_str::<CodeFile>(include_str!("../rules/platform-codes.toml"))
            .unwrap_or_else(|e| panic!("rules/platform-codes.toml: {e}"))
            .code
    })
}

/// What merchants say when something is wrong (`收不到回调`, `isConsumed`), with the checks to
/// make; the same shape as a platform code.
///
/// # Panics
/// When the compiled-in file does not parse (a test failure, never a user's).
#[must_use]
pub fn symptoms() -> &'static [PlatformCode] {
    static SYMPTOMS: OnceLock<Vec<PlatformCode>> = OnceLock::new();
    SYMPTOMS.get_or_init(|| {
        toml::from_str::<CodeFile>(include_str!("../rules/symptoms.toml"))
            .unwrap_or_else(|e| panic!("rules/symptoms.toml: {e}"))
            .code
    })
}

/// A symptom whose phrasing the query holds, or that holds the query (`验签` finds
/// `验签失败`); case, spaces and punctuation do not matter.
#[must_use]
pub fn find_symptom(q: &str) -> Option<&'static PlatformCode> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let q = norm(q);
    if q.chars().count() < 2 {
        return None;
    }
    let hit = |id: &String| {
        let id = norm(id);
        q.contains(&id) || (q.chars().count() >= 2 && id.contains(&q))
    };
    symptoms()
        .iter()
        .chain(platform_codes())
        .find(|c| c.ids.iter().any(hit))
}

/// A platform code by any of its spellings: `errCode:6`, `errcode 6`, `6`, `10003`.
#[must_use]
pub fn find_code(q: &str) -> Option<&'static PlatformCode> {
    let norm = |s: &str| {
        s.to_ascii_lowercase()
            .replace(['：', ' ', '='], ":")
            .replace("errno:", "")
            .replace("errcode:", "")
            .replace("errcode", "")
            .trim_matches(':')
            .to_owned()
    };
    let q = norm(q);
    platform_codes()
        .iter()
        .find(|c| c.ids.iter().any(|id| norm(id) == q))
}

/// `explain CODE|NAME|PLATFORM-CODE`.
pub fn explain(q: &str, lang: Lang, format: Format) -> Result<String, ToolError> {
    if let Some(rule) = registry::find(q) {
        return Ok(match format {
            Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab => {
                to_json(&rule_json(rule, lang, true))
            }
            _ => rule_doc(rule, lang),
        });
    }
    if let Some(code) = find_code(q).or_else(|| find_symptom(q)) {
        return Ok(match format {
            Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab => {
                to_json(&code_json(code, lang))
            }
            _ => code_doc(code, lang),
        });
    }
    let e = ToolError::new(msg!(
        "no rule or platform code named `{q}`",
        "没有名为 `{q}` 的规则或平台错误码"
    ));
    Err(match registry::nearest(q) {
        Some(n) => e.help(msg!(
            "did you mean `{n}`? the `rules` command lists every rule",
            "是否想查 `{n}`？`rules` 命令列出全部规则"
        )),
        None => e.help(msg!(
            "the `rules` command lists every rule; platform codes such as errCode:6, 10003 or 930 are explained too",
            "`rules` 命令列出全部规则；也可以查平台错误码，例如 errCode:6、10003、930"
        )),
    })
}

/// `explain` with nothing to explain: the symptoms and platform codes it knows.
#[must_use]
pub fn index(lang: Lang, format: Format) -> String {
    let entry = |c: &PlatformCode| (c.ids[0].clone(), c.title.get(lang).to_owned());
    let symptoms: Vec<(String, String)> = symptoms().iter().map(entry).collect();
    let codes: Vec<(String, String)> = platform_codes().iter().map(entry).collect();
    if matches!(
        format,
        Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab
    ) {
        let list = |v: &[(String, String)]| {
            v.iter()
                .map(|(id, t)| json!({"query": id, "title": t}))
                .collect::<Vec<_>>()
        };
        return to_json(&json!({"symptoms": list(&symptoms), "platform_codes": list(&codes)}));
    }
    let mut s = msg!(
        "Explain a rule (ORD004, sign-fields-range-not-1), a platform code or a symptom:\n\nsymptoms\n",
        "可以查询规则（ORD004、sign-fields-range-not-1）、平台错误码或现象：\n\n现象\n"
    )
    .get(lang)
    .to_owned();
    for (id, t) in &symptoms {
        s.push_str(&format!("  {id:<24} {t}\n"));
    }
    s.push_str(msg!("\nplatform codes\n", "\n平台错误码\n").get(lang));
    for (id, t) in &codes {
        s.push_str(&format!("  {id:<24} {t}\n"));
    }
    s
}

fn to_json(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn rule_json(r: &RuleMeta, lang: Lang, doc: bool) -> serde_json::Value {
    let mut j = json!({
        "code": r.code,
        "name": r.name,
        "severity": r.severity.as_str(),
        "summary": r.summary.get(lang),
        "fix": r.fix.get(lang),
        "faq": r.faq,
        "url": r.url,
    });
    if doc {
        j["doc"] = json!(r.doc.get(lang));
    }
    j
}

fn rule_doc(r: &RuleMeta, lang: Lang) -> String {
    let (sev, fix, faq) = match lang {
        Lang::En => ("Default severity", "Fix", "Derived from"),
        Lang::Zh => ("默认级别", "修复", "出处"),
    };
    format!(
        "# {} ({})\n\n{}: {}\n{}: {} <{}>\n\n{}\n\n{}: {}\n",
        r.name,
        r.code,
        sev,
        r.severity.as_str(),
        faq,
        r.faq,
        r.url,
        r.doc.get(lang).trim(),
        fix,
        r.fix.get(lang),
    )
}

/// How a cause is checked: the rules, with their codes.
fn cause_rules(c: &Step) -> Vec<String> {
    c.rules
        .iter()
        .map(|n| match registry::find(n) {
            Some(r) => format!("{} {}", r.code, r.name),
            None => format!("{n} (planned)"),
        })
        .collect()
}

fn code_doc(c: &PlatformCode, lang: Lang) -> String {
    // A symptom's ids are search phrasings in both languages: its title heads the page.
    let is_symptom = symptoms().iter().any(|x| std::ptr::eq(x, c));
    let heading = if is_symptom {
        c.title.get(lang).to_owned()
    } else {
        format!("{} — {}", c.ids.join(" / "), c.title.get(lang))
    };
    let mut s = format!(
        "# {heading}\n\n{}: {}\n{}: {} <{}>\n\n",
        lang.pick("Where", "出现位置"),
        c.where_.get(lang),
        lang.pick("Derived from", "出处"),
        c.faq,
        c.url,
    );
    if !c.cause.is_empty() {
        s.push_str(lang.pick(
            "Causes, in the order to check them:\n\n",
            "原因（按检查顺序）：\n\n",
        ));
    }
    for (i, cause) in c.cause.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, lang.pick(&cause.en, &cause.zh)));
        let rules = cause_rules(cause);
        if !rules.is_empty() {
            s.push_str(&format!(
                "   {}: {}\n",
                lang.pick("checked by", "检查规则"),
                rules.join(", ")
            ));
        }
        if let Some(m) = &cause.manual {
            s.push_str(&format!(
                "   {}: {}\n",
                lang.pick("check by hand", "人工检查"),
                m.get(lang)
            ));
        }
    }
    s
}

fn code_json(c: &PlatformCode, lang: Lang) -> serde_json::Value {
    json!({
        "ids": c.ids,
        "title": c.title.get(lang),
        "where": c.where_.get(lang),
        "faq": c.faq,
        "url": c.url,
        "causes": c.cause.iter().map(|x| json!({
            "cause": lang.pick(&x.en, &x.zh),
            "rules": cause_rules(x),
            "manual": x.manual.as_ref().map(|m| m.get(lang)),
        })).collect::<Vec<_>>(),
    })
}

/// `rules`: the catalogue.
#[must_use]
pub fn catalogue(lang: Lang, format: Format) -> String {
    let rules = registry::all();
    match format {
        Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab => to_json(
            &serde_json::Value::Array(rules.iter().map(|r| rule_json(r, lang, false)).collect()),
        ),
        _ => {
            let w = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut s = String::new();
            for r in rules {
                s.push_str(&format!(
                    "{}  {:<w$}  {:<7}  {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary.get(lang)
                ));
            }
            s
        }
    }
}
