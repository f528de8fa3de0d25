//! The screens of `activity::log`.

use leptos::prelude::*;

use crate::ui::{PageTitle, TableScroll};
use leptos_router::hooks::use_query_map;

use crate::activity::ActivityAction;
use crate::activity::log::LogFilter;
use crate::activity::log::api::activity_log;
use crate::ui::ErrorNotice;

/// `/activity`: filters in the URL (`action`, `q`, `from`, `to`,
/// `before`). They apply as they change (text after a pause); the form
/// also works as a plain GET form before the wasm loads.
#[component]
pub fn ActivityLogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| LogFilter {
            action: q.get("action").unwrap_or_default(),
            text: q.get("q").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        })
    });
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let page = Resource::new(
        move || (filter.get(), before()),
        |(f, b)| activity_log(f.action, f.text, f.from, f.to, b),
    );
    let go = move |change: &dyn Fn(&mut LogFilter)| {
        let mut f = filter.get_untracked();
        change(&mut f);
        crate::ui::replace_query(
            "/activity".into(),
            vec![
                ("action", f.action),
                ("q", f.text),
                ("from", f.from),
                ("to", f.to),
            ],
        );
    };
    let typed = RwSignal::new(filter.get_untracked().text);
    let generation = RwSignal::new(0u64);
    view! {
        <PageTitle text="Activity log" />
        <h1>"Activity log"</h1>
        <form class="filters" method="get" action="/activity" aria-label="Filter the activity log">
            <div class="field">
                <label for="log-action">"Action"</label>
                <select id="log-action" name="action"
                    on:change:target=move |ev| { let v = ev.target().value(); go(&|f| f.action = v.clone()) }>
                    <option value="" selected=move || filter.with(|f| f.action.is_empty())>"Any"</option>
                    {ActivityAction::ALL.iter().map(|a| {
                        let key = a.key();
                        let value = key.clone();
                        view! { <option value=value selected=move || filter.with(|f| f.action == key)>{a.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="log-text">"Person, client or e-mail"</label>
                <input id="log-text" name="q" type="search" prop:value=move || typed.get()
                    on:input:target=move |ev| {
                        typed.set(ev.target().value());
                        crate::ui::debounced(generation, move || {
                            let v = typed.get_untracked();
                            go(&|f| f.text = v.clone());
                        });
                    } />
            </div>
            <div class="field">
                <label for="log-from">"From"</label>
                <input id="log-from" name="from" type="date" prop:value=move || filter.with(|f| f.from.clone())
                    on:change:target=move |ev| { let v = ev.target().value(); go(&|f| f.from = v.clone()) } />
            </div>
            <div class="field">
                <label for="log-to">"To"</label>
                <input id="log-to" name="to" type="date" prop:value=move || filter.with(|f| f.to.clone())
                    on:change:target=move |ev| { let v = ev.target().value(); go(&|f| f.to = v.clone()) } />
            </div>
            <button type="submit">"Filter"</button>
        </form>
        <p><a href=move || format!("/activity/export.csv?{}", filter.with(LogFilter::query)) download="">
            "Export these entries as CSV"
        </a></p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let next = p.next_before.map(|b| {
                            format!("/activity?{}&before={b}", filter.with_untracked(LogFilter::query))
                        });
                        view! {
                            <TableScroll label="Activity"><table aria-label="Activity">
                                <thead><tr>
                                    <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
                                    <th scope="col">"Subject"</th><th scope="col">"Details"</th><th scope="col">"From"</th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.at}</td><td>{r.who}</td><td>{r.action.label()}</td>
                                            <td>{r.subject}</td><td><code>{r.detail}</code></td><td>{r.ip}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                            {next.map(|href| view! { <a href=href>"Older entries"</a> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
