//! The account page's "API tokens" section: make a token for a program,
//! copy it once, see when each was last used, revoke it.

use leptos::prelude::*;

use crate::api_tokens::api::{CreateApiToken, RevokeApiToken, api_tokens};
use crate::api_tokens::{LIFETIMES, NewToken, Scope, TokenRow, TokenSettings};
use crate::ui::{ErrorSummary, FieldError, FormErrors, TableScroll};

#[component]
pub fn ApiTokensSection() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    // Refetch after a token is made or revoked, not after a refused
    // attempt: that would redraw the form and lose what was typed.
    let made = move || create.value().get().and_then(Result::ok).map(|t| t.id);
    let settings = Resource::new(move || (made(), revoke.version().get()), |_| api_tokens());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) if s.offered.is_empty() => ().into_any(),
                    Ok(s) => view! { <TokenPanel settings=s create revoke /> }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TokenPanel(
    settings: TokenSettings,
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="api-tokens-heading">
            <h2 id="api-tokens-heading">"API tokens"</h2>
            <p>"A token lets a program, such as your records system, read through Caseport's FHIR API what you may read here, and nothing more. It can only read. Treat it like a password."</p>
            <p class="hint">"Changing your password or e-mail address revokes all your tokens, as does an admin signing you out everywhere."</p>
            <CreateTokenForm offered=settings.offered create />
            <TokenTable tokens=settings.tokens revoke />
        </section>
    }
    .into_any()
}

#[component]
fn CreateTokenForm(offered: Vec<Scope>, create: ServerAction<CreateApiToken>) -> impl IntoView {
    let errors = FormErrors::of(move || create.value().get());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let days = RwSignal::new(90);
    let chosen: Vec<(Scope, RwSignal<bool>)> =
        offered.iter().map(|s| (*s, RwSignal::new(false))).collect();
    let picked = StoredValue::new(chosen.clone());
    let created = move || match create.value().get() {
        Some(Ok(t)) => Some(view! { <CreatedToken token=t /> }),
        _ => None,
    };
    view! {
        <ErrorSummary error=errors.signal() fields=&[("name", "token-name"), ("scopes", "token-scopes"), ("days", "token-days"), ("password", "token-password")] />
        <form class="token-form" aria-labelledby="new-token-heading" on:submit=move |ev| {
            ev.prevent_default();
            let scopes = picked.with_value(|p| p.iter().filter(|(_, on)| on.get_untracked()).map(|(s, _)| *s).collect());
            create.dispatch(CreateApiToken {
                name: name.get_untracked(),
                scopes,
                days: days.get_untracked(),
                password: password.get_untracked(),
            });
        }>
            <h3 id="new-token-heading">"Create an API token"</h3>
            <div class="field">
                <label for="token-name">"Token name"</label>
                <input id="token-name" type="text" maxlength="80" aria-describedby="token-name-hint token-name-error"
                    aria-invalid=errors.invalid("name")
                    prop:value=move || name.get() on:input:target=move |ev| name.set(ev.target().value()) />
                <p class="hint" id="token-name-hint">"Say which program uses it, so you know which to revoke."</p>
                <FieldError errors field="name" id="token-name-error" />
            </div>
            <fieldset id="token-scopes" aria-describedby="token-scopes-error">
                <legend>"What it may read"</legend>
                {chosen.into_iter().map(|(scope, on)| {
                    let id = format!("token-scope-{}", scope.key());
                    view! {
                        <label for=id.clone()>
                            <input id=id.clone() type="checkbox" prop:checked=move || on.get()
                                on:change:target=move |ev| on.set(ev.target().checked()) />
                            {scope.label()}
                        </label>
                    }
                }).collect_view()}
                <FieldError errors field="scopes" id="token-scopes-error" />
            </fieldset>
            <div class="field">
                <label for="token-days">"Expires after"</label>
                <select id="token-days" on:change:target=move |ev| {
                    if let Ok(d) = ev.target().value().parse() { days.set(d); }
                }>
                    {LIFETIMES.into_iter().map(|d| view! {
                        <option value=d.to_string() selected=move || days.get() == d>{format!("{d} days")}</option>
                    }).collect_view()}
                </select>
                <FieldError errors field="days" id="token-days-error" />
            </div>
            <div class="field">
                <label for="token-password">"Your password, to create a token"</label>
                <input id="token-password" type="password" autocomplete="current-password"
                    aria-describedby="token-password-error" aria-invalid=errors.invalid("password")
                    prop:value=move || password.get() on:input:target=move |ev| password.set(ev.target().value()) />
                <FieldError errors field="password" id="token-password-error" />
            </div>
            <button type="submit" disabled=move || create.pending().get()>"Create token"</button>
        </form>
        {created}
    }
}

/// The new token, once: it cannot be shown again.
#[component]
fn CreatedToken(token: NewToken) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            <p>{format!("Token \"{}\" created. Copy it now: it is not shown again.", token.name)}</p>
            <label for="new-token-value">"Your new token"</label>
            <input id="new-token-value" class="token-value" type="text" readonly value=token.token />
        </div>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenRow>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p>"You have no API tokens."</p> }.into_any();
    }
    view! {
        <TableScroll label="Your API tokens"><table aria-label="Your API tokens">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"May read"</th>
                <th scope="col">"Created"</th><th scope="col">"Expires"</th>
                <th scope="col">"Last used"</th><th scope="col">"State"</th><th scope="col">""</th>
            </tr></thead>
            <tbody>
                {tokens.into_iter().map(|t| {
                    let id = t.id;
                    let label = format!("Revoke token {}", t.name);
                    let scopes = t.scopes.iter().map(|s| s.label()).collect::<Vec<_>>().join("; ");
                    view! {
                        <tr>
                            <td>{t.name}</td><td>{scopes}</td><td>{t.created}</td><td>{t.expires}</td>
                            <td>{t.last_used}</td><td>{t.state}</td>
                            <td>{t.live.then(|| view! {
                                <button type="button" aria-label=label disabled=move || revoke.pending().get()
                                    on:click=move |_| { revoke.dispatch(RevokeApiToken { id }); }>"Revoke"</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></TableScroll>
    }
    .into_any()
}
