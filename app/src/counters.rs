//! The events an operator counts: failed and throttled sign-ins, scheduled
//! report runs and mail sent or failed. The server exports them, with its
//! request metrics, at `/metrics`. Labels are closed sets (a reason, a
//! kind), never an address, an id or anything a user typed, so the series
//! stay few and say nothing about patients.

/// A sign-in refused for `reason` (`unknown_email`, `wrong_password`, …).
pub fn sign_in_failed(reason: &'static str) {
    metrics::counter!("caseport_sign_in_failures_total", "reason" => reason).increment(1);
}

/// An attempt turned away by the throttle before any check ran.
pub fn attempt_throttled() {
    metrics::counter!("caseport_throttled_attempts_total").increment(1);
}

/// A scheduled report that ran (once across every instance).
pub fn scheduled_report_ran() {
    metrics::counter!("caseport_scheduled_report_runs_total").increment(1);
}

/// A queued mail that was handed to the mail server, or that failed a try.
pub fn mail_attempt(delivered: bool) {
    let outcome = if delivered { "sent" } else { "failed" };
    metrics::counter!("caseport_mail_attempts_total", "outcome" => outcome).increment(1);
}
