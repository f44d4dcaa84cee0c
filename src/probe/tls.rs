//! TLS for the probe: the trust roots (webpki plus `--ca-cert`), what a failed handshake means
//! (expired, wrong host, untrusted, old version), and the certificate's expiry.

use std::sync::Arc;

use bdpay_core::keys::der::{self, Reader};
use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::probe::{CertInfo, Failure, TlsProblem};

use super::client::io_reason;

pub(super) fn tls_config(extra: &[Vec<u8>]) -> Result<rustls::ClientConfig, Msg> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for der in extra {
        roots
            .add(rustls::pki_types::CertificateDer::from(der.clone()))
            .map_err(|e| {
                msg!(
                    "--ca-cert: {e}",
                    "--ca-cert 的证书无法加入信任列表（「{e}」）"
                )
            })?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS12, &rustls::version::TLS13])
        .map_err(|e| msg!("{e}", "无法配置 TLS（「{e}」）"))?;
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}

pub(super) fn tls_failure(e: &std::io::Error) -> Failure {
    use rustls::{CertificateError as C, Error as E};
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<E>());
    let (problem, why) = match inner {
        Some(E::InvalidCertificate(C::Expired | C::ExpiredContext { .. })) => (
            TlsProblem::Expired,
            msg!("the certificate has expired", "证书已过期"),
        ),
        Some(E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. })) => (
            TlsProblem::WrongHost,
            msg!(
                "the certificate is not valid for this host name",
                "证书与这个主机名不符"
            ),
        ),
        Some(E::InvalidCertificate(C::UnknownIssuer)) => (
            TlsProblem::Untrusted,
            msg!(
                "the certificate chain is not trusted (self-signed, a private CA, or a missing intermediate)",
                "证书链不受信任（自签名证书、私有 CA，或缺少中间证书）"
            ),
        ),
        Some(
            E::AlertReceived(rustls::AlertDescription::ProtocolVersion) | E::PeerIncompatible(_),
        ) => (
            TlsProblem::OldVersion,
            msg!(
                "the server offers no TLS 1.2 or 1.3 ({e})",
                "服务器不支持 TLS 1.2 或 1.3（「{e}」）"
            ),
        ),
        Some(other) => (TlsProblem::Other, msg!("{other}", "rustls 报错「{other}」")),
        None if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) =>
        {
            (
                TlsProblem::Other,
                msg!("the handshake timed out", "握手超时"),
            )
        }
        None => (TlsProblem::Other, io_reason(e)),
    };
    Failure::Tls(problem, why)
}

/// The certificate's notAfter and the days left until then.
#[must_use]
pub(super) fn cert_info(der_bytes: &[u8]) -> Option<CertInfo> {
    let mut top = Reader::new(der_bytes);
    let cert = top.expect(der::SEQUENCE, ["", ""]).ok()?;
    let mut c = cert.children();
    let tbs = c.expect(der::SEQUENCE, ["", ""]).ok()?;
    let mut t = tbs.children();
    let mut first = t.next_tlv().ok()?;
    if first.tag == der::CONTEXT_0 {
        first = t.next_tlv().ok()?; // serial
    }
    let _ = first;
    t.next_tlv().ok()?; // signature algorithm
    t.next_tlv().ok()?; // issuer
    let validity = t.expect(der::SEQUENCE, ["", ""]).ok()?;
    let mut v = validity.children();
    v.next_tlv().ok()?; // notBefore
    let not_after = v.next_tlv().ok()?;
    let text = std::str::from_utf8(not_after.content).ok()?;
    let (y, rest) = match not_after.tag {
        0x17 => {
            let yy: i64 = text.get(0..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, text.get(2..)?)
        }
        0x18 => (text.get(0..4)?.parse().ok()?, text.get(4..)?),
        _ => return None,
    };
    let num = |r: std::ops::Range<usize>| rest.get(r).and_then(|s| s.parse::<i64>().ok());
    let (mo, d, h, mi, s) = (
        num(0..2)?,
        num(2..4)?,
        num(4..6)?,
        num(6..8)?,
        num(8..10).unwrap_or(0),
    );
    let secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Some(CertInfo {
        not_after: format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC"),
        days_left: (secs - now).div_euclid(86400),
    })
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(super) const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
