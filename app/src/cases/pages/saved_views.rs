//! The case list's saved views: the viewer's own named filters, as links
//! beside the work queues, and a form to save the filter in use.

use leptos::prelude::*;

use crate::cases::api::{DeleteView, SaveView, saved_views};
use crate::cases::filters::CaseFilter;
use crate::cases::views::{MAX_NAME_CHARS, SavedView};
use crate::ui::{FieldError, FormErrors};

#[component]
pub fn SavedViewsBar(filter: Memo<CaseFilter>) -> impl IntoView {
    let save = ServerAction::<SaveView>::new();
    let delete = ServerAction::<DeleteView>::new();
    let views = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| saved_views(),
    );
    let name = RwSignal::new(String::new());
    let errors = FormErrors::of(move || save.value().get());
    // A saved name is done with; a refused one stays to be corrected.
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            name.set(String::new());
        }
    });
    let saved = move || {
        save.value()
            .get()
            .and_then(Result::ok)
            .map(|_| view! { <p role="status" class="meta">"View saved."</p> })
    };
    view! {
        <div class="saved-views">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = views.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! { <ViewLinks list filter delete /> })
                })}
            </Suspense>
            <form class="save-view" aria-label="Save this view" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveView { name: name.get_untracked(), filter: filter.get_untracked() });
            }>
                <label for="view-name">"Save this view as"</label>
                <input id="view-name" maxlength=MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get()
                    on:input:target=move |ev| name.set(ev.target().value())
                    aria-invalid=errors.invalid("name") aria-describedby="view-name-error" />
                <button type="submit" class="secondary">"Save view"</button>
                <FieldError errors field="name" id="view-name-error" />
            </form>
            {saved}
        </div>
    }
}

#[component]
fn ViewLinks(
    list: Vec<SavedView>,
    filter: Memo<CaseFilter>,
    delete: ServerAction<DeleteView>,
) -> impl IntoView {
    view! {
        <nav aria-label="My views">
            <ul class="queues">
                {list.into_iter().map(|v| {
                    let id = v.id;
                    let query = v.href.trim_start_matches("/?").to_string();
                    let current = move || (filter.read().to_query_string() == query).then_some("true");
                    view! {
                        <li class="saved-view">
                            <a href=v.href.clone() aria-current=current>{v.name.clone()}</a>
                            <button type="button" class="remove" aria-label=format!("Delete view {}", v.name)
                                on:click=move |_| { delete.dispatch(DeleteView { id }); }>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}
