//! Key rules: every key in `[keys]` reads, is of the right kind and size, is in the form the
//! server language loads, and the three keys relate as they must. Findings point at the config
//! entry; key material is never shown.

use super::{Ctx, Sink};
use crate::config::KeyOrigin;
use crate::finding::Diagnostic;
use crate::keys::ring::{Entry, Role};
use crate::keys::{self, Key, Structure};
use crate::message::Msg;
use crate::msg;
use crate::source::Span;

/// The config's key entries with their keys, when the rule runs on the config, and keys
/// written in code (`scan`, which runs the key rules once per key with no payload).
fn entries<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Entry> {
    let on_config = ctx.config_only().is_some();
    let no_payload = ctx.payload.is_none();
    ctx.ring.entries.iter().filter(move |e| {
        (on_config && e.role != Role::Given) || (no_payload && e.role == Role::InCode)
    })
}

fn what(e: &Entry) -> &Msg {
    &e.label
}

fn report(sink: &mut Sink, e: &Entry, message: Msg, label: Msg) {
    report_at(sink, e, e.span, message, label);
}

fn report_at(sink: &mut Sink, e: &Entry, span: Span, message: Msg, label: Msg) {
    sink.report(Diagnostic::new(&e.source, span, message).label(label));
}

/// KEY001
pub fn key_unreadable(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Err(err) = &e.read else { continue };
        if err.not_rsa {
            continue;
        }
        report(
            sink,
            e,
            msg!(
                "{w} cannot be read: {looks}; {stopped}",
                "{w}无法读取：{looks}；{stopped}";
                w = what(e), looks = err.looks_like, stopped = err.stopped
            ),
            msg!("unreadable key", "无法读取的密钥"),
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
            sink,
            e,
            msg!(
                "{w} is labelled `BEGIN {label}` but holds a {holds}: the header should be `BEGIN {right}`",
                "{w}的标签是 `BEGIN {label}`，内容却是{holds}：应为 `BEGIN {right}`";
                w = what(e), holds = k.structure.describe()
            ),
            msg!("header and body disagree", "标签与内容不符"),
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
        let list: Vec<Msg> = k.damage.iter().map(|d| d.describe()).collect();
        let list = Msg::join(&list, &msg!("; ", "；"));
        let target = ctx.ring.language.map_or(
            if k.structure.is_private() {
                "pkcs8"
            } else {
                "spki"
            },
            |l| target_name(keys::target_for(l, k.structure.is_private())),
        );
        let mut r = Diagnostic::new(
            &e.source,
            e.span,
            msg!(
                "{w} reads only after cleanup: {list}",
                "{w}需清理后才能读取：{list}";
                w = what(e), list = list
            ),
        )
        .label(msg!("damaged in transport", "传输中损坏"));
        r = r.help(if e.role == Role::InCode {
            msg!(
                "write the key so the language reads real line breaks (in PHP, `\\n` is a line break only in double quotes), or load the cleaned key from a file: `bdpay-doctor keys convert --to {target} FILE`",
                "让语言读到真正的换行（PHP 中只有双引号里的 `\\n` 才是换行），或从文件加载清理后的密钥：`bdpay-doctor keys convert --to {target} 文件`"
            )
        } else {
            msg!(
                "store the cleaned key: `bdpay-doctor keys convert --to {target} FILE`; keep keys in files, or escape line breaks once and unescape them when loading",
                "保存清理后的密钥：`bdpay-doctor keys convert --to {target} 文件`；密钥尽量放在文件中，或在读取时正确还原换行"
            )
        });
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
            sink,
            e,
            msg!(
                "{w} is encrypted with a passphrase",
                "{w}使用了口令加密";
                w = what(e)
            ),
            msg!("encrypted key", "加密的私钥"),
        );
    }
}

/// KEY005
pub fn key_wrong_kind(ctx: &Ctx<'_>, sink: &mut Sink) {
    // What a key in code is for is not known, so neither is the kind it should be.
    for e in entries(ctx).filter(|e| e.role != Role::InCode) {
        let message = match &e.read {
            Err(err) if err.not_rsa => msg!(
                "{w} is not an RSA key: {why}",
                "{w}不是 RSA 密钥：{why}";
                w = what(e), why = err.stopped
            ),
            Err(_) => continue,
            Ok(k) => {
                let private_role = e.role == Role::Private;
                match k.structure {
                    Structure::Certificate => msg!(
                        "{w} holds a certificate, not a key",
                        "{w}是证书，不是密钥";
                        w = what(e)
                    ),
                    s if private_role && !s.is_private() => msg!(
                        "{w} holds a public key ({kind})",
                        "{w}存放的是公钥（{kind}）";
                        w = what(e), kind = s.describe()
                    ),
                    s if !private_role && s.is_private() => msg!(
                        "{w} holds a private key ({kind}) where a public key belongs",
                        "{w}应存放公钥，却存放了私钥（{kind}）";
                        w = what(e), kind = s.describe()
                    ),
                    _ => continue,
                }
            }
        };
        report(sink, e, message, msg!("wrong kind of key", "密钥类型不对"));
    }
}

fn target_name(t: keys::KeyForm) -> &'static str {
    match t {
        keys::KeyForm::Pkcs1 => "pkcs1",
        keys::KeyForm::Pkcs8 => "pkcs8",
        keys::KeyForm::Spki => "spki",
        keys::KeyForm::Der => "der",
        keys::KeyForm::Bare => "bare",
        keys::KeyForm::Java => "java",
    }
}

