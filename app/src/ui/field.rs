//! A form's failed submit, field by field: which inputs are invalid and
//! the inline message under each, tied to its input by
//! `aria-describedby`. The summary at the top of the form is
//! [`ErrorSummary`](super::ErrorSummary), fed the same signal.

use leptos::prelude::*;

use crate::error::AppError;

/// The error of a form's last submit, if it failed.
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<Option<AppError>>);

impl FormErrors {
    /// From an action's last value: only a failure counts.
    pub fn of<T: Send + Sync + 'static>(
        value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    ) -> Self {
        FormErrors(Signal::derive(move || value().and_then(Result::err)))
    }

    pub fn signal(self) -> Signal<Option<AppError>> {
        self.0
    }

    /// `"true"` while the last submit named `field`; for `aria-invalid`.
    pub fn invalid(self, field: &'static str) -> impl Fn() -> &'static str + Copy {
        move || {
            if self.message(field).is_empty() {
                "false"
            } else {
                "true"
            }
        }
    }

    /// What is wrong with `field`, or an empty string.
    pub fn message(self, field: &'static str) -> String {
        self.0
            .get()
            .map(|e| e.field_messages(field).join(" "))
            .unwrap_or_default()
    }
}

/// The inline message under one input. Give the input
/// `aria-describedby=id` and `aria-invalid=errors.invalid(field)`.
#[component]
pub fn FieldError(
    errors: FormErrors,
    field: &'static str,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! { <span class="field-error" id=id>{move || errors.message(field)}</span> }
}

/// A key for a resource that reloads after `action` finishes, except when
/// the server refused the input as invalid: then the form around it stays
/// as typed, to be corrected, instead of being rebuilt from the server.
pub fn reload_unless_invalid<T>(action: ServerAction<T>) -> Memo<usize>
where
    T: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    T::Output: Send + Sync + 'static,
{
    Memo::new(move |last: Option<&usize>| {
        let version = action.version().get();
        let invalid = action
            .value()
            .with(|v| matches!(v, Some(Err(AppError::Validation(_)))));
        match last {
            Some(&kept) if invalid => kept,
            _ => version,
        }
    })
}
