//! The activity log as an organisation's admins read it: newest first, a
//! page at a time (keyset on the row id), narrowed by action and by text
//! that matches the acting user or the row's details (a client's or a
//! case manager's name, an e-mail address). It answers the portal's
//! troubleshooting questions: why could they not sign in, what did they
//! see, who changed what.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::activity::ActivityAction;
use crate::error::AppError;
use crate::layout::ErrorNotice;

/// Rows per page.
pub const PAGE: u64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    pub id: i64,
    /// `YYYY-MM-DD HH:MM:SS` UTC.
    pub at: String,
    pub who: String,
    pub action: ActivityAction,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
}

/// What the log is narrowed to, as the URL carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFilter {
    /// An action's stored key, or empty for any.
    pub action: String,
    /// A person's name or e-mail, or a client's name.
    pub text: String,
    /// `YYYY-MM-DD`, inclusive; empty for open-ended.
    pub from: String,
    pub to: String,
}

impl LogFilter {
    /// The query string of the page and of the CSV export.
    pub fn query(&self) -> String {
        use crate::cases::filters::encode;
        format!(
            "action={}&q={}&from={}&to={}",
            encode(&self.action),
            encode(&self.text),
            encode(&self.from),
            encode(&self.to)
        )
    }
}

/// Admins: their organisation's activity log; `before` is a row id from
/// the previous page.
#[server(endpoint = "activity", input = leptos::server_fn::codec::GetUrl)]
pub async fn activity_log(
    action: String,
    text: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    before: Option<i64>,
) -> Result<LogPage, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        let filter = LogFilter {
            action,
            text,
            from,
            to,
        };
        service::page(&ctx.db, &user.actor(), &filter, before).await
    })
    .await
}

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
        crate::portal::pages::replace_query(
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
        <h1>"Activity log"</h1>
        <form method="get" action="/activity" aria-label="Filter the activity log">
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
            <label for="log-text">"Person, client or e-mail"</label>
            <input id="log-text" name="q" type="search" prop:value=move || typed.get()
                on:input:target=move |ev| {
                    typed.set(ev.target().value());
                    crate::portal::pages::debounced(generation, move || {
                        let v = typed.get_untracked();
                        go(&|f| f.text = v.clone());
                    });
                } />
            <label for="log-from">"From"</label>
            <input id="log-from" name="from" type="date" prop:value=move || filter.with(|f| f.from.clone())
                on:change:target=move |ev| { let v = ev.target().value(); go(&|f| f.from = v.clone()) } />
            <label for="log-to">"To"</label>
            <input id="log-to" name="to" type="date" prop:value=move || filter.with(|f| f.to.clone())
                on:change:target=move |ev| { let v = ev.target().value(); go(&|f| f.to = v.clone()) } />
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
                            <table aria-label="Activity">
                                <thead><tr>
                                    <th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
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
                            </table>
                            {next.map(|href| view! { <a href=href>"Older entries"</a> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    use chrono::{NaiveDate, NaiveTime};
    use sea_orm::{
        ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
        QuerySelect,
    };

    use super::{LogFilter, LogPage, LogRow, PAGE};
    use crate::activity::ActivityAction;
    use crate::activity::service::{Entry, record};
    use crate::auth::policy::{Action, Actor, Resource, can};
    use crate::db::{begin_write, contains_pattern, lower_like};
    use crate::entities::{activity_log, user};
    use crate::error::AppError;

    /// Most rows one export holds; narrow the filter for more.
    pub const EXPORT_LIMIT: u64 = 100_000;

    /// Rows matching `filter`, newest first, older than `before`, at most
    /// `limit`.
    async fn rows(
        db: &DatabaseConnection,
        actor: &Actor,
        filter: &LogFilter,
        before: Option<i64>,
        limit: u64,
    ) -> Result<Vec<activity_log::Model>, AppError> {
        can(
            actor,
            Action::Administer,
            &Resource::Organisation {
                id: actor.organisation_id,
            },
        )?;
        let mut find = activity_log::Entity::find()
            .filter(activity_log::Column::OrganisationId.eq(actor.organisation_id))
            .order_by_desc(activity_log::Column::Id)
            .limit(limit);
        if !filter.action.trim().is_empty() {
            let a = ActivityAction::from_key(filter.action.trim())
                .ok_or_else(|| AppError::invalid("action", "Choose an action from the list."))?;
            find = find.filter(activity_log::Column::Action.eq(a));
        }
        let day = |field: &str, s: &str| -> Result<Option<NaiveDate>, AppError> {
            match s.trim() {
                "" => Ok(None),
                s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD.")),
            }
        };
        let (from, to) = (day("from", &filter.from)?, day("to", &filter.to)?);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(AppError::invalid(
                "to",
                "The end date is before the start date.",
            ));
        }
        if let Some(f) = from {
            find = find
                .filter(activity_log::Column::CreatedAt.gte(f.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(t) = to.and_then(|t| t.succ_opt()) {
            find = find
                .filter(activity_log::Column::CreatedAt.lt(t.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(b) = before {
            find = find.filter(activity_log::Column::Id.lt(b));
        }
        let text = filter.text.trim();
        if text.chars().count() > 200 {
            return Err(AppError::invalid("q", "Search for at most 200 characters."));
        }
        if !text.is_empty() {
            let pattern = contains_pattern(text);
            let people: Vec<i32> = user::Entity::find()
                .filter(user::Column::OrganisationId.eq(actor.organisation_id))
                .filter(
                    Condition::any()
                        .add(lower_like(
                            (user::Entity, user::Column::DisplayName),
                            pattern.clone(),
                        ))
                        .add(lower_like(
                            (user::Entity, user::Column::Email),
                            pattern.clone(),
                        )),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            // Case rows' details are not searched: old ones hold clinical
            // text, and a search would tell an admin what it says.
            let mut any = Condition::any().add(
                Condition::all()
                    .add(activity_log::Column::SubjectType.ne("case"))
                    .add(lower_like(
                        (activity_log::Entity, activity_log::Column::Detail),
                        pattern,
                    )),
            );
            if !people.is_empty() {
                any = any
                    .add(activity_log::Column::ActorUserId.is_in(people.clone()))
                    .add(
                        Condition::all()
                            .add(activity_log::Column::SubjectType.is_in(["user", "case_manager"]))
                            .add(activity_log::Column::SubjectId.is_in(people)),
                    );
            }
            find = find.filter(any);
        }
        Ok(find.all(db).await?)
    }

    async fn shown(
        db: &DatabaseConnection,
        rows: Vec<activity_log::Model>,
    ) -> Result<Vec<LogRow>, AppError> {
        let names =
            crate::care::service::names(db, rows.iter().filter_map(|r| r.actor_user_id)).await?;
        Ok(rows
            .into_iter()
            .map(|r| LogRow {
                id: r.id,
                at: r.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                who: r
                    .actor_user_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_else(|| "—".into()),
                action: r.action,
                subject: match r.subject_id {
                    Some(id) => format!("{} {id}", r.subject_type),
                    None => r.subject_type,
                },
                detail: crate::activity::redact::for_log_view(r.action, &r.detail),
                ip: r.ip.unwrap_or_default(),
            })
            .collect())
    }

    pub async fn page(
        db: &DatabaseConnection,
        actor: &Actor,
        filter: &LogFilter,
        before: Option<i64>,
    ) -> Result<LogPage, AppError> {
        let mut rows = rows(db, actor, filter, before, PAGE + 1).await?;
        let next_before = (rows.len() as u64 > PAGE).then(|| {
            rows.truncate(PAGE as usize);
            rows.last().map(|r| r.id)
        });
        Ok(LogPage {
            rows: shown(db, rows).await?,
            next_before: next_before.flatten(),
        })
    }

    /// The filtered log as CSV, newest first; the export itself is logged.
    pub async fn export_csv(
        db: &DatabaseConnection,
        actor: &Actor,
        filter: &LogFilter,
        ip: Option<String>,
    ) -> Result<(String, usize), AppError> {
        let rows = shown(db, rows(db, actor, filter, None, EXPORT_LIMIT).await?).await?;
        let mut out =
            crate::csv::line(["id", "when_utc", "who", "action", "subject", "detail", "ip"]);
        for r in &rows {
            out.push_str(&crate::csv::line([
                r.id.to_string().as_str(),
                &r.at,
                &r.who,
                r.action.label(),
                &r.subject,
                &r.detail,
                &r.ip,
            ]));
        }
        let txn = begin_write(db).await?;
        record(
            &txn,
            Entry::new(
                ActivityAction::ActivityExported,
                "organisation",
                Some(actor.organisation_id),
            )
            .by(actor.user_id, actor.organisation_id)
            .detail(serde_json::json!({
                "rows": rows.len(),
                "action": filter.action,
                "q": filter.text,
                "from": filter.from,
                "to": filter.to,
            }))
            .from_ip(ip),
        )
        .await?;
        txn.commit().await?;
        Ok((out, rows.len()))
    }
}
