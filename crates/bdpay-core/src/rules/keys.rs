//! Key rules: every key in `[keys]` reads, is of the right kind and size, is in the form the
//! server language loads, and the three keys relate as they must. Findings point at the config
//! entry; key material is never shown.

use super::{Ctx, Sink};
use crate::config::KeyOrigin;
use crate::finding::Report;
use crate::keys::ring::{Entry, Role};
use crate::keys::{self, Key, Structure};
use crate::source::Span;

/// The config's key entries with their keys, when the rule runs on the config.
fn entries<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Entry> {
    let on_config = ctx.config_only().is_some();
    ctx.ring
        .entries
        .iter()
        .filter(move |e| on_config && e.role != Role::Given)
}

fn what(e: &Entry) -> String {
    e.label.clone()
}

fn report(ctx: &Ctx<'_>, sink: &mut Sink, e: &Entry, en: String, zh: String, label: (&str, &str)) {
    report_at(ctx, sink, e, e.span, (en, zh), label);
}

fn report_at(
    ctx: &Ctx<'_>,
    sink: &mut Sink,
    e: &Entry,
    span: Span,
    msg: (String, String),
    label: (&str, &str),
) {
    sink.report(
        Report::new(&e.source, span, ctx.t(msg.0, msg.1))
            .label(ctx.t(label.0.into(), label.1.into())),
    );
}

/// KEY001
pub fn key_unreadable(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Err(err) = &e.read else { continue };
        if err.not_rsa {
            continue;
        }
        report(
            ctx,
            sink,
            e,
            format!(
                "{} cannot be read: {}; {}",
                what(e),
                err.looks_like,
                err.stopped
            ),
            format!("{} 无法读取：{}；{}", what(e), err.looks_like, err.stopped),
            ("unreadable key", "无法读取的密钥"),
        );
    }
}

/// KEY002
pub fn key_header_mismatch(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Ok(k) = &e.read else { continue };
        if !k.label_mismatch {
            continue;
        }
        let keys::Armor::Pem(label) = &k.armor else {
            continue;
        };
        let right = k.structure.pem_label();
        report(
            ctx,
            sink,
            e,
            format!(
                "{} is labelled `BEGIN {label}` but holds a {}: the header should be `BEGIN {right}`",
                what(e),
                k.structure.describe()
            ),
            format!(
                "{} 的标签是 `BEGIN {label}`，内容却是 {}：应为 `BEGIN {right}`",
                what(e),
                k.structure.describe()
            ),
            ("header and body disagree", "标签与内容不符"),
        );
    }
}

/// KEY003
pub fn key_whitespace_damage(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Ok(k) = &e.read else { continue };
        if k.damage.is_empty() {
            continue;
        }
        let list: Vec<&str> = k.damage.iter().map(|d| d.describe()).collect();
        let target = ctx.ring.language.map_or(
            if k.structure.is_private() {
                "pkcs8"
            } else {
                "spki"
            },
            |l| target_name(keys::target_for(l, k.structure.is_private())),
        );
        let mut r = Report::new(
            &e.source,
            e.span,
            ctx.t(
                format!("{} reads only after cleanup: {}", what(e), list.join("; ")),
                format!("{} 需清理后才能读取：{}", what(e), list.join("；")),
            ),
        )
        .label(ctx.t("damaged in transport".into(), "传输中损坏".into()));
        r = r.help(ctx.t(
            format!("store the cleaned key: `bdpay-doctor keys convert --to {target} FILE`; keep keys in files, or escape line breaks once and unescape them when loading"),
            format!("保存清理后的密钥：`bdpay-doctor keys convert --to {target} FILE`；密钥尽量放在文件中，或在读取时正确还原换行"),
        ));
        sink.report(r);
    }
}

/// KEY004
pub fn key_encrypted(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Ok(k) = &e.read else { continue };
        if k.structure != Structure::EncryptedPkcs8 {
            continue;
        }
        report(
            ctx,
            sink,
            e,
            format!("{} is encrypted with a passphrase", what(e)),
            format!("{} 使用了口令加密", what(e)),
            ("encrypted key", "加密的私钥"),
        );
    }
}

/// KEY005
pub fn key_wrong_kind(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let (en, zh) = match &e.read {
            Err(err) if err.not_rsa => (
                format!("{} is not an RSA key: {}", what(e), err.stopped),
                format!("{} 不是 RSA 密钥：{}", what(e), err.stopped),
            ),
            Err(_) => continue,
            Ok(k) => {
                let private_role = e.role == Role::Private;
                let (en, zh) = match k.structure {
                    Structure::Certificate => (
                        "holds a certificate, not a key".to_owned(),
                        "是证书，不是密钥".to_owned(),
                    ),
                    s if private_role && !s.is_private() => (
                        format!("holds a public key ({})", s.describe()),
                        format!("存放的是公钥（{}）", s.describe()),
                    ),
                    s if !private_role && s.is_private() => (
                        format!(
                            "holds a private key ({}) where a public key belongs",
                            s.describe()
                        ),
                        format!("需要公钥的位置存放了私钥（{}）", s.describe()),
                    ),
                    _ => continue,
                };
                (format!("{} {en}", what(e)), format!("{} {zh}", what(e)))
            }
        };
        report(ctx, sink, e, en, zh, ("wrong kind of key", "密钥类型不对"));
    }
}

fn target_name(t: keys::Target) -> &'static str {
    match t {
        keys::Target::Pkcs1 => "pkcs1",
        keys::Target::Pkcs8 => "pkcs8",
        keys::Target::Spki => "spki",
        keys::Target::Der => "der",
        keys::Target::Bare => "bare",
        keys::Target::Java => "java",
    }
}

