//! The browser entry point: hydrates the server-rendered page, once the
//! wasm chunk of the page's route has loaded (see `app::routes`).

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // What `leptos::mount::hydrate_lazy` does, plus one thing when it is
    // done: `data-hydrated` on the body says every part of the page,
    // including the route's lazily loaded one, answers clicks now.
    // End-to-end tests wait for it, since server-rendered HTML is
    // clickable before then and a form would post without the wasm.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async move {
        let Some(body) = document().body() else {
            return;
        };
        let handle = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        handle.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

/// Room for the wasm splitter. It moves each piece of read-only data into
/// the chunk that uses it, but when the moved pieces (some of which the
/// linker laid over one another, and which then need a copy in each chunk)
/// take more room than the original data segment, it puts the whole
/// segment into the main wasm: about 140 KB more for every page. These
/// bytes, kept by the linker and used by nothing, are that room; the
/// splitter copies them nowhere, so they cost no download.
#[used]
static SPLIT_SLACK: [u8; 16 * 1024] = [0x5a; 16 * 1024];
