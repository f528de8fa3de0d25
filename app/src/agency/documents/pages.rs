use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::{ErrorSummary, FieldError, FormErrors, TableScroll, size_label};

use crate::agency::Sharing;
use crate::agency::documents::api::{
    SetCategorySharing, SetDocumentShared, client_documents, document_categories, upload_limit,
};
use crate::ui::ErrorNotice;

/// Settings → Documents → Categories: each category's default sharing.
#[component]
pub fn CategorySettings() -> impl IntoView {
    let set = ServerAction::<SetCategorySharing>::new();
    let cats = Resource::new(move || set.version().get(), |_| document_categories());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match cats.await {
                    Ok(rows) => view! {
                        <TableScroll label="Document categories"><table aria-label="Document categories">
                            <thead><tr><th scope="col">"Category"</th><th scope="col">"Shared with case managers"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| {
                                    let id = c.id;
                                    let label = format!("Sharing of {}", c.name);
                                    view! {
                                        <tr>
                                            <td>{c.name.clone()}</td>
                                            <td>
                                                <select aria-label=label on:change=move |ev| {
                                                    if let Some(sharing) = Sharing::from_key(&event_target_value(&ev)) {
                                                        set.dispatch(SetCategorySharing { category_id: id, sharing });
                                                    }
                                                }>
                                                    {Sharing::ALL.into_iter().map(|s| view! {
                                                        <option value=s.key() selected=s == c.sharing>{s.label()}</option>
                                                    }).collect_view()}
                                                </select>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                        <p class="hint">"Never: always private, even if a document is marked. Always: shared automatically. Manual: per document."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Client → Documents: upload, list, download, share.
#[component]
pub fn ClientDocuments(client_id: i32, client_name: String) -> impl IntoView {
    let share = ServerAction::<SetDocumentShared>::new();
    // Bumped by each upload sent from this page, to list the new document.
    let uploaded = RwSignal::new(0u32);
    let docs = Resource::new(
        move || (share.version().get(), uploaded.get()),
        move |_| client_documents(client_id),
    );
    view! {
        <section aria-labelledby="documents-heading">
            <h2 id="documents-heading">"Documents"</h2>
            {move || share.value().get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
            <UploadForm client_id uploaded />
            <Suspense fallback=|| view! { <p>"Loading documents…"</p> }>
                {move || {
                let client_name = client_name.clone();
                Suspend::new(async move {
                    match docs.await {
                        Ok(rows) if rows.is_empty() => view! { <p>"No documents yet."</p> }.into_any(),
                        Ok(rows) => view! {
                            <TableScroll label={format!("Documents of {client_name}")}><table aria-label=format!("Documents of {client_name}")>
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Category"</th>
                                    <th scope="col">"Uploaded"</th><th scope="col">"Case managers"</th>
                                    <th scope="col">"Actions"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|d| {
                                        let id = d.id;
                                        let marked = d.marked;
                                        let name = d.name.clone();
                                        let state = if d.shared { "Shared" } else { "Private" };
                                        let why = match d.category_sharing {
                                            Sharing::Never => " (category: never shared)",
                                            Sharing::Always => " (category: always shared)",
                                            Sharing::Manual => "",
                                        };
                                        let toggle = (d.category_sharing == Sharing::Manual).then(|| {
                                            let (label, question) = if marked {
                                                (format!("Stop sharing {name}"), format!("Stop sharing {name} with case managers?"))
                                            } else {
                                                (format!("Share {name} with Case Managers"), format!("Share {name} with the client's case managers?"))
                                            };
                                            let aria = label.clone();
                                            view! {
                                                <button type="button" aria-label=aria on:click=move |_| {
                                                    if window().confirm_with_message(&question).unwrap_or(false) {
                                                        share.dispatch(SetDocumentShared { document_id: id, shared: !marked });
                                                    }
                                                }>{label}</button>
                                            }
                                        });
                                        view! {
                                            <tr>
                                                <td><a href=format!("/documents/{id}/download") rel="external" download="">{d.name}</a></td>
                                                <td>{d.category}</td>
                                                <td>{d.uploaded_at}</td>
                                                <td>{state}{why}</td>
                                                <td>{toggle}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// The upload form. It posts as a plain multipart form, so it works
/// before the page hydrates; once it has, it checks the size first and
/// sends with a progress bar, and the new document appears in the list
/// without leaving the page.
#[component]
fn UploadForm(client_id: i32, uploaded: RwSignal<u32>) -> impl IntoView {
    let cats = Resource::new(|| (), |_| document_categories());
    let limit = Resource::new(|| (), |_| upload_limit());
    let action = format!("/clients/{client_id}/documents");
    // The last attempt's failure, whichever side found it.
    let failure = RwSignal::new(None::<AppError>);
    let errors = FormErrors::of(move || failure.get().map(Err::<(), _>));
    let progress = RwSignal::new(None::<u32>);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let max_bytes = move || limit.get().and_then(Result::ok);
    view! {
        <ErrorSummary error=errors.signal() fields=&[("file", "doc-file"), ("category", "doc-category")] />
        <form aria-label="Upload a document" method="post" action=action enctype="multipart/form-data"
            on:submit=move |ev| submit(ev, max_bytes(), failure, progress, status, busy, uploaded)>
            <label for="doc-file">"File"</label>
            <p class="hint" id="doc-file-hint">
                "PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain text"
                {move || max_bytes().map(|b| format!(", at most {}", size_label(b)))}
                ". Caseport checks what the file really is, whatever its name says."
            </p>
            <input id="doc-file" name="file" type="file" required
                aria-describedby="doc-file-hint doc-file-error" aria-invalid=errors.invalid("file")
                accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.csv,.md,.log"
                on:change=move |_| { failure.set(None); progress.set(None); status.set(String::new()); } />
            <FieldError errors field="file" id="doc-file-error" />
            <label for="doc-category">"Category"</label>
            <select id="doc-category" name="category_id" aria-invalid=errors.invalid("category") aria-describedby="doc-category-error">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        cats.await.unwrap_or_default().into_iter().map(|c| view! {
                            <option value=c.id.to_string()>{format!("{} ({})", c.name, c.sharing.label())}</option>
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <FieldError errors field="category" id="doc-category-error" />
            <label for="doc-share">
                <input id="doc-share" name="shared" type="checkbox" value="on" />
                "Share with Case Managers"
            </label>
            {move || progress.get().map(|pct| view! {
                <progress class="upload-progress" max="100" value=pct aria-label="Upload progress">{format!("{pct} %")}</progress>
            })}
            // The live region stays in the page so its news is announced;
            // the message inside comes and goes.
            <div role="status" class="upload-status">
                {move || Some(status.get()).filter(|s| !s.is_empty()).map(|s| view! { <p class="status-message">{s}</p> })}
            </div>
            <button type="submit" disabled=move || busy.get()>"Upload"</button>
        </form>
    }
}

/// Sends the form with progress once hydrated; refuses a file over the
/// limit before a byte leaves the browser.
fn submit(
    ev: leptos::ev::SubmitEvent,
    max_bytes: Option<u64>,
    failure: RwSignal<Option<AppError>>,
    progress: RwSignal<Option<u32>>,
    status: RwSignal<String>,
    busy: RwSignal<bool>,
    uploaded: RwSignal<u32>,
) {
    #[cfg(feature = "hydrate")]
    {
        use crate::ui::send_form;
        use wasm_bindgen::JsCast;

        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(form) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let file = document()
            .get_element_by_id("doc-file")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.item(0));
        let Some(file) = file else {
            failure.set(Some(AppError::invalid("file", "Choose a file to upload.")));
            return;
        };
        let name = file.name();
        let size = file.size() as u64;
        if let Some(max) = max_bytes
            && size > max
        {
            failure.set(Some(AppError::invalid(
                "file",
                format!(
                    "{name} is {}: a document can be at most {}.",
                    size_label(size),
                    size_label(max)
                ),
            )));
            return;
        }
        failure.set(None);
        busy.set(true);
        progress.set(Some(0));
        status.set(format!("Uploading {name}…"));
        let reset = form.clone();
        let sent = send_form(
            &form,
            move |pct| progress.set(Some(pct)),
            move |outcome| {
                busy.set(false);
                match outcome_of(outcome) {
                    Ok(()) => {
                        reset.reset();
                        status.set(format!("Document uploaded: {name}."));
                        uploaded.update(|n| *n += 1);
                    }
                    Err(e) => {
                        progress.set(None);
                        status.set(String::new());
                        failure.set(Some(e));
                    }
                }
            },
        );
        if sent.is_err() {
            // No XMLHttpRequest: let the browser post the form itself.
            busy.set(false);
            let _ = form.submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, max_bytes, failure, progress, status, busy, uploaded);
}

/// What the server's answer means for the form. The upload route
/// redirects back to the client with `uploaded` or `upload_error` (and
/// the field it concerns) in the query.
#[cfg(feature = "hydrate")]
fn outcome_of(sent: crate::ui::Sent) -> Result<(), AppError> {
    use crate::ui::Sent;
    match sent {
        Sent::Answered(url) => {
            let query = web_sys::Url::new(&url).map(|u| u.search_params()).ok();
            let get = |k: &str| query.as_ref().and_then(|q| q.get(k));
            match get("upload_error") {
                None if get("uploaded").is_some() => Ok(()),
                None => Err(AppError::invalid(
                    "file",
                    "The upload did not finish. Try again.",
                )),
                Some(message) => {
                    let field = get("upload_field")
                        .filter(|f| f == "category")
                        .unwrap_or_else(|| "file".into());
                    Err(AppError::invalid(&field, message))
                }
            }
        }
        Sent::Refused(_, text) if !text.trim().is_empty() && text.len() < 200 => {
            Err(AppError::invalid("file", text))
        }
        Sent::Refused(status, _) => Err(AppError::invalid(
            "file",
            format!("The server refused the upload ({status}). Try again."),
        )),
        Sent::Broken => Err(AppError::invalid(
            "file",
            "The upload broke off. Check the connection and try again.",
        )),
    }
}
