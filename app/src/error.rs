//! The one error type of Caseport's API. Domain code returns it, server
//! functions carry it to the client as JSON, and [`AppError::status_code`]
//! gives its HTTP status (set once, in `server_context::run`).

use std::collections::BTreeMap;

use http::StatusCode;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthorized,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Invalid credentials.")]
    InvalidCredentials,
    /// Field name → messages, so a form can show each next to its input.
    #[error("Please correct the highlighted fields.")]
    Validation(BTreeMap<String, Vec<String>>),
    #[error("{0}")]
    Conflict(String),
    #[error("Please choose a new password first.")]
    PasswordChangeRequired,
    #[error("Please accept the terms of use first.")]
    TermsNotAccepted,
    #[error("Too many attempts. Please wait and try again.")]
    TooManyRequests,
    /// Too many password checks are queued: nothing was tried, and the same
    /// request works a few seconds later (429 with `Retry-After`).
    #[error("The server is busy. Please try again in a few seconds.")]
    Busy,
    /// Details go to the server log, never to the client.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// A service we depend on (the mail server) failed; nothing was lost
    /// and the action can be repeated.
    #[error("{0}")]
    Unavailable(String),
    /// The request never reached our code (network, encoding).
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    /// One invalid field with one message.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(field.to_string(), vec![message.into()]);
        AppError::Validation(map)
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::PasswordChangeRequired | AppError::TermsNotAccepted => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests | AppError::Busy => StatusCode::TOO_MANY_REQUESTS,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Messages for one form field, if any.
    pub fn field_messages(&self, field: &str) -> Vec<String> {
        match self {
            AppError::Validation(map) => map.get(field).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad arguments are the caller's mistake: a 4xx, never a 500.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::invalid("request", format!("Malformed request: {msg}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

/// Answers a unique-key violation with the caller's own error, so two
/// requests racing for one name or address get a clear 409/422 rather than
/// a 500; any other database error stays internal.
#[cfg(feature = "ssr")]
pub trait ResultExt<T> {
    fn on_unique(self, answer: impl FnOnce() -> AppError) -> Result<T, AppError>;
}

#[cfg(feature = "ssr")]
impl<T> ResultExt<T> for Result<T, sea_orm::DbErr> {
    fn on_unique(self, answer: impl FnOnce() -> AppError) -> Result<T, AppError> {
        self.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => answer(),
            _ => e.into(),
        })
    }
}
