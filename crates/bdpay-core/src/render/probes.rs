//! The probe section: per URL the request sent, a bar per run, the figures, the answer; and the
//! same as JSON.

use serde_json::{Value as J, json};

use super::shorten_signature;
use crate::message::{Lang, Msg};

/// The probe section of the human report: per URL the request, a bar per run and the figures.
#[must_use]
pub fn human_probes(probes: &[crate::probe::Probe], lang: Lang) -> String {
    use crate::msg;
    use crate::probe::Phases;
    let mut s = String::new();
    for p in probes {
        let named = if p.target.name == p.target.url {
            String::new()
        } else {
            format!(" ({})", p.target.name)
        };
        s.push_str(&format!(
            "{} {}{named} [{}]\n",
            lang.pick("probe", "探测"),
            p.target.url,
            p.target.kind
        ));
        if !p.addresses.is_empty() {
            let list: Vec<String> = p.addresses.iter().map(ToString::to_string).collect();
            let list = list.join(", ");
            s.push_str(msg!("  addresses  {list}\n", "  地址  {list}\n").get(lang));
        }
        if let Some(c) = &p.cert {
            let (until, days) = (&c.not_after, c.days_left);
            s.push_str(
                msg!(
                    "  certificate valid until {until} ({days} days)\n",
                    "  证书有效期至 {until}（剩余 {days} 天）\n"
                )
                .get(lang),
            );
        }
        if !p.request.is_empty() {
            s.push_str(lang.pick("  request sent:\n", "  发送的请求：\n"));
            for line in p.request.split("\r\n") {
                s.push_str(&format!("    {line}\n"));
            }
        }
        // A bar per run: 40 columns for the 2 s limit, one character per phase. The run's name
        // is padded so that the bars start where the legend does.
        let scale = crate::probe::LIMIT.as_secs_f64() / 40.0;
        let marks = [
            ('r', "resolve"),
            ('c', "connect"),
            ('t', "tls"),
            ('█', "processing"),
            ('▒', "transfer"),
        ];
        let run_width = lang.pick(6, 8);
        for (i, r) in p.runs.iter().enumerate() {
            let mut bar = String::new();
            for (ch, name) in marks {
                if let Some(d) = r.phases.get(name) {
                    let n = (d.as_secs_f64() / scale).round() as usize;
                    bar.extend(std::iter::repeat_n(ch, n.min(80)));
                }
            }
            let figures: Vec<Msg> = Phases::NAMES
                .iter()
                .filter_map(|n| {
                    r.phases
                        .get(n)
                        .map(|d| msg!("{n} {d}", "{n} {d}"; n = Phases::label(n), d = fmt_ms(d)))
                })
                .collect();
            let figures = Msg::join(&figures, &Msg::same(" · "));
            let end = match (&r.status, &r.failure) {
                (_, Some(f)) => msg!("✗ {f}", "✗ {f}"; f = failure_text(f)),
                (Some(code), None) => Msg::same(format!("HTTP {code}")),
                (None, None) => Msg::default(),
            };
            let n = i + 1;
            let name = msg!("run {n}", "第 {n} 次");
            s.push_str(&format!(
                "  {} {:<40}│ {} = {}  {}\n",
                pad_end(name.get(lang), run_width),
                bar,
                figures.get(lang),
                fmt_ms(r.phases.total()).get(lang),
                end.get(lang)
            ));
        }
        s.push_str(&" ".repeat(run_width + 3));
        s.push_str(lang.pick(
            "r resolve  c connect  t tls  █ processing  ▒ transfer   │ = 2 s limit\n",
            "r 域名解析  c 建立连接  t TLS 握手  █ 服务端处理  ▒ 应答传输   │ = 2 秒上限\n",
        ));
        let rows: Vec<(Msg, [std::time::Duration; 4])> = Phases::NAMES
            .iter()
            .filter_map(|n| p.stats(n).map(|st| (Phases::label(n), st)))
            .chain(p.total_stats().map(|st| (Phases::label("total"), st)))
            .collect();
        if !rows.is_empty() {
            let head = [
                msg!("phase", "阶段"),
                msg!("min", "最小"),
                msg!("median", "中位数"),
                msg!("p95", "P95"),
                msg!("max", "最大"),
            ];
            let head: Vec<&str> = head.iter().map(|h| h.get(lang)).collect();
            s.push_str(&stats_row(head[0], [head[1], head[2], head[3], head[4]]));
            for (n, st) in rows {
                let cells = st.map(|d| fmt_ms(d).get(lang).to_owned());
                s.push_str(&stats_row(
                    n.get(lang),
                    [&cells[0], &cells[1], &cells[2], &cells[3]],
                ));
            }
        }
        if let Some(a) = &p.answer {
            let body: String = a.source.text.chars().take(200).collect();
            s.push_str(&format!("  {} {body}\n", lang.pick("answer:", "应答：")));
        }
        s.push('\n');
    }
    if !probes.is_empty() {
        s.push_str(lang.pick(
            "note: probed from this machine; the platform calls from the internet, so a URL that works here must also be reachable from outside\n\n",
            "注意：以上探测从本机发起；平台从公网回调，本机可达不代表公网可达\n\n",
        ));
    }
    s
}

