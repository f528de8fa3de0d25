//! The error summary at the top of a form after a failed submit (the
//! GOV.UK pattern): a list of what is wrong, each a link to its field,
//! and focus moved onto it so a screen reader reads it out at once.

use leptos::html;
use leptos::prelude::*;

use crate::error::AppError;

/// `fields` maps a server field name to the id of its input, in the
/// order of the form. An error that names no listed field is shown as
/// its own line.
#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<AppError>>,
    fields: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if error.get().is_some()
            && let Some(el) = node.get()
        {
            let _ = el.focus();
        }
    });
    move || {
        error.get().map(|e| {
            let mut items: Vec<(Option<&'static str>, String)> = fields
                .iter()
                .flat_map(|(field, id)| {
                    e.field_messages(field)
                        .into_iter()
                        .map(move |m| (Some(*id), m))
                })
                .collect();
            // A field the form does not list still says what is wrong.
            if let AppError::Validation(map) = &e {
                for (field, messages) in map {
                    if !fields.iter().any(|(f, _)| f == field) {
                        items.extend(messages.iter().map(|m| (None, m.clone())));
                    }
                }
            }
            if items.is_empty() {
                items.push((None, e.to_string()));
            }
            view! {
                <div class="error-summary" role="alert" tabindex="-1" node_ref=node>
                    <h2>"There is a problem"</h2>
                    <ul>
                        {items.into_iter().map(|(id, message)| match id {
                            Some(id) => view! {
                                <li><a href=format!("#{id}") on:click=move |ev| {
                                    ev.prevent_default();
                                    focus_by_id(id);
                                }>{message}</a></li>
                            }.into_any(),
                            None => view! { <li>{message}</li> }.into_any(),
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Focuses the element with `id` and brings it into view. A fragment
/// link alone would scroll, but not reliably move focus to the field.
pub fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
            el.scroll_into_view_with_bool(false);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
