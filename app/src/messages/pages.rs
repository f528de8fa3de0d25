//! Messaging screens: a conversation (portal and staff), the staff inbox,
//! the conversations on a client's record, the Communication settings and
//! the team-lead picker. New messages arrive by polling.

use leptos::prelude::*;

use crate::ui::{PageTitle, TableScroll};

use crate::error::AppError;
use crate::messages::api::{
    SendMessage, SetTeamLead, UpdateMessaging, client_conversations, conversation, inbox,
    messaging_settings, team_lead_choices,
};
use crate::messages::{MAX_MESSAGE, MessageRow, Routing, ThreadRow};
use crate::ui::ErrorNotice;
use crate::ui::polling;

fn message_list(rows: Vec<MessageRow>) -> AnyView {
    if rows.is_empty() {
        return view! { <p>"No messages yet."</p> }.into_any();
    }
    view! {
        <ol class="conversation" aria-label="Conversation">
            {rows.into_iter().map(|m| view! {
                <li class=if m.from_agency { "from-agency" } else { "from-case-manager" }>
                    <p class="meta">{m.author}" · "{m.sent_at}</p>
                    // Plain text, escaped by the view; line breaks kept by CSS.
                    <p class="body">{m.body}</p>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// One conversation and, when writing is allowed, a box to answer in.
#[component]
pub fn Conversation(
    client_id: i32,
    /// `None` in the portal: the case manager's own conversation.
    case_manager_id: Option<i32>,
    #[prop(into)] write_label: String,
) -> impl IntoView {
    let tick = polling();
    let send = ServerAction::<SendMessage>::new();
    // Loaded in the browser only, after hydration: reading a conversation
    // marks it read, which is the reader's act, not the server render's;
    // and it is polled from the browser anyway. A signal filled by an
    // effect, not a resource under suspense: the server's HTML and the
    // hydrating page both show "Loading…", whenever the answer comes.
    let rows = RwSignal::new(None::<Result<Vec<MessageRow>, AppError>>);
    Effect::new(move |_| {
        tick.track();
        send.version().track();
        leptos::task::spawn_local(async move {
            rows.set(Some(conversation(client_id, case_manager_id).await));
        });
    });
    let body = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            body.set(String::new());
        }
    });
    let write_id = format!("message-{client_id}-{}", case_manager_id.unwrap_or(0));
    view! {
        <div class="conversation-box">
        {move || match rows.get() {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Ok(rows)) => message_list(rows),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        }}
        <form aria-label="Send a message" on:submit=move |ev| {
            ev.prevent_default();
            send.dispatch(SendMessage { client_id, case_manager_id, body: body.get() });
        }>
            <label for=write_id.clone()>{write_label}</label>
            <textarea id=write_id maxlength=MAX_MESSAGE.to_string() required bind:value=body></textarea>
            <button type="submit" disabled=move || send.pending().get()>"Send message"</button>
        </form>
        {move || send.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        </div>
    }
}

fn thread_table(
    rows: Vec<ThreadRow>,
    open: RwSignal<Option<(i32, i32)>>,
    label: &'static str,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p>"No conversations."</p> }.into_any();
    }
    view! {
        <TableScroll label=label><table aria-label=label>
            <thead><tr>
                <th scope="col">"Client"</th><th scope="col">"Case manager"</th>
                <th scope="col">"Last message"</th><th scope="col">"Unread"</th><th scope="col">"Open"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|t| {
                    let key = (t.client_id, t.case_manager_id);
                    let name = format!("Open the conversation with {} about {}", t.case_manager_name, t.client_name);
                    view! {
                        <tr>
                            <td>{t.client_name}</td>
                            <td>{t.case_manager_name}</td>
                            <td>{t.last_at}" — "{t.preview}</td>
                            <td>{t.unread}</td>
                            <td><button type="button" aria-label=name on:click=move |_| open.set(Some(key))>"Open"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></TableScroll>
    }
    .into_any()
}

/// `/messages`: Case Manager Messages, the staff inbox.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let tick = polling();
    let client = RwSignal::new(0i32);
    let cm = RwSignal::new(0i32);
    let open = RwSignal::new(None::<(i32, i32)>);
    let rows = Resource::new(
        move || (tick.get(), client.get(), cm.get()),
        move |(_, c, m)| inbox(c, m),
    );
    // The filters offer whoever appears in the unfiltered inbox.
    let everyone = Resource::new(|| (), |_| inbox(0, 0));
    view! {
        <PageTitle text="Case Manager Messages" />
        <h1>"Case Manager Messages"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let all = everyone.await.unwrap_or_default();
                let mut clients: Vec<(i32, String)> = all.iter().map(|t| (t.client_id, t.client_name.clone())).collect();
                clients.sort();
                clients.dedup();
                let mut cms: Vec<(i32, String)> = all.iter().map(|t| (t.case_manager_id, t.case_manager_name.clone())).collect();
                cms.sort();
                cms.dedup();
                view! {
                    <form class="filters" aria-label="Filter the messages" on:submit=|ev| ev.prevent_default()>
                        <div class="field">
                            <label for="inbox-client">"Client"</label>
                            <select id="inbox-client" on:change:target=move |ev| client.set(ev.target().value().parse().unwrap_or(0))>
                                <option value="0">"All clients"</option>
                                {clients.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="inbox-cm">"Case manager"</label>
                            <select id="inbox-cm" on:change:target=move |ev| cm.set(ev.target().value().parse().unwrap_or(0))>
                                <option value="0">"All case managers"</option>
                                {cms.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                            </select>
                        </div>
                    </form>
                }
            })}
        </Suspense>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => thread_table(rows, open, "Conversations"),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
        {move || open.get().map(|(client_id, case_manager_id)| view! {
            <section aria-labelledby="conversation-heading">
                <h2 id="conversation-heading">"Conversation"</h2>
                <Conversation client_id case_manager_id=Some(case_manager_id) write_label="Reply" />
            </section>
        })}
    }
}

/// The conversations about one client, on its staff record.
#[component]
pub fn ClientMessagesSection(client_id: i32) -> impl IntoView {
    let tick = polling();
    let open = RwSignal::new(None::<(i32, i32)>);
    let rows = Resource::new(move || tick.get(), move |_| client_conversations(client_id));
    view! {
        <section aria-labelledby="client-messages-heading">
            <h2 id="client-messages-heading">"Messages with case managers"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => thread_table(rows, open, "Conversations about this client"),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            {move || open.get().map(|(client_id, case_manager_id)| view! {
                <Conversation client_id case_manager_id=Some(case_manager_id) write_label="Reply" />
            })}
        </section>
    }
}

/// Settings → Case Manager Portal → Communication.
#[component]
pub fn CommunicationSettings() -> impl IntoView {
    let save = ServerAction::<UpdateMessaging>::new();
    let current = Resource::new(move || save.version().get(), |_| messaging_settings());
    view! {
        <section aria-labelledby="communication-heading">
            <h3 id="communication-heading">"Communication"</h3>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let s = match current.await {
                        Ok(s) => s,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    let enabled = RwSignal::new(s.enabled);
                    let routing = RwSignal::new(s.routing);
                    let chosen = RwSignal::new(s.staff.iter().filter(|m| m.chosen).map(|m| m.id).collect::<Vec<i32>>());
                    let staff = s.staff.clone();
                    view! {
                        <form aria-label="Communication settings" on:submit=move |ev| {
                            ev.prevent_default();
                            save.dispatch(UpdateMessaging { enabled: enabled.get(), routing: routing.get().key().into(), staff: chosen.get() });
                        }>
                            <label>
                                <input type="checkbox" prop:checked=move || enabled.get()
                                    on:change:target=move |ev| enabled.set(ev.target().checked()) />
                                "Enable messaging"
                            </label>
                            <fieldset>
                                <legend>"Who receives messages"</legend>
                                {Routing::ALL.into_iter().map(|r| view! {
                                    <label>
                                        <input type="radio" name="routing" value=r.key() prop:checked=move || routing.get() == r
                                            on:change=move |_| routing.set(r) />
                                        {r.label()}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <fieldset prop:disabled=move || routing.get() != Routing::Specific>
                                <legend>"Staff members who receive messages"</legend>
                                {staff.into_iter().map(|m| {
                                    let id = m.id;
                                    view! {
                                        <label>
                                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                                on:change:target=move |ev| {
                                                    let on = ev.target().checked();
                                                    chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id) } });
                                                } />
                                            {m.name}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <button type="submit">"Save communication settings"</button>
                        </form>
                    }.into_any()
                })}
            </Suspense>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p role="status">"Communication settings saved."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
    }
}

/// The client's team lead, on its staff record.
#[component]
pub fn TeamLeadPicker(client_id: i32) -> impl IntoView {
    let set = ServerAction::<SetTeamLead>::new();
    let choices = Resource::new(
        move || set.version().get(),
        move |_| team_lead_choices(client_id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match choices.await {
                    Ok(staff) => view! {
                        <label for="team-lead">"Team lead"</label>
                        <select id="team-lead" on:change:target=move |ev| {
                            set.dispatch(SetTeamLead { client_id, user_id: ev.target().value().parse().unwrap_or(0) });
                        }>
                            <option value="0" selected=!staff.iter().any(|m| m.chosen)>"No team lead"</option>
                            {staff.into_iter().map(|m| view! {
                                <option value=m.id.to_string() selected=m.chosen>{m.name}</option>
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        {move || set.value().get().map(|r| match r {
            Ok(()) => view! { <p role="status">"Team lead saved."</p> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })}
    }
}
