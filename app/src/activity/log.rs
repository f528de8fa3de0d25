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

/// Admins: their organisation's activity log. `action` is an action's
/// stored key or empty; `before` a row id from the previous page.
#[server(endpoint = "activity", input = leptos::server_fn::codec::GetUrl)]
pub async fn activity_log(
    action: String,
    text: String,
    before: Option<i64>,
) -> Result<LogPage, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::page(&ctx.db, &user.actor(), &action, &text, before).await
    })
    .await
}

/// `/activity`: filters in the URL (`action`, `q`, `before`).
#[component]
pub fn ActivityLogPage() -> impl IntoView {
    let query = use_query_map();
    let action = move || query.with(|q| q.get("action").unwrap_or_default());
    let text = move || query.with(|q| q.get("q").unwrap_or_default());
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let page = Resource::new(
        move || (action(), text(), before()),
        |(a, t, b)| activity_log(a, t, b),
    );
    view! {
        <h1>"Activity log"</h1>
        // A plain GET form: the filters land in the URL, and it works
        // before (and without) the wasm.
        <form method="get" action="/activity" aria-label="Filter the activity log">
            <label for="log-action">"Action"</label>
            <select id="log-action" name="action">
                <option value="" selected=move || action().is_empty()>"Any"</option>
                {ActivityAction::ALL.iter().map(|a| {
                    let key = a.key();
                    let value = key.clone();
                    view! { <option value=value selected=move || action() == key>{a.label()}</option> }
                }).collect_view()}
            </select>
            <label for="log-text">"Person, client or e-mail"</label>
            <input id="log-text" name="q" type="search" value=text />
            <button type="submit">"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let next = p.next_before.map(|b| {
                            format!(
                                "/activity?action={}&q={}&before={b}",
                                crate::cases::filters::encode(&action()),
                                crate::cases::filters::encode(&text()),
                            )
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
    use std::collections::HashMap;

    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    use sea_orm::{
        ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
        QuerySelect,
    };

    use super::{LogPage, LogRow, PAGE};
    use crate::activity::ActivityAction;
    use crate::auth::policy::{Action, Actor, Resource, can};
    use crate::db::contains_pattern;
    use crate::entities::{activity_log, user};
    use crate::error::AppError;

    pub async fn page(
        db: &DatabaseConnection,
        actor: &Actor,
        action: &str,
        text: &str,
        before: Option<i64>,
    ) -> Result<LogPage, AppError> {
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
            .limit(PAGE + 1);
        if !action.trim().is_empty() {
            let a = ActivityAction::from_key(action.trim())
                .ok_or_else(|| AppError::invalid("action", "Choose an action from the list."))?;
            find = find.filter(activity_log::Column::Action.eq(a));
        }
        if let Some(b) = before {
            find = find.filter(activity_log::Column::Id.lt(b));
        }
        let text = text.trim();
        if text.chars().count() > 200 {
            return Err(AppError::invalid("q", "Search for at most 200 characters."));
        }
        if !text.is_empty() {
            let pattern = contains_pattern(text);
            let people: Vec<i32> = user::Entity::find()
                .filter(user::Column::OrganisationId.eq(actor.organisation_id))
                .filter(
                    Condition::any()
                        .add(
                            Expr::expr(Func::lower(Expr::col((
                                user::Entity,
                                user::Column::DisplayName,
                            ))))
                            .like(pattern.clone()),
                        )
                        .add(
                            Expr::expr(Func::lower(Expr::col((user::Entity, user::Column::Email))))
                                .like(pattern.clone()),
                        ),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let mut any = Condition::any().add(
                Expr::expr(Func::lower(Expr::col((
                    activity_log::Entity,
                    activity_log::Column::Detail,
                ))))
                .like(pattern),
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
        let mut rows = find.all(db).await?;
        let next_before = (rows.len() as u64 > PAGE).then(|| {
            rows.truncate(PAGE as usize);
            rows.last().map(|r| r.id)
        });
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_user_id).collect();
        let names: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(LogPage {
            rows: rows
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
                    detail: r.detail,
                    ip: r.ip.unwrap_or_default(),
                })
                .collect(),
            next_before: next_before.flatten(),
        })
    }
}
