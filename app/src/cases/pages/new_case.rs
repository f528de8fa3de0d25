use leptos::prelude::*;

use crate::ui::{ErrorSummary, FieldError, FormErrors, PageTitle};

use crate::cases::NewCase;
use crate::cases::Urgency;
use crate::cases::api::{CreateCase, doctor_directory, practice_doctors};

/// A new referral. Doctors refer as themselves; a practice case manager
/// picks which of their practice's doctors refers.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let create = ServerAction::<CreateCase>::new();
    let own = Resource::new(|| (), |_| practice_doctors());
    let all = Resource::new(|| (), |_| doctor_directory(String::new()));
    let patient = RwSignal::new(String::new());
    let dob = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let urgency = RwSignal::new(Urgency::Routine);
    let by = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let associated: RwSignal<Vec<i32>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            let _ = window().location().set_href(&format!("/cases/{id}"));
        }
    });
    let errors = FormErrors::of(move || create.value().get());
    let opt = |s: String| if s.trim().is_empty() { None } else { Some(s) };
    view! {
        <PageTitle text="New referral" />
        <h1>"New referral"</h1>
        <ErrorSummary error=errors.signal() fields=&[
            ("patient_name", "new-patient"),
            ("patient_date_of_birth", "new-dob"),
            ("reason", "new-reason"),
            ("referred_by", "new-by"),
            ("referred_to", "new-to"),
        ] />
        <form class="new-case" aria-label="New referral" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(CreateCase { case: NewCase {
                patient_name: patient.get_untracked(),
                patient_date_of_birth: opt(dob.get_untracked()),
                patient_contact: opt(contact.get_untracked()),
                reason: reason.get_untracked(),
                urgency: urgency.get_untracked(),
                notes: opt(notes.get_untracked()),
                referred_by_user_id: by.get_untracked().parse().unwrap_or_default(),
                referred_to_user_id: to.get_untracked().parse().unwrap_or_default(),
                associated_user_ids: associated.get_untracked(),
            }});
        }>
            <label for="new-patient">"Patient name"</label>
            <input id="new-patient" aria-invalid=errors.invalid("patient_name") aria-describedby="new-patient-error" required on:input:target=move |ev| patient.set(ev.target().value()) />
            <FieldError errors field="patient_name" id="new-patient-error" />
            <label for="new-dob">"Date of birth"</label>
            <input id="new-dob" aria-invalid=errors.invalid("patient_date_of_birth") aria-describedby="new-dob-error" type="date" on:input:target=move |ev| dob.set(ev.target().value()) />
            <FieldError errors field="patient_date_of_birth" id="new-dob-error" />
            <label for="new-contact">"Patient contact"</label>
            <input id="new-contact" on:input:target=move |ev| contact.set(ev.target().value()) />
            <label for="new-reason">"Reason for referral"</label>
            <textarea id="new-reason" aria-invalid=errors.invalid("reason") aria-describedby="new-reason-error" required on:input:target=move |ev| reason.set(ev.target().value())></textarea>
            <FieldError errors field="reason" id="new-reason-error" />
            <label for="new-urgency">"Urgency"</label>
            <select id="new-urgency" on:change:target=move |ev| {
                if let Some(u) = Urgency::from_key(&ev.target().value()) { urgency.set(u); }
            }>
                {Urgency::ALL.into_iter().map(|u| view! { <option value=u.key()>{u.label()}</option> }).collect_view()}
            </select>
            <label for="new-by">"Referring doctor"</label>
            <select id="new-by" aria-invalid=errors.invalid("referred_by") aria-describedby="new-by-error" on:change:target=move |ev| by.set(ev.target().value())>
                <option value="">"Choose a doctor"</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        own.await.unwrap_or_default().into_iter().map(|d| view! {
                            <option value=d.user_id.to_string()>{d.name}</option>
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <FieldError errors field="referred_by" id="new-by-error" />
            <label for="new-to">"Refer to"</label>
            <select id="new-to" aria-invalid=errors.invalid("referred_to") aria-describedby="new-to-error" on:change:target=move |ev| to.set(ev.target().value())>
                <option value="">"Choose a doctor"</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        all.await.unwrap_or_default().into_iter().map(|d| view! {
                            <option value=d.user_id.to_string()>{format!("{} ({}, {})", d.name, d.specialty, d.practice)}</option>
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <FieldError errors field="referred_to" id="new-to-error" />
            <fieldset>
                <legend>"Associated doctors"</legend>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        all.await.unwrap_or_default().into_iter().map(|d| {
                            let id = d.user_id;
                            let input_id = format!("assoc-{id}");
                            view! {
                                <div class="choice">
                                <input type="checkbox" id=input_id.clone() on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    associated.update(|a| {
                                        a.retain(|x| *x != id);
                                        if on { a.push(id); }
                                    });
                                } />
                                <label for=input_id>{format!("{} ({})", d.name, d.practice)}</label>
                                </div>
                            }
                        }).collect_view()
                    })}
                </Suspense>
            </fieldset>
            <label for="new-notes">"Notes"</label>
            <textarea id="new-notes" on:input:target=move |ev| notes.set(ev.target().value())></textarea>
            <button type="submit">"Send referral"</button>
        </form>
    }
}
