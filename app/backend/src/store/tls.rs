//! TLS to a remote store (`wss://`). Kehu trusts the public web's certificate authorities
//! (Mozilla's list, built in, so a container without a CA bundle still works) and, for a store
//! whose certificate comes from the company's own CA or is self-signed, the certificates in a
//! PEM file the operator names (`KEHU_DB_CA`). The crypto is ring's, chosen here rather than
//! left to whichever provider the dependencies enable (two are compiled in, and rustls then
//! refuses to pick one by itself).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use super::db::StartError;

fn bad(msg: String) -> StartError {
    StartError::BadUrl(msg)
}

/// The client side of TLS for a `wss://` store.
pub fn client_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, StartError> {
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(path) = ca_file {
        let shown = path.display();
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| bad(format!("cannot read the store's CA file {shown}: {e}")))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("the store's CA file {shown} is not PEM certificates: {e}")))?;
        if certs.is_empty() {
            return Err(bad(format!("the store's CA file {shown} holds no certificate (expected -----BEGIN CERTIFICATE-----)")));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| bad(format!("a certificate in {shown} cannot be trusted: {e}")))?;
        }
    }
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(format!("TLS is not available: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Makes ring the process's TLS provider, for any library that asks rustls for the default
/// (with two providers compiled in there is none until one is named). Called once at start.
pub fn install_default_provider() {
    // An error only says one was installed already, which is what is wanted.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// What to tell the operator when connecting failed: a certificate problem says what to do.
pub fn explain(url: &str, error: &str) -> String {
    // rustls words these "certificate not valid for name …" and "invalid peer certificate:
    // UnknownIssuer"; the name comes first, as both start "invalid peer certificate".
    let hint = if error.contains("not valid for name") || error.contains("NotValidForName") {
        " — the store's certificate is not made out to this host name: connect with the name it was issued for"
    } else if error.contains("invalid peer certificate") {
        " — the store's certificate is not signed by a trusted authority: if it comes from your own CA \
         (or is self-signed), name that CA's PEM file with KEHU_DB_CA (or --db-ca)"
    } else {
        ""
    };
    format!("cannot open data store '{url}': {error}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_problem_says_what_to_do() {
        let told = explain("wss://db:8000", "WebSocket error: IO error: invalid peer certificate: UnknownIssuer");
        assert!(told.contains("KEHU_DB_CA"), "{told}");
        assert!(!explain("wss://db:8000", "Connection refused").contains("KEHU_DB_CA"));
        let name = explain("wss://10.0.0.5:8000", "invalid peer certificate: certificate not valid for name \"10.0.0.5\"");
        assert!(name.contains("not made out to this host name") && !name.contains("KEHU_DB_CA"), "{name}");
    }

    #[test]
    fn a_ca_file_that_is_not_pem_is_refused_with_its_name() {
        let path = std::env::temp_dir().join(format!("kehu-not-a-ca-{}.pem", std::process::id()));
        std::fs::write(&path, "not a certificate\n").expect("temp file");
        let err = client_config(Some(&path)).err().map(|e| e.to_string()).unwrap_or_default();
        let _ = std::fs::remove_file(&path);
        assert!(err.contains("holds no certificate") && err.contains("kehu-not-a-ca"), "{err}");
        let missing = client_config(Some(Path::new("/nonexistent/ca.pem"))).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(missing.contains("cannot read the store's CA file /nonexistent/ca.pem"), "{missing}");
    }

    #[test]
    fn without_a_ca_file_the_public_roots_are_trusted() {
        assert!(client_config(None).is_ok());
    }
}
