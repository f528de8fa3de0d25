//! The administration page's response deadlines and holidays (practices
//! only: for an agency the server answers with none and nothing shows).

use leptos::prelude::*;

use crate::admin::api::{AddHoliday, RemoveHoliday, SetDeadlines, get_deadlines};
use crate::admin::{DeadlineSetting, HolidayRow, MAX_DEADLINE_DAYS};
use crate::error::AppError;
use crate::ui::{ErrorNotice, ErrorSummary, FieldError, FormErrors, reload_unless_invalid};

#[component]
pub fn DeadlinesSection() -> impl IntoView {
    let save = ServerAction::<SetDeadlines>::new();
    let add = ServerAction::<AddHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let saved = reload_unless_invalid(save);
    let added = reload_unless_invalid(add);
    let setting = Resource::new(
        move || (saved.get(), added.get(), remove.version().get()),
        |_| get_deadlines(),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading the response deadlines…"</p> }>
            {move || Suspend::new(async move {
                match setting.await {
                    Ok(Some(s)) => view! { <Deadlines s save add remove /> }.into_any(),
                    Ok(None) | Err(AppError::NotFound) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Deadlines(
    s: DeadlineSetting,
    save: ServerAction<SetDeadlines>,
    add: ServerAction<AddHoliday>,
    remove: ServerAction<RemoveHoliday>,
) -> impl IntoView {
    let errors = FormErrors::of(move || save.value().get());
    let holiday_errors = FormErrors::of(move || add.value().get());
    let saved = move || {
        save.value()
            .get()
            .and_then(Result::ok)
            .map(|_| view! { <p role="status">"Deadlines saved. New referrals get them; cases already received keep theirs."</p> })
    };
    let max = MAX_DEADLINE_DAYS.to_string();
    let days = move |id: &'static str, name: &'static str, label: &'static str, value: i32| {
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type="number" min="0" max=max.clone() step="1"
                    value=value.to_string() required
                    aria-invalid=errors.invalid(name)
                    aria-describedby=format!("deadline-hint {error_id}") />
                <FieldError errors field=name id=error_id />
            </div>
        }
    };
    let rows = s.holidays.clone();
    view! {
        <section aria-labelledby="deadlines-heading">
            <h2 id="deadlines-heading">"Response deadlines"</h2>
            <p id="deadline-hint" class="hint">
                "Business days your practice has to accept or reject a referral, Monday to Friday \
                 except the holidays below. 0 means by the end of the day it arrives."
            </p>
            <ErrorSummary error=errors.signal() fields=&[
                ("routine", "deadline-routine"),
                ("urgent", "deadline-urgent"),
                ("emergency", "deadline-emergency"),
            ] />
            <ActionForm action=save attr:aria-label="Response deadlines" attr:class="deadline-form">
                {days("deadline-routine", "routine", "Routine referrals (business days)", s.routine)}
                {days("deadline-urgent", "urgent", "Urgent referrals (business days)", s.urgent)}
                {days("deadline-emergency", "emergency", "Emergency referrals (business days)", s.emergency)}
                <button type="submit">"Save deadlines"</button>
            </ActionForm>
            {saved}
            <h3 id="holidays-heading">"Holidays"</h3>
            {if rows.is_empty() {
                view! { <p>"No holidays listed."</p> }.into_any()
            } else {
                view! {
                    <ul class="holidays" aria-labelledby="holidays-heading">
                        {rows.into_iter().map(|h| view! { <HolidayItem h remove /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ErrorSummary error=holiday_errors.signal() fields=&[
                ("day", "holiday-day"),
                ("name", "holiday-name"),
            ] />
            <ActionForm action=add attr:aria-label="Add a holiday" attr:class="holiday-form">
                <div class="field">
                    <label for="holiday-day">"Holiday date"</label>
                    <input id="holiday-day" name="day" type="date" required
                        aria-invalid=holiday_errors.invalid("day") aria-describedby="holiday-day-error" />
                    <FieldError errors=holiday_errors field="day" id="holiday-day-error" />
                </div>
                <div class="field">
                    <label for="holiday-name">"Holiday name"</label>
                    <input id="holiday-name" name="name" maxlength="100" required
                        aria-invalid=holiday_errors.invalid("name") aria-describedby="holiday-name-error" />
                    <FieldError errors=holiday_errors field="name" id="holiday-name-error" />
                </div>
                <button type="submit">"Add holiday"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn HolidayItem(h: HolidayRow, remove: ServerAction<RemoveHoliday>) -> impl IntoView {
    let label = format!("Remove {}, {}", h.name, h.day);
    let id = h.id;
    view! {
        <li>
            <span>{h.day}" · "{h.name}</span>
            <button type="button" class="secondary" aria-label=label on:click=move |_| {
                remove.dispatch(RemoveHoliday { id });
            }>"Remove"</button>
        </li>
    }
}
