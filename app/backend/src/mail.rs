//! Outgoing e-mail through the installation's SMTP server (`KEHU_SMTP_URL`): plain text,
//! one message at a time. No server configured: nothing is sent, and callers say so.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where mail goes out and whom it is from.
#[derive(Clone, Debug)]
pub struct MailPolicy {
    /// `smtp://host:25` (plain, a local relay), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465` (TLS).
    pub smtp_url: String,
    /// `Kehu <crm@example.com>`.
    pub from: String,
}

impl MailPolicy {
    /// Whether the settings can be used at all: the URL one lettre understands, the sender
    /// an address. Checked at start-up so a typo stops the server with a message.
    pub fn check(&self) -> Result<(), String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map_err(|e| format!("KEHU_SMTP_URL is not an SMTP address like smtp://host:25 or smtps://user:pass@host:465 ({e})"))?;
        self.from.parse::<Mailbox>().map_err(|e| format!("KEHU_MAIL_FROM '{}' is not an address like Kehu <crm@example.com> ({e})", self.from))?;
        Ok(())
    }
}

/// Sends one plain-text message. The error is for the log (it may name the server).
pub async fn send(policy: &MailPolicy, to: &str, subject: &str, body: String) -> Result<(), String> {
    let from: Mailbox = policy.from.parse().map_err(|e| format!("sender address: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("recipient address '{to}': {e}"))?;
    // Quoted-printable keeps links readable in the raw message (base64 would hide them from
    // people reading a mail log); Chinese text is encoded either way.
    let body = Body::new_with_encoding(body, ContentTransferEncoding::QuotedPrintable).map_err(|_| "the message is not text".to_string())?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("building the message: {e}"))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&policy.smtp_url).map_err(|e| format!("SMTP address: {e}"))?.build();
    transport.send(message).await.map_err(|e| format!("sending through SMTP: {e}"))?;
    Ok(())
}