/// A line of the figures table: the name in 11 columns, each figure right-aligned in 10.
fn stats_row(name: &str, cells: [&str; 4]) -> String {
    let mut line = format!("  {}", pad_end(name, 11));
    for c in cells {
        line.push_str(&pad_start(c, 10));
    }
    line.push('\n');
    line
}

/// Columns a text takes in a terminal: East Asian wide characters (CJK, full-width forms)
/// take two.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F
                | 0x2E80..=0x303E
                | 0x3041..=0x33FF
                | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF
                | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F
                | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6);
            1 + usize::from(wide)
        })
        .sum()
}

/// The text followed by spaces to fill `width` columns.
fn pad_end(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// The text after spaces filling `width` columns.
fn pad_start(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(columns(text))))
}

fn fmt_ms(d: std::time::Duration) -> Msg {
    use crate::msg;
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        msg!("{ms:.1} ms", "{ms:.1} 毫秒")
    } else {
        msg!("{ms:.0} ms", "{ms:.0} 毫秒")
    }
}

/// Why a run got no answer, for people. Phases are named by [`crate::probe::Phases::label`].
fn failure_text(f: &crate::probe::Failure) -> Msg {
    use crate::msg;
    use crate::probe::{Failure, Phases, describe_private};
    match f {
        Failure::Dns(w) | Failure::Connect(w) | Failure::BadHttp(w) | Failure::Tls(_, w) => {
            w.clone()
        }
        Failure::Private(list) => {
            let l: Vec<Msg> = list
                .iter()
                .map(|(ip, r)| describe_private(*ip, *r))
                .collect();
            msg!(
                "resolves to {l}: not connected",
                "解析到 {l}：未建立连接";
                l = Msg::join(&l, &msg!(", ", "、"))
            )
        }
        Failure::Timeout(phase) => msg!(
            "no answer within the timeout ({phase})",
            "超时仍未收到应答（卡在{phase}阶段）";
            phase = Phases::label(phase)
        ),
        Failure::Closed(phase) => msg!(
            "connection closed without an answer ({phase})",
            "连接在{phase}阶段被关闭，没有收到应答";
            phase = Phases::label(phase)
        ),
    }
}

/// The probes in JSON: every figure in milliseconds, phases by their stable English names,
/// failures in `lang`.
#[must_use]
pub fn json_probes(probes: &[crate::probe::Probe], lang: Lang, show_secrets: bool) -> J {
    use crate::probe::Phases;
    let ms = |d: Option<std::time::Duration>| d.map(|d| d.as_secs_f64() * 1e3);
    J::Array(
        probes
            .iter()
            .map(|p| {
                let mut stats = serde_json::Map::new();
                for n in Phases::NAMES {
                    if let Some(st) = p.stats(n) {
                        stats.insert(n.into(), json!({"min": ms(Some(st[0])), "median": ms(Some(st[1])), "p95": ms(Some(st[2])), "max": ms(Some(st[3]))}));
                    }
                }
                if let Some(st) = p.total_stats() {
                    stats.insert("total".into(), json!({"min": ms(Some(st[0])), "median": ms(Some(st[1])), "p95": ms(Some(st[2])), "max": ms(Some(st[3]))}));
                }
                json!({
                    "name": p.target.name,
                    "url": p.target.url,
                    "kind": p.target.kind.as_str(),
                    "request": if show_secrets { p.request.clone() } else { shorten_signature(&p.request) },
                    "addresses": p.addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "certificate": p.cert.as_ref().map(|c| json!({"not_after": c.not_after, "days_left": c.days_left})),
                    "runs": p.runs.iter().map(|r| json!({
                        "phases_ms": {
                            "resolve": ms(r.phases.resolve), "connect": ms(r.phases.connect), "tls": ms(r.phases.tls),
                            "processing": ms(r.phases.processing), "transfer": ms(r.phases.transfer),
                        },
                        "total_ms": ms(Some(r.phases.total())),
                        "status": r.status,
                        "failure": r.failure.as_ref().map(|f| failure_text(f).get(lang).to_owned()),
                    })).collect::<Vec<_>>(),
                    "stats_ms": stats,
                    "answer": p.answer.as_ref().map(|a| a.source.text.clone()),
                    "accepted_forged": p.accepted_forged,
                })
            })
            .collect(),
    )
}
