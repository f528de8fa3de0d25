//! The screens of `care::goals`.

use leptos::prelude::*;

use crate::care::goals::api::{AddGoal, RecordProgress, client_goals};
use crate::ui::ErrorNotice;

/// Staff: the client's goals, a form for a new goal and one for progress.
#[component]
pub fn GoalsSection(client_id: i32) -> impl IntoView {
    let add = ServerAction::<AddGoal>::new();
    let step = ServerAction::<RecordProgress>::new();
    let goals = Resource::new(
        move || (add.version().get(), step.version().get()),
        move |_| client_goals(client_id),
    );
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let goal = RwSignal::new(0i32);
    let on = RwSignal::new(String::new());
    let percent = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    view! {
        <section aria-labelledby="goals-heading">
            <h2 id="goals-heading">"Goals"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let rows = match goals.await {
                        Ok(rows) => rows,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    if goal.get_untracked() == 0 && let Some(first) = rows.first() {
                        goal.set(first.id);
                    }
                    let options = rows.iter().map(|g| view! {
                        <option value=g.id.to_string()>{g.title.clone()}</option>
                    }).collect_view();
                    view! {
                        {if rows.is_empty() { Some(view! { <p>"No goals yet."</p> }) } else { None }}
                        <ul aria-label="Goals">
                            {rows.iter().map(|g| view! {
                                <li>
                                    <strong>{g.title.clone()}</strong>
                                    {format!(" — {}{}, {}", g.status,
                                        g.target_date.as_ref().map(|d| format!(", target {d}")).unwrap_or_default(),
                                        g.latest_percent.map(|p| format!("{p}% so far")).unwrap_or_else(|| "not yet measured".into()))}
                                </li>
                            }).collect_view()}
                        </ul>
                        {(!rows.is_empty()).then(|| view! {
                            <form aria-label="Record progress" on:submit=move |ev| {
                                ev.prevent_default();
                                step.dispatch(RecordProgress {
                                    goal_id: goal.get(), recorded_on: on.get(),
                                    percent: percent.get().trim().parse().unwrap_or(-1), note: note.get(),
                                });
                            }>
                                <label for="progress-goal">"Goal"</label>
                                <select id="progress-goal" on:change:target=move |ev| goal.set(ev.target().value().parse().unwrap_or(0))>{options}</select>
                                <label for="progress-date">"Date"</label>
                                <input id="progress-date" type="date" required bind:value=on />
                                <label for="progress-percent">"Progress (%)"</label>
                                <input id="progress-percent" type="number" min="0" max="100" required bind:value=percent />
                                <label for="progress-note">"Progress note"</label>
                                <textarea id="progress-note" bind:value=note></textarea>
                                <button type="submit">"Record progress"</button>
                            </form>
                        })}
                    }.into_any()
                })}
            </Transition>
            {move || step.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <form aria-label="Add a goal" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddGoal { client_id, title: title.get(), description: description.get(), target_date: target.get() });
            }>
                <label for="goal-title">"Goal"</label>
                <input id="goal-title" required bind:value=title />
                <label for="goal-description">"Description"</label>
                <textarea id="goal-description" bind:value=description></textarea>
                <label for="goal-target">"Target date"</label>
                <input id="goal-target" type="date" bind:value=target />
                <button type="submit">"Add goal"</button>
            </form>
            {move || add.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}
