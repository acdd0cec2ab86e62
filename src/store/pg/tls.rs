//! Encryption to a team's server, which is usually across a network: the URL's `sslmode` says
//! whether the connection is encrypted and how far the server's certificate is checked, as `psql`
//! reads it, and `sslrootcert` names the certificate(s) it must be signed by.
//!
//! - no `sslmode`, `disable`, `prefer`: not encrypted (a server on a trusted network, or this
//!   computer);
//! - `require`: encrypted, the certificate not checked, unless `sslrootcert` is given (then as
//!   `verify-ca`);
//! - `verify-ca`: encrypted, and the certificate signed by `sslrootcert` (or by one the system
//!   trusts);
//! - `verify-full`: as `verify-ca`, and made out to the host named in the URL.
//!
//! `sslrootcert=system` (or none given) is the system's trusted certificates.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How far the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Check {
    /// Not encrypted.
    Off,
    /// Encrypted, the certificate taken as it is.
    Nothing,
    /// Signed by a certificate trusted.
    Signer,
    /// Signed by one trusted, and made out to the host connected to.
    SignerAndHost,
}

/// What the URL asks for: the URL as the client reads it (`sslrootcert` and the `verify-…` modes,
/// which it does not know, taken out) and how the connection is checked.
#[derive(Debug)]
pub(super) struct Asked {
    pub url: String,
    pub check: Check,
    /// `sslrootcert`: a PEM file of the certificates trusted; `None` for the system's.
    pub root: Option<PathBuf>,
}

/// Reads `sslmode` and `sslrootcert` from the URL; an `sslmode` it does not know is refused.
pub(super) fn asked(url: &str) -> Result<Asked, String> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, query),
        None => (url, ""),
    };
    let mut mode = None;
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .into_owned();
        match key {
            "sslmode" => mode = Some(decoded),
            "sslrootcert" => root = Some(decoded),
            _ => kept.push(pair),
        }
    }
    let check = match mode.as_deref() {
        None | Some("disable" | "allow" | "prefer") => Check::Off,
        Some("require") if root.as_deref().is_some_and(|r| r != "system") => Check::Signer,
        Some("require") => Check::Nothing,
        Some("verify-ca") => Check::Signer,
        Some("verify-full") => Check::SignerAndHost,
        Some(other) => {
            return Err(format!(
                "sslmode={other} is not one caseload knows: disable, prefer, require, verify-ca or \
                 verify-full"
            ));
        }
    };
    // The client itself only encrypts or not: what is checked is this module's.
    let client_mode = match check {
        Check::Off if mode.as_deref() == Some("disable") => Some("disable"),
        Check::Off => None,
        _ => Some("require"),
    };
    kept.extend(client_mode.map(|m| match m {
        "disable" => "sslmode=disable",
        _ => "sslmode=require",
    }));
    let url = match kept.is_empty() {
        true => base.to_string(),
        false => format!("{base}?{}", kept.join("&")),
    };
    Ok(Asked {
        url,
        check,
        root: root.filter(|r| r != "system").map(PathBuf::from),
    })
}

/// The connector that encrypts and checks as `asked` says, or `None` when not encrypted.
pub(super) fn connector(asked: &Asked) -> Result<Option<MakeRustlsConnect>, String> {
    if asked.check == Check::Off {
        return Ok(None);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match asked.check {
        Check::Off | Check::Nothing => Arc::new(Lenient {
            algorithms,
            signer: None,
        }),
        Check::Signer | Check::SignerAndHost => {
            let roots = Arc::new(roots(asked.root.as_ref())?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, Arc::clone(&provider))
                .build()
                .map_err(|e| format!("the certificates trusted cannot be used: {e}"))?;
            match asked.check {
                Check::SignerAndHost => webpki,
                _ => Arc::new(Lenient {
                    algorithms,
                    signer: Some(webpki),
                }),
            }
        }
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Some(MakeRustlsConnect::new(config)))
}

/// The certificates trusted: those in the `sslrootcert` file, or the system's.
fn roots(file: Option<&PathBuf>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    match file {
        Some(path) => {
            let shown = path.display();
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("sslrootcert={shown} cannot be read: {e}"))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!("sslrootcert={shown} holds no certificate"));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() {
                return Err(
                    "the system trusts no certificate to check the server's with: name \
                            the team's with sslrootcert=FILE"
                        .into(),
                );
            }
        }
    }
    Ok(roots)
}

/// The server's certificate checked less than in full: taken as it is (`sslmode=require`), or
/// signed by a certificate trusted, whatever host it is made out to (`sslmode=verify-ca`). The
/// connection is encrypted, and the handshake's signatures are checked alike in both.
#[derive(Debug)]
struct Lenient {
    algorithms: WebPkiSupportedAlgorithms,
    /// Checks who signed the certificate (`verify-ca`); none takes it as it is (`require`).
    signer: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(signer) = &self.signer else {
            return Ok(ServerCertVerified::assertion());
        };
        match signer.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The server's certificate was not accepted, in plain words: why, and what to do; `None` for
/// any other failure to connect.
pub(super) fn refused(e: &postgres::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = cause {
        let inner = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        if let Some(rustls::Error::InvalidCertificate(why)) = inner {
            return Some(format!(
                "the server's certificate was not accepted ({why}): it must be signed by the \
                 certificate named by sslrootcert=FILE in the URL (or by one the system trusts) \
                 and, with sslmode=verify-full, be made out to the host named in the URL"
            ));
        }
        cause = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_says_how_the_connection_is_encrypted_and_checked() {
        let plain = asked("postgres://alice@db/caseload").unwrap();
        assert_eq!(
            (plain.url.as_str(), plain.check),
            ("postgres://alice@db/caseload", Check::Off)
        );
        let full = asked("postgres://alice@db/caseload?sslmode=verify-full&sslrootcert=%2Fetc%2Fteam%20ca.pem&connect_timeout=3").unwrap();
        assert_eq!(
            full.url,
            "postgres://alice@db/caseload?connect_timeout=3&sslmode=require"
        );
        assert_eq!(full.check, Check::SignerAndHost);
        assert_eq!(full.root, Some(PathBuf::from("/etc/team ca.pem")));
        let required = asked("postgres://db/c?sslmode=require").unwrap();
        assert_eq!(required.check, Check::Nothing);
        let with_root = asked("postgres://db/c?sslmode=require&sslrootcert=ca.pem").unwrap();
        assert_eq!(
            with_root.check,
            Check::Signer,
            "as psql: a root given is checked"
        );
        let system = asked("postgres://db/c?sslmode=verify-ca&sslrootcert=system").unwrap();
        assert_eq!((system.check, system.root), (Check::Signer, None));
        let off = asked("postgres://db/c?sslmode=disable").unwrap();
        assert_eq!(
            (off.url.as_str(), off.check),
            ("postgres://db/c?sslmode=disable", Check::Off)
        );
        let wrong = asked("postgres://db/c?sslmode=verify_full").unwrap_err();
        assert!(wrong.contains("sslmode=verify_full"), "{wrong}");
    }
}