/// KEY006
pub fn key_format_for_language(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(lang) = ctx.ring.language else {
        return;
    };
    for e in entries(ctx) {
        let Ok(k) = &e.read else { continue };
        if matches!(
            k.structure,
            Structure::Certificate | Structure::EncryptedPkcs8
        ) || k.label_mismatch
            || (e.role == Role::Private) != k.structure.is_private()
        {
            continue;
        }
        let (fits, needs) = keys::language_fit(lang, k);
        if fits {
            continue;
        }
        let lang_name = format!("{lang:?}").to_lowercase();
        let target = target_name(keys::target_for(lang, k.structure.is_private()));
        sink.report(
            Report::new(
                &e.source,
                e.span,
                ctx.t(
                    format!(
                        "{} is {}, but {lang_name} code loads {needs}",
                        what(e),
                        k.describe()
                    ),
                    format!(
                        "{} 为 {}，而 {lang_name} 代码需要 {needs}",
                        what(e),
                        k.describe()
                    ),
                ),
            )
            .label(ctx.t(
                format!("not what {lang_name} loads"),
                format!("{lang_name} 无法加载此格式"),
            ))
            .help(ctx.t(
                format!("convert it: `bdpay-doctor keys convert --to {target} FILE`"),
                format!("转换格式：`bdpay-doctor keys convert --to {target} FILE`"),
            )),
        );
    }
}

/// KEY007
pub fn key_too_small(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Ok(k) = &e.read else { continue };
        if k.bits == 0 || k.bits >= 1024 {
            continue;
        }
        report(
            ctx,
            sink,
            e,
            format!(
                "{} is a {}-bit key; the minimum is 1024 bits",
                what(e),
                k.bits
            ),
            format!("{} 只有 {} 位；最少需要 1024 位", what(e), k.bits),
            ("too small", "长度不足"),
        );
    }
}

fn readable<'a>(ctx: &Ctx<'a>, role: Role) -> Option<(&'a Entry, &'a Key)> {
    let e = ctx.ring.get(role)?;
    Some((e, e.read.as_ref().ok()?))
}

/// KEY008
pub fn keypair_mismatch(ctx: &Ctx<'_>, sink: &mut Sink) {
    if ctx.config_only().is_none() {
        return;
    }
    let (Some((pe, private)), Some((de, public))) = (
        readable(ctx, Role::Private),
        readable(ctx, Role::DeveloperPublic),
    ) else {
        return;
    };
    if private.private.is_none() || public.public_key().is_none() || private.same_public(public) {
        return;
    }
    sink.report(
        Report::new(
            &de.source,
            de.span,
            ctx.t(
                format!("{} is not the public half of {}", what(de), what(pe)),
                format!("{} 不是 {} 对应的公钥", what(de), what(pe)),
            ),
        )
        .label(ctx.t("another key pair".into(), "不是同一对密钥".into()))
        .also(pe.span, ctx.t("private key".into(), "私钥".into())),
    );
}

/// KEY009
pub fn platform_key_is_own_key(ctx: &Ctx<'_>, sink: &mut Sink) {
    if ctx.config_only().is_none() {
        return;
    }
    let Some((fe, platform)) = readable(ctx, Role::PlatformPublic) else {
        return;
    };
    for role in [Role::DeveloperPublic, Role::Private] {
        let Some((oe, own)) = readable(ctx, role) else {
            continue;
        };
        if !platform.same_public(own) {
            continue;
        }
        sink.report(
            Report::new(
                &fe.source,
                fe.span,
                ctx.t(
                    format!("{} is your own key (the same as {}): callbacks are signed with the platform's key and will never verify", what(fe), what(oe)),
                    format!("{} 是你自己的密钥（与 {} 相同）：回调由平台私钥签名，验签永远不会通过", what(fe), what(oe)),
                ),
            )
            .label(ctx.t("your own key".into(), "自己的密钥".into()))
            .also(oe.span, ctx.t("the same key".into(), "同一把密钥".into())),
        );
        return;
    }
}

/// KEY010
pub fn private_key_in_config(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let inline = e.origin == KeyOrigin::Inline;
        let private = match &e.read {
            Ok(k) => k.structure.is_private(),
            Err(_) => false,
        };
        if !(inline && private) {
            continue;
        }
        // Point at the entry's first line, not the whole (masked) key.
        let first = e.source.slice(e.span).find('\n').unwrap_or(e.span.len());
        report_at(
            ctx,
            sink,
            e,
            Span::new(e.span.start, e.span.start + first),
            (
                format!(
                    "a private key is written in {}, a file that is usually committed",
                    e.source.name
                ),
                format!(
                    "私钥直接写在 {} 中，该文件通常会被提交到代码库",
                    e.source.name
                ),
            ),
            ("private key inline", "私钥内联"),
        );
    }
}

/// KEY011
pub fn key_file_permissions(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Some(mode) = e.mode else { continue };
        let private = e.read.as_ref().is_ok_and(|k| k.structure.is_private());
        if !private || mode & 0o077 == 0 {
            continue;
        }
        let KeyOrigin::File(path) = &e.origin else {
            continue;
        };
        report(
            ctx,
            sink,
            e,
            format!(
                "the private key file {} is readable by {} (mode {mode:04o})",
                path.display(),
                if mode & 0o007 == 0 {
                    "its group"
                } else {
                    "other users"
                }
            ),
            format!(
                "私钥文件 {} 对{}可读（权限 {mode:04o}）",
                path.display(),
                if mode & 0o007 == 0 {
                    "同组用户"
                } else {
                    "其他用户"
                }
            ),
            ("readable by others", "他人可读"),
        );
    }
}
