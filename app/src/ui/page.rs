//! What every page shares: its tab title, a scroll box for wide tables,
//! and moving focus to the new page's heading after client-side
//! navigation.

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the tab's title: "Practice cases · Caseport".
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=format!("{text} · Caseport") /> }
}

/// Where a page sits: links to the pages above it, then the page itself.
/// `trail` is (label, href) from the top down.
#[component]
pub fn Breadcrumbs(
    trail: Vec<(&'static str, String)>,
    #[prop(into)] current: String,
) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumbs">
            <ol>
                {trail.into_iter().map(|(label, href)| view! {
                    <li><leptos_router::components::A href=href>{label}</leptos_router::components::A></li>
                }).collect_view()}
                <li><span aria-current="page">{current}</span></li>
            </ol>
        </nav>
    }
}

/// A wide table scrolls inside this box, not the page (1.4.10 reflow).
/// It is a labelled, focusable region so keyboard users can scroll it too
/// (the "Inclusive Components" data-table pattern).
#[component]
pub fn TableScroll(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}

/// After a client-side navigation to another path, focus the new page's
/// `<h1>`, so a screen reader announces where the user landed (as a full
/// page load would). Query-string changes (the case list's filters) keep
/// focus where it is.
#[component]
pub fn FocusOnNavigate() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let _path = location.pathname.get();
        if first.get_value() {
            first.set_value(false);
            return;
        }
        focus_heading(20);
    });
}

/// Pages that load data draw their heading a little later: try again for
/// about a second.
fn focus_heading(tries: u32) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let heading = document()
            .query_selector("main h1")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok());
        match heading {
            Some(h) => {
                if h.get_attribute("tabindex").is_none() {
                    let _ = h.set_attribute("tabindex", "-1");
                }
                let _ = h.focus();
            }
            None if tries > 0 => {
                gloo_timers::callback::Timeout::new(50, move || focus_heading(tries - 1)).forget();
            }
            None => {}
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = tries;
}
