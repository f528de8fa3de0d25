//! A confirmation dialog on the browser's own modal `<dialog>`: focus
//! moves into it, the rest of the page is inert until it closes, Escape
//! closes it, and focus goes back to the button that opened it.

use leptos::html;
use leptos::prelude::*;

/// Asks before something that cannot be undone. `open` shows it;
/// choosing either button or pressing Escape closes it, and only the
/// confirm button runs `on_confirm`.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    /// The question, also the dialog's accessible name.
    #[prop(into)]
    title: Signal<String>,
    /// What happens, in a sentence.
    #[prop(into)]
    body: Signal<String>,
    #[prop(into)] confirm: Signal<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let id = "confirm-title";
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    view! {
        <dialog node_ref=dialog aria-labelledby=id on:close=move |_| open.set(false)>
            <h2 id=id>{move || title.get()}</h2>
            <p>{move || body.get()}</p>
            <div class="actions">
                <button type="button" class="danger" on:click=move |_| {
                    open.set(false);
                    on_confirm.run(());
                }>{move || confirm.get()}</button>
                <button type="button" class="secondary" autofocus on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </dialog>
    }
}
