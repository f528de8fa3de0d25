//! The care record on the staff app's client page, and the tables the
//! portal reuses.

use leptos::prelude::*;

use crate::ui::TableScroll;

use crate::care::MonthHours;
use crate::care::api::{
    AddAppointment, AddAssessment, AddNote, SetAppointmentStatus, UpdateAppointment, care_record,
};
use crate::care::hours::{HoursChart, hours};
use crate::care::{
    AppointmentInput, AppointmentRow, AppointmentSaved, AppointmentStatus, AssessmentInput,
    AssessmentRow, NoteInput,
};
use crate::error::AppError;
use crate::ui::ErrorNotice;
use crate::ui::{ErrorSummary, FieldError, FormErrors};

/// Monthly hours as a table: what the chart shows, readable by everyone.
#[component]
pub fn HoursTable(months: Vec<MonthHours>) -> impl IntoView {
    view! {
        <TableScroll label="Monthly hours"><table aria-label="Monthly hours">
            <thead><tr>
                <th scope="col">"Month"</th><th scope="col" class="num">"Authorised"</th><th scope="col" class="num">"Scheduled"</th>
                <th scope="col" class="num">"Completed"</th><th scope="col" class="num">"Remaining"</th>
            </tr></thead>
            <tbody>
                {months.into_iter().rev().map(|m| view! {
                    <tr>
                        <th scope="row">{crate::care::hours::month_label(&m.month)}</th>
                        <td class="num">{hours(m.authorised_minutes)}</td>
                        <td class="num">{hours(m.scheduled_minutes)}</td>
                        <td class="num">{hours(m.completed_minutes)}</td>
                        <td class="num">{hours(m.remaining_minutes)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></TableScroll>
    }
}

#[component]
pub fn AssessmentList(rows: Vec<AssessmentRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No assessments yet."</p> }.into_any();
    }
    view! {
        <ul class="assessments" aria-label="Assessments">
            {rows.into_iter().map(|a| view! {
                <li>
                    <h3>{format!("{} — {}", a.assessed_on, a.title)}</h3>
                    <p>{a.summary}</p>
                    {a.next_due.map(|d| view! { <p>{format!("Next assessment due {d}")}</p> })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Appointments as a table; `on_status` adds a status picker per row and
/// `on_edit` an Edit button (staff).
#[component]
pub fn AppointmentTable(
    rows: Vec<AppointmentRow>,
    #[prop(optional)] on_status: Option<Callback<(i32, AppointmentStatus)>>,
    #[prop(optional)] on_edit: Option<Callback<AppointmentRow>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No appointments in this period."</p> }.into_any();
    }
    let show_staff = on_status.is_some() || rows.iter().any(|r| r.staff.is_some());
    view! {
        <TableScroll label="Appointments"><table aria-label="Appointments">
            <thead><tr>
                <th scope="col">"Starts"</th><th scope="col">"Ends"</th><th scope="col">"Service"</th>
                {show_staff.then(|| view! { <th scope="col">"Staff"</th> })}
                <th scope="col" class="num">"Hours"</th><th scope="col">"Status"</th>
                {on_edit.is_some().then(|| view! { <th scope="col">"Change"</th> })}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|a| {
                    let id = a.id;
                    let edit = on_edit.map(|cb| {
                        let row = a.clone();
                        view! {
                            <td><button type="button" aria-label=format!("Edit the appointment on {}", a.starts)
                                on:click=move |_| cb.run(row.clone())>"Edit"</button></td>
                        }
                    });
                    let status = match on_status {
                        Some(cb) => view! {
                            <select aria-label=format!("Status of the appointment on {}", a.starts)
                                on:change=move |ev| {
                                    if let Some(s) = AppointmentStatus::from_key(&event_target_value(&ev)) {
                                        cb.run((id, s));
                                    }
                                }>
                                {AppointmentStatus::ALL.into_iter().map(|s| view! {
                                    <option value=s.key() selected=s == a.status>{s.label()}</option>
                                }).collect_view()}
                            </select>
                        }.into_any(),
                        None => view! { <span class=format!("badge {}", a.status.tone())>{a.status.label()}</span> }.into_any(),
                    };
                    view! {
                        <tr>
                            <td>{a.starts.clone()}</td>
                            <td>{a.ends.clone()}</td>
                            <td>{a.service_type}</td>
                            {show_staff.then(|| view! { <td>{a.staff.unwrap_or_default()}</td> })}
                            <td class="num">{hours(i64::from(a.minutes))}</td>
                            <td>{status}</td>
                            {edit}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></TableScroll>
    }
    .into_any()
}

/// The staff app's care record for one client: hours, appointments, notes,
/// assessments, and the forms to add to them.
#[component]
pub fn CareRecordSection(client_id: i32) -> impl IntoView {
    let add_appt = ServerAction::<AddAppointment>::new();
    let update_appt = ServerAction::<UpdateAppointment>::new();
    // The appointment being changed, if the form is in edit mode.
    let editing = RwSignal::new(None::<(i32, Option<i32>)>);
    let set_status = ServerAction::<SetAppointmentStatus>::new();
    let add_note = ServerAction::<AddNote>::new();
    let add_assessment = ServerAction::<AddAssessment>::new();
    let record = Resource::new(
        move || {
            (
                add_appt.version().get(),
                update_appt.version().get(),
                set_status.version().get(),
                add_note.version().get(),
                add_assessment.version().get(),
            )
        },
        move |_| care_record(client_id),
    );
    let on_status = Callback::new(move |(appointment_id, status)| {
        set_status.dispatch(SetAppointmentStatus {
            appointment_id,
            status,
        });
    });
    let appt = (
        RwSignal::new(String::new()),
        RwSignal::new("09:00".to_string()),
        RwSignal::new("10:00".to_string()),
        RwSignal::new("Personal care".to_string()),
    );
    let on_edit = Callback::new(move |row: AppointmentRow| {
        appt.0.set(row.date.clone());
        appt.1.set(row.start.clone());
        appt.2.set(row.end.clone());
        appt.3.set(row.service_type.clone());
        editing.set(Some((row.id, row.staff_user_id)));
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = update_appt.value().get() {
            editing.set(None);
        }
    });
    // The last save of either kind: its field errors, or its notice.
    let last_saved = RwSignal::new(None::<Result<AppointmentSaved, AppError>>);
    Effect::new(move |_| {
        if let Some(r) = add_appt.value().get() {
            last_saved.set(Some(r));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = update_appt.value().get() {
            last_saved.set(Some(r));
        }
    });
    let appt_errors = FormErrors::of(move || last_saved.get());
    let note_errors = FormErrors::of(move || add_note.value().get());
    let assess_errors = FormErrors::of(move || add_assessment.value().get());
    let appt_notice = move || {
        last_saved
            .get()
            .and_then(Result::ok)
            .and_then(|s| s.notice)
            .map(|n| view! { <p role="status">{n}</p> })
    };
    let note = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let assess = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let status_problem = move || {
        set_status
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p role="alert">{e.to_string()}</p> })
    };
    view! {
        <section aria-labelledby="care-heading">
            <h2 id="care-heading">"Care record"</h2>
            <Transition fallback=|| view! { <p>"Loading the care record…"</p> }>
                {move || Suspend::new(async move {
                    match record.await {
                        Ok(r) => view! {
                            <p class="zone-note">{r.zone.clone()}</p>
                            <h3>"Hours"</h3>
                            <HoursChart months=r.hours.clone() />
                            <HoursTable months=r.hours />
                            <h3>"Appointments"</h3>
                            {status_problem}
                            <AppointmentTable rows=r.appointments on_status on_edit />
                            <h3>"Service notes"</h3>
                            <ul aria-label="Service notes">
                                {r.notes.into_iter().map(|n| view! {
                                    <li>
                                        <p class="meta">{format!("{} · {}", n.written_at, n.author.unwrap_or_default())}</p>
                                        <p>{n.content}</p>
                                        {n.internal.filter(|i| !i.is_empty()).map(|i| view! {
                                            <p class="internal"><strong>"Internal: "</strong>{i}</p>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <h3>"Assessments"</h3>
                            <AssessmentList rows=r.assessments />
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>

            <ErrorSummary error=appt_errors.signal() fields=&[
                ("date", "appt-date"),
                ("start", "appt-start"),
                ("end", "appt-end"),
                ("service_type", "appt-service"),
            ] />
            <form aria-label=move || if editing.get().is_some() { "Change the appointment" } else { "Add an appointment" }
                on:submit=move |ev| {
                ev.prevent_default();
                let input = |staff_user_id| AppointmentInput {
                    date: appt.0.get(), start: appt.1.get(), end: appt.2.get(), service_type: appt.3.get(), staff_user_id,
                };
                match editing.get() {
                    Some((appointment_id, staff)) => {
                        update_appt.dispatch(UpdateAppointment { appointment_id, input: input(staff) });
                    }
                    None => {
                        add_appt.dispatch(AddAppointment { client_id, input: input(None) });
                    }
                }
            }>
                <label for="appt-date">"Date"</label>
                <input id="appt-date" type="date" bind:value=appt.0 aria-invalid=appt_errors.invalid("date") aria-describedby="appt-date-error" required />
                <FieldError errors=appt_errors field="date" id="appt-date-error" />
                <label for="appt-start">"Start"</label>
                <input id="appt-start" type="time" bind:value=appt.1 aria-invalid=appt_errors.invalid("start") aria-describedby="appt-start-error" required />
                <FieldError errors=appt_errors field="start" id="appt-start-error" />
                <label for="appt-end">"End"</label>
                <input id="appt-end" type="time" bind:value=appt.2 aria-invalid=appt_errors.invalid("end") aria-describedby="appt-end-error" required />
                <FieldError errors=appt_errors field="end" id="appt-end-error" />
                <label for="appt-service">"Service"</label>
                <input id="appt-service" bind:value=appt.3 required maxlength="80" aria-invalid=appt_errors.invalid("service_type") aria-describedby="appt-service-error" />
                <FieldError errors=appt_errors field="service_type" id="appt-service-error" />
                <button type="submit">{move || if editing.get().is_some() { "Save changes" } else { "Add appointment" }}</button>
                {move || editing.get().is_some().then(|| view! {
                    <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                })}
                {appt_notice}
            </form>

            <form aria-label="Add a service note" on:submit=move |ev| {
                ev.prevent_default();
                add_note.dispatch(AddNote { client_id, input: NoteInput { content: note.0.get(), internal: note.1.get() } });
            }>
                <label for="note-content">"Note (may be shared with case managers)"</label>
                <textarea id="note-content" bind:value=note.0 maxlength="10000"
                    aria-invalid=note_errors.invalid("content") aria-describedby="note-content-error"></textarea>
                <FieldError errors=note_errors field="content" id="note-content-error" />
                <label for="note-internal">"Internal note (never shared)"</label>
                <textarea id="note-internal" bind:value=note.1 maxlength="10000"></textarea>
                <button type="submit">"Add note"</button>
            </form>

            <form aria-label="Add an assessment" on:submit=move |ev| {
                ev.prevent_default();
                add_assessment.dispatch(AddAssessment { client_id, input: AssessmentInput {
                    assessed_on: assess.0.get(), title: assess.1.get(), summary: assess.2.get(), next_due: assess.3.get(),
                }});
            }>
                <label for="assess-date">"Assessed on"</label>
                <input id="assess-date" type="date" bind:value=assess.0 required
                    aria-invalid=assess_errors.invalid("assessed_on") aria-describedby="assess-date-error" />
                <FieldError errors=assess_errors field="assessed_on" id="assess-date-error" />
                <label for="assess-title">"Title"</label>
                <input id="assess-title" bind:value=assess.1 required maxlength="200" />
                <label for="assess-summary">"Summary"</label>
                <textarea id="assess-summary" bind:value=assess.2 required maxlength="10000"
                    aria-invalid=assess_errors.invalid("summary") aria-describedby="assess-summary-error"></textarea>
                <FieldError errors=assess_errors field="summary" id="assess-summary-error" />
                <label for="assess-next">"Next due"</label>
                <input id="assess-next" type="date" bind:value=assess.3
                    aria-invalid=assess_errors.invalid("next_due") aria-describedby="assess-next-error" />
                <FieldError errors=assess_errors field="next_due" id="assess-next-error" />
                <button type="submit">"Add assessment"</button>
            </form>
        </section>
    }
}
