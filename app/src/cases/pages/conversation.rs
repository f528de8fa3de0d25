//! The case page's conversation and attachments: one thread for both
//! practices, internal notes for one's own, and the files on the case.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::cases::api::{PostToCase, case_conversation};
use crate::cases::conversation::{AttachmentView, Conversation, PostView};
use crate::ui::{ErrorNotice, ErrorSummary, FieldError, FormErrors, size_label};

#[component]
pub fn CaseConversation(id: i32) -> impl IntoView {
    let post = ServerAction::<PostToCase>::new();
    let thread = Resource::new(move || post.version().get(), move |_| case_conversation(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading the conversation…"</p> }>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(c) => view! { <Thread id c post /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Thread(id: i32, c: Conversation, post: ServerAction<PostToCase>) -> impl IntoView {
    let Conversation {
        posts,
        attachments,
        can_post,
        own_practice,
        max_upload_bytes,
    } = c;
    let thread = view! {
        <section class="panel" aria-labelledby="conversation-heading">
            <h2 id="conversation-heading">"Conversation"</h2>
            {posts.is_empty().then(|| view! { <p class="muted">"No messages yet."</p> })}
            <ol aria-label="Messages" class="thread">
                {posts.into_iter().map(|p| view! { <Post p /> }.into_any()).collect_view()}
            </ol>
            {can_post.then(|| view! { <WritePost id own_practice post /> }.into_any())}
        </section>
    }
    .into_any();
    let files = view! {
        <section class="panel" aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">"Attachments"</h2>
            {attachments.is_empty().then(|| view! { <p class="muted">"No files attached."</p> })}
            <ul aria-label="Attached files" class="files">
                {attachments.into_iter().map(|a| view! { <File a /> }).collect_view()}
            </ul>
            {can_post.then(|| view! { <AttachFile id max_upload_bytes /> }.into_any())}
        </section>
    }
    .into_any();
    view! { {thread} {files} }
}

#[component]
fn Post(p: PostView) -> impl IntoView {
    let class = if p.internal { "post internal" } else { "post" };
    view! {
        <li class=class>
            <p class="byline">
                <strong>{p.author}</strong>
                {p.internal.then(|| view! { <span class="badge neutral">"Internal note"</span> })}
            </p>
            <p class="body">{p.body}</p>
            <p class="meta">{p.practice}<span aria-hidden="true">" · "</span><span class="visually-hidden">", "</span><time>{p.at}</time></p>
        </li>
    }
}

#[component]
fn File(a: AttachmentView) -> impl IntoView {
    view! {
        <li>
            <a href=format!("/case-files/{}", a.id) download>{a.name.clone()}</a>
            <span class="muted">{format!(" ({}), {} · {}", a.size, a.by, a.at)}</span>
        </li>
    }
}

/// A message to both practices, or an internal note to one's own.
#[component]
fn WritePost(id: i32, own_practice: String, post: ServerAction<PostToCase>) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    let errors = FormErrors::of(move || post.value().get());
    // A post that went through empties the box for the next one.
    Effect::new(move |_| {
        if let Some(Ok(_)) = post.value().get() {
            body.set(String::new());
        }
    });
    let note_label = format!("Internal note: {own_practice} only");
    view! {
        <ErrorSummary error=errors.signal() fields=&[("body", "post-body")] />
        <form class="write-post" aria-label="Write on this case" on:submit=move |ev| {
            ev.prevent_default();
            post.dispatch(PostToCase { id, body: body.get_untracked(), internal: internal.get_untracked() });
        }>
            <label for="post-body">"Message"</label>
            <textarea id="post-body" rows="3" aria-invalid=errors.invalid("body") aria-describedby="post-body-error"
                prop:value=move || body.get()
                on:input:target=move |ev| body.set(ev.target().value())></textarea>
            <FieldError errors field="body" id="post-body-error" />
            <fieldset class="audience">
                <legend>"Who reads it"</legend>
                <label>
                    <input type="radio" name="audience" value="both" checked
                        on:change=move |_| internal.set(false) />
                    "Everyone on the case"
                </label>
                <label>
                    <input type="radio" name="audience" value="internal"
                        on:change=move |_| internal.set(true) />
                    {note_label}
                </label>
            </fieldset>
            <button type="submit" disabled=move || post.pending().get()>
                {move || if internal.get() { "Add internal note" } else { "Send message" }}
            </button>
        </form>
    }
}

/// A plain multipart form: the server stores the file and comes back to the
/// case with what happened in the query.
#[component]
fn AttachFile(id: i32, max_upload_bytes: u64) -> impl IntoView {
    let query = use_query_map();
    let attached = move || query.read().get("attached").is_some();
    let failed = move || query.read().get("attach_error");
    view! {
        <div role="status">
            {move || attached().then(|| view! { <p class="status-message">"File attached."</p> })}
        </div>
        {move || failed().map(|e| view! { <p role="alert" class="error" id="attach-file-error">{e}</p> })}
        <form class="attach" aria-label="Attach a file" method="post" action=format!("/cases/{id}/attachments")
            enctype="multipart/form-data">
            <label for="attach-file">"File to attach"</label>
            <p class="hint" id="attach-file-hint">
                {format!("PDF, Word, Excel, PNG, JPEG or plain text, at most {}. Everyone on the case can open it.",
                    size_label(max_upload_bytes))}
            </p>
            <input id="attach-file" name="file" type="file" required
                aria-describedby="attach-file-hint attach-file-error"
                accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.csv,.md,.log" />
            <button type="submit" class="secondary">"Attach file"</button>
        </form>
    }
}
