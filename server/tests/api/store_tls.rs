//! A remote store over TLS (`wss://`): Kehu checks the store's certificate against the public
//! authorities and the CA it is told to trust (`KEHU_DB_CA`), and says what to do when the
//! certificate is not trusted. The store here is a real TLS server (rustls) with a certificate
//! from a throwaway CA, which records what reaches it; it is not SurrealDB, so even a trusted
//! connection ends after the WebSocket request. `./kehu.sh cluster` runs the whole way over
//! `wss://` against a real SurrealDB server.

use std::sync::Arc;

use kehu_backend::store::db::Remote;
use kehu_backend::store::open::connect;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// What the TLS server saw of one connection: the handshake's failure, or the first line of
/// the request that came through it.
async fn tls_store(certs: &kehu::test_certificates::Certificates) -> (u16, mpsc::UnboundedReceiver<Result<String, String>>) {
    let chain = CertificateDer::pem_file_iter(&certs.cert).expect("server certificate").collect::<Result<Vec<_>, _>>().expect("PEM");
    let key = PrivateKeyDer::from_pem_file(&certs.key).expect("server key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server TLS config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (seen, outcomes) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let mut tls = match acceptor.accept(stream).await {
                    Ok(tls) => tls,
                    Err(e) => {
                        let _ = seen.send(Err(e.to_string()));
                        return;
                    }
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&request).into_owned();
                let _ = seen.send(Ok(text));
                let _ = tls.write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, outcomes)
}

#[tokio::test]
async fn a_wss_store_is_reached_over_tls_trusting_the_ca_kehu_is_told_of() {
    let dir = std::env::temp_dir().join(format!("kehu-store-tls-{}", std::process::id()));
    let certs = kehu::test_certificates::make(&dir).expect("test certificates");
    let (port, mut outcomes) = tls_store(&certs).await;
    let url = format!("wss://localhost:{port}");

    // A certificate from an authority Kehu was not told of: refused, with what to do.
    let refused = connect(&url, &Remote::default()).await.err().map(|e| e.to_string()).expect("an untrusted store is refused");
    assert!(refused.contains("KEHU_DB_CA") && refused.contains(&url), "{refused}");
    let handshake = outcomes.recv().await.expect("the store saw the attempt");
    assert!(handshake.is_err(), "the handshake should have failed on the client's side: {handshake:?}");

    // Told to trust the CA: the handshake succeeds and SurrealDB's WebSocket request goes
    // through the encrypted connection (the server is not SurrealDB, so it ends there).
    let trusting = Remote { credentials: None, ca_file: Some(certs.ca.clone()) };
    let ended = connect(&url, &trusting).await.err().map(|e| e.to_string()).expect("this server is not SurrealDB");
    assert!(!ended.contains("KEHU_DB_CA"), "a trusted certificate was refused: {ended}");
    let request = outcomes.recv().await.expect("the store saw the connection").expect("the TLS handshake succeeded");
    assert!(request.starts_with("GET /rpc HTTP/1.1\r\n"), "{request}");
    assert!(request.to_ascii_lowercase().contains("upgrade: websocket"), "{request}");

    // The certificate is for localhost only: the same server reached as 127.0.0.1 is refused
    // even with the CA trusted, and the message says why.
    let wrong = connect(&format!("wss://127.0.0.1:{port}"), &trusting).await.err().map(|e| e.to_string()).expect("a certificate for another name");
    assert!(wrong.contains("not made out to this host name"), "{wrong}");
    assert!(outcomes.recv().await.expect("the store saw the attempt").is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
