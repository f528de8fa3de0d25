//! Mail transports: SMTP when a server is configured, otherwise `.eml`
//! files in an outbox folder (the demo works offline; the link is logged).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use app::mail::{MailError, Mailer, OutgoingMail};

fn message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = format!(
        "{} <{}>",
        mail.to_name.replace(['<', '>', '"'], ""),
        mail.to
    )
    .parse()
    .or_else(|_| mail.to.parse())
    .map_err(|e| MailError(format!("bad recipient: {e}")))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.text.clone())
        .map_err(|e| MailError(e.to_string()))
}

/// Delivers over SMTP (`smtp://host:port`, `smtps://…` or
/// `smtp://…?tls=required`, credentials in the URL).
pub struct SmtpMailer {
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(url: &str, from: Mailbox) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError(format!("bad SMTP URL: {e}")))?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        Ok(SmtpMailer { from, transport })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(
        &'a self,
        mail: OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>> {
        Box::pin(async move {
            let msg = message(&self.from, &mail)?;
            self.transport
                .send(msg)
                .await
                .map_err(|e| MailError(e.to_string()))?;
            tracing::info!(subject = %mail.subject, "mail sent");
            Ok(())
        })
    }
}

/// Writes each message to `<dir>/<time>-<random>.eml`.
pub struct OutboxMailer {
    from: Mailbox,
    dir: PathBuf,
}

impl OutboxMailer {
    pub fn new(dir: PathBuf, from: Mailbox) -> Self {
        OutboxMailer { from, dir }
    }
}

impl Mailer for OutboxMailer {
    fn send<'a>(
        &'a self,
        mail: OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>> {
        Box::pin(async move {
            let msg = message(&self.from, &mail)?;
            tokio::fs::create_dir_all(&self.dir)
                .await
                .map_err(|e| MailError(e.to_string()))?;
            let name = format!(
                "{}-{}.eml",
                chrono::Utc::now().format("%Y%m%dT%H%M%S"),
                uuid::Uuid::new_v4().simple()
            );
            let path = self.dir.join(name);
            tokio::fs::write(&path, msg.formatted())
                .await
                .map_err(|e| MailError(e.to_string()))?;
            // No SMTP server: whoever runs the demo reads the link here.
            let link = mail
                .text
                .lines()
                .find(|l| l.trim_start().starts_with("http"))
                .unwrap_or("")
                .trim();
            tracing::info!(path = %path.display(), to = %mail.to, link, "mail written to the outbox");
            Ok(())
        })
    }
}

/// The configured transport.
pub fn from_settings(settings: &crate::config::Settings) -> Result<Arc<dyn Mailer>, MailError> {
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|e| MailError(format!("bad CASEPORT_MAIL_FROM: {e}")))?;
    Ok(match &settings.smtp_url {
        Some(url) if !url.is_empty() => Arc::new(SmtpMailer::new(url, from)?),
        _ => Arc::new(OutboxMailer::new(settings.outbox_dir.clone(), from)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_smtp_the_message_lands_in_the_outbox_as_an_eml_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let from: Mailbox = "Caseport <no-reply@caseport.invalid>"
            .parse()
            .expect("from");
        let outbox = OutboxMailer::new(dir.path().join("outbox"), from);
        outbox
            .send(OutgoingMail {
                to: "gina@county.example".into(),
                to_name: "Gina \"G\" <Grant>".into(),
                subject: "Your invitation".into(),
                text: "Hello\n\nhttp://127.0.0.1:3000/portal/harbour/invitation?token=abc\n".into(),
            })
            .await
            .expect("sent");
        let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
            .expect("outbox")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
        let eml = std::fs::read_to_string(&files[0]).expect("read");
        assert!(eml.contains("Subject: Your invitation"), "{eml}");
        assert!(eml.contains("gina@county.example"), "{eml}");
        assert!(eml.contains("invitation?token=abc"), "{eml}");
    }
}
