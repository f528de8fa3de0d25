//! How a page says that something is missing or went wrong.

use leptos::prelude::*;

use crate::ui::PageTitle;
use leptos_router::components::A;

use crate::error::AppError;

/// Shown for unknown pages and for records the user may not see: the same
/// page either way, so it reveals nothing about what exists.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server_context::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <section class="not-found">
            <PageTitle text="Page not found" />
            <h1>"Page not found"</h1>
            <p>"There is nothing here, or you do not have access to it."</p>
            <A href="/">"Back to the start page"</A>
        </section>
    }
}

/// Renders an API error as an alert.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound | AppError::Forbidden => view! { <NotFound /> }.into_any(),
        other => view! { <p role="alert" class="error">{other.to_string()}</p> }.into_any(),
    }
}

/// A field's messages, or the error itself when it names no field.
pub fn error_for(error: &AppError, field: &str) -> String {
    let messages = error.field_messages(field);
    if messages.is_empty() {
        error.to_string()
    } else {
        messages.join(" ")
    }
}
