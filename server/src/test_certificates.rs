//! Certificates for checks that reach a store over TLS (`wss://`): a throwaway CA and a
//! server certificate it signed for `localhost` (only: a check can reach the same server as
//! 127.0.0.1 to see a name the certificate was not issued for refused), made with the `openssl` command
//! (on every machine these checks run on) rather than kept in the repository, so no private
//! key is ever committed and none outlives its check by more than two days.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files, in PEM.
pub struct Certificates {
    /// The CA's certificate: what a client is told to trust (`KEHU_DB_CA`).
    pub ca: PathBuf,
    /// The server's certificate (signed by the CA) and its private key.
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run openssl (needed to make test certificates): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("openssl {} failed: {}", args.first().copied().unwrap_or_default(), String::from_utf8_lossy(&out.stderr)))
    }
}

/// Makes a CA and a server certificate in `dir`.
pub fn make(dir: &Path) -> Result<Certificates, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(dir, &[&["req", "-x509"][..], &ec, &["-days", "2", "-subj", "/CN=Kehu test CA", "-keyout", "ca.key", "-out", "ca.pem"]].concat())?;
    openssl(dir, &[&["req"][..], &ec, &["-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"]].concat())?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| e.to_string())?;
    openssl(
        dir,
        &["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem"],
    )?;
    Ok(Certificates { ca: dir.join("ca.pem"), cert: dir.join("server.pem"), key: dir.join("server.key") })
}
