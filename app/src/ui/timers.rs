//! Timers that only tick in the browser: the server renders a page once.

use leptos::prelude::*;

/// How long typing must pause before a list follows.
const DEBOUNCE_MS: u32 = 300;

/// Runs `apply` once typing has paused (in the browser; on the server there
/// is no typing).
pub fn debounced(generation: RwSignal<u64>, apply: impl Fn() + 'static) {
    generation.update(|n| *n += 1);
    let mine = generation.get_untracked();
    let run = move || {
        if generation.get_untracked() == mine {
            apply();
        }
    };
    #[cfg(feature = "hydrate")]
    gloo_timers::callback::Timeout::new(DEBOUNCE_MS, run).forget();
    #[cfg(not(feature = "hydrate"))]
    let _ = (run, DEBOUNCE_MS);
}

/// How often open conversations and the inbox look for new messages.
const POLL_MS: u32 = 5_000;

/// A counter that goes up every [`POLL_MS`] while the component lives (in
/// the browser; the server renders once).
pub fn polling() -> RwSignal<u64> {
    let tick = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    {
        let interval = gloo_timers::callback::Interval::new(POLL_MS, move || {
            tick.update(|n| *n += 1);
        });
        let held = StoredValue::new_local(Some(interval));
        on_cleanup(move || held.update_value(|i| drop(i.take())));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = POLL_MS;
    tick
}