/// KEY006
pub fn key_format_for_language(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(lang) = ctx.ring.language else {
        return;
    };
    for e in entries(ctx) {
        if e.role == Role::InCode {
            loaded_as_written(e, sink);
            continue;
        }
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
        let lang_name = lang.as_str();
        let target = target_name(keys::target_for(lang, k.structure.is_private()));
        sink.report(
            Diagnostic::new(
                &e.source,
                e.span,
                msg!(
                    "{w} is {is}, but {lang_name} code loads {needs}",
                    "{w}是{is}，而 {lang_name} 代码需要{needs}";
                    w = what(e), is = k.describe(), needs = needs
                ),
            )
            .label(msg!(
                "not what {lang_name} loads",
                "{lang_name} 无法加载此格式"
            ))
            .help(msg!(
                "convert it: `bdpay-doctor keys convert --to {target} FILE`",
                "转换格式：`bdpay-doctor keys convert --to {target} 文件`"
            )),
        );
    }
}

/// KEY006 for a key in code: its structure against the one the same file's code loads it as.
/// The armour is not judged: code often strips or adds PEM lines itself.
fn loaded_as_written(e: &Entry, sink: &mut Sink) {
    let (Ok(k), Some((wants, call))) = (&e.read, &e.loaded_as) else {
        return;
    };
    if k.structure == *wants || k.label_mismatch {
        return;
    }
    let target = match wants {
        Structure::Pkcs1Private => "pkcs1",
        Structure::Pkcs8Private | Structure::EncryptedPkcs8 => "pkcs8",
        Structure::Spki | Structure::Pkcs1Public | Structure::Certificate => "spki",
    };
    sink.report(
        Diagnostic::new(
            &e.source,
            e.span,
            msg!(
                "{w} is a {is}, but this file loads it with `{call}`, which reads a {wants}",
                "{w}是{is}，而本文件用 `{call}` 加载，它只能读取{wants}";
                w = what(e), is = k.structure.describe(), wants = wants.describe()
            ),
        )
        .label(msg!("not what `{call}` reads", "`{call}` 读不了这种格式"))
        .help(msg!(
            "convert the key (`bdpay-doctor keys convert --to {target} FILE`) or load it with the call for its form",
            "转换密钥格式（`bdpay-doctor keys convert --to {target} 文件`），或换用与其格式对应的加载函数"
        )),
    );
}

/// KEY007
pub fn key_too_small(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let Ok(k) = &e.read else { continue };
        if k.bits == 0 || k.bits >= 1024 {
            continue;
        }
        let bits = k.bits;
        report(
            sink,
            e,
            msg!(
                "{w} is a {bits}-bit key; the minimum is 1024 bits",
                "{w}只有 {bits} 位；最少需要 1024 位";
                w = what(e)
            ),
            msg!("too small", "长度不足"),
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
        Diagnostic::new(
            &de.source,
            de.span,
            msg!(
                "{d} is not the public half of {p}",
                "{d}不是{p}对应的公钥";
                d = what(de), p = what(pe)
            ),
        )
        .label(msg!("another key pair", "不是同一对密钥"))
        .also(pe.span, msg!("private key", "私钥")),
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
            Diagnostic::new(
                &fe.source,
                fe.span,
                msg!(
                    "{f} is your own key (the same as {o}): callbacks are signed with the platform's key and will never verify",
                    "{f}是你自己的密钥（与{o}相同）：回调由平台私钥签名，验签永远不会通过";
                    f = what(fe), o = what(oe)
                ),
            )
            .label(msg!("your own key", "自己的密钥"))
            .also(oe.span, msg!("the same key", "同一把密钥")),
        );
        return;
    }
}

/// KEY010
pub fn private_key_in_config(ctx: &Ctx<'_>, sink: &mut Sink) {
    for e in entries(ctx) {
        let inline = e.origin == KeyOrigin::Inline;
        let in_code = e.role == Role::InCode;
        let private = match &e.read {
            Ok(k) => k.structure.is_private(),
            Err(_) => false,
        };
        // A key in a test is a test key, there on purpose.
        if !(inline && private) || (in_code && e.in_test) {
            continue;
        }
        // Point at the entry's first line, not the whole (masked) key.
        let first = e.source.slice(e.span).find('\n').unwrap_or(e.span.len());
        let file = &e.source.name;
        let span = Span::new(e.span.start, e.span.start + first);
        let label = msg!("private key inline", "私钥内联");
        if !in_code {
            report_at(
                sink,
                e,
                span,
                msg!(
                    "a private key is written in {file}, a file that is usually committed",
                    "私钥直接写在 {file} 中，该文件通常会被提交到代码库"
                ),
                label,
            );
            continue;
        }
        sink.report(
            Diagnostic::new(
                &e.source,
                span,
                msg!(
                    "a private key is written in the code of {file}, and is committed with it",
                    "私钥直接写在代码文件 {file} 中，会随代码一起提交"
                ),
            )
            .label(label)
            .help(msg!(
                "read the key at run time from an environment variable or a file outside the repository, and replace the key pair: this one is in the repository's history",
                "运行时从环境变量或仓库之外的文件读取私钥，并更换这对密钥：它已经留在代码库的历史记录里"
            )),
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
        let who = if mode & 0o007 == 0 {
            msg!("its group", "同组用户")
        } else {
            msg!("other users", "其他用户")
        };
        let path = path.display();
        report(
            sink,
            e,
            msg!(
                "the private key file {path} is readable by {who} (mode {mode:04o})",
                "私钥文件 {path} 对{who}可读（权限 {mode:04o}）";
                who = who
            ),
            msg!("readable by others", "他人可读"),
        );
    }
}
