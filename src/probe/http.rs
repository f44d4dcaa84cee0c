//! Reading an HTTP/1.1 answer: when it is complete (Content-Length or the last chunk), its
//! status, Location and body, and why a cut-short answer cannot be read.

use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::probe::MAX_BODY;

/// Whether the bytes hold a whole HTTP answer (by Content-Length or the last chunk).
pub(super) fn complete(buf: &[u8]) -> bool {
    let Some(end) = find(buf, b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let body = &buf[end + 4..];
    if let Some(len) = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        return body.len() >= len;
    }
    if header(&head, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        return find(body, b"0\r\n\r\n").is_some_and(|i| i == 0 || body[..i].ends_with(b"\r\n"));
    }
    false
}

pub(super) fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

pub(super) fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == name).then(|| v.trim())
    })
}

/// The raw body bytes after the header.
pub(super) fn body_bytes(buf: &[u8]) -> &[u8] {
    find(buf, b"\r\n\r\n").map_or(&[], |i| &buf[i + 4..])
}

/// An answer that ended before its Content-Length.
pub(super) fn short_body(buf: &[u8]) -> Option<Msg> {
    let end = find(buf, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let want = header(&head, "content-length")?.parse::<u64>().ok()?;
    let got = (buf.len() - end - 4) as u64;
    (got < want).then(|| {
        msg!(
            "the connection ended after {got} of the {want} body bytes its Content-Length announced",
            "连接在收到 {got} 字节后断开，而 Content-Length 声明的应答有 {want} 字节"
        )
    })
}

/// Status, Location and the body (chunked decoded, capped, lossy UTF-8).
pub(super) fn parse_response(buf: &[u8]) -> Result<(u16, Option<String>, String), Msg> {
    let end = find(buf, b"\r\n\r\n").ok_or_else(|| {
        msg!(
            "the answer has no complete HTTP header",
            "应答没有完整的 HTTP 头"
        )
    })?;
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let status_line = head.lines().next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        let start: String = status_line.chars().take(40).collect();
        return Err(msg!(
            "the answer is not HTTP: {start:?}",
            "应答不是 HTTP：{start:?}"
        ));
    }
    let status: u16 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| {
        msg!(
            "no status code in {status_line:?}",
            "{status_line:?} 中没有状态码"
        )
    })?;
    let lower = head.to_ascii_lowercase();
    let location = head
        .lines()
        .skip(1)
        .find(|l| l.to_ascii_lowercase().starts_with("location:"))
        .map(|l| l[9..].trim().to_owned());
    let mut body = buf[end + 4..].to_vec();
    if header(&lower, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        body = dechunk(&body);
    } else if let Some(len) = header(&lower, "content-length").and_then(|v| v.parse::<usize>().ok())
    {
        body.truncate(len);
    }
    body.truncate(MAX_BODY);
    Ok((
        status,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    ))
}

pub(super) fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = find(b, b"\r\n") {
        let size = std::str::from_utf8(&b[..i])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok());
        let Some(size) = size.filter(|&s| s > 0) else {
            break;
        };
        let start = i + 2;
        let Some(chunk) = b.get(start..start + size) else {
            out.extend_from_slice(&b[start.min(b.len())..]);
            break;
        };
        out.extend_from_slice(chunk);
        b = b.get(start + size + 2..).unwrap_or(&[]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_parse_with_length_and_chunks() {
        let r = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assert!(complete(r));
        assert_eq!(parse_response(r).unwrap(), (200, None, "hello".into()));
        let c = b"HTTP/1.1 302 Found\r\nLocation: https://x/y\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        assert!(complete(c));
        assert_eq!(
            parse_response(c).unwrap(),
            (302, Some("https://x/y".into()), "abc".into())
        );
        assert!(parse_response(b"SSH-2.0\r\n\r\n").is_err());
    }
}
