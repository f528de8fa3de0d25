//! Outgoing mail: what Caseport says, and the transport the server plugs
//! in (SMTP, or an outbox folder when no server is configured).

use std::future::Future;
use std::pin::Pin;

/// One plain-text message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to_name: String,
    pub to: String,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
#[error("mail could not be sent: {0}")]
pub struct MailError(pub String);

/// A way to deliver mail. The server provides the SMTP and outbox
/// transports; tests use the SMTP one against a local sink.
pub trait Mailer: Send + Sync {
    fn send<'a>(
        &'a self,
        mail: OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>>;
}

pub mod outbox;
