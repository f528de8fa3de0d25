//! Saved views through the real endpoints: a person names a filter of the
//! case list and gets it back as a link; no one else sees or deletes it.

use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::entities::activity_log;

use crate::helpers::{TestApp, on_both};

async fn views(app: &TestApp, cookie: &str) -> (StatusCode, Value) {
    let r = app.get("/api/cases/views", Some(cookie)).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn save(app: &TestApp, cookie: &str, name: &str, filter: Value) -> crate::helpers::Reply {
    app.post_json(
        "/api/cases/views/save",
        json!({ "name": name, "filter": filter }),
        Some(cookie),
    )
    .await
}

fn filter(queue: Option<&str>, status: Option<&str>, q: Option<&str>) -> Value {
    json!({ "doctor": null, "status": status, "side": null, "from": null, "to": null,
        "q": q, "queue": queue })
}

#[tokio::test]
async fn a_saved_view_is_a_link_of_its_owners_alone() {
    on_both(|app| async move {
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let r = save(
            &app,
            &ortiz,
            "  Overdue, new  ",
            filter(Some("Overdue"), Some("Requested"), None),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (status, list) = views(&app, &ortiz).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
        assert_eq!(list[0]["name"], "Overdue, new");
        assert_eq!(list[0]["href"], "/?queue=overdue&status=requested");
        let logged = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(ActivityAction::SettingsChanged))
            .all(&app.db)
            .await
            .expect("log");
        assert!(
            logged.iter().any(|l| l.detail.contains("Overdue, new")),
            "{logged:?}"
        );

        // Refused, and nothing saved: the same name, no name, no filter.
        for (name, f) in [
            ("Overdue, new", filter(Some("Mine"), None, None)),
            ("   ", filter(Some("Mine"), None, None)),
            ("Everything", filter(None, None, None)),
        ] {
            let r = save(&app, &ortiz, name, f).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: {}",
                r.body
            );
        }
        assert_eq!(
            views(&app, &ortiz).await.1.as_array().map(Vec::len),
            Some(1)
        );

        // Dr. Chen sees none of it and cannot delete it; an admin has no
        // case list to save views of.
        let chen = app.sign_in("chen@hillside.example").await;
        assert_eq!(views(&app, &chen).await.1, json!([]));
        let id = list[0]["id"].clone();
        let r = app
            .post_json("/api/cases/views/delete", json!({ "id": id }), Some(&chen))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(
            views(&app, &ortiz).await.1.as_array().map(Vec::len),
            Some(1)
        );
        let admin = app.sign_in("admin@riverside.example").await;
        assert_eq!(views(&app, &admin).await.0, StatusCode::NOT_FOUND);
        let r = save(&app, &admin, "Mine", filter(Some("Mine"), None, None)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

        // Twenty views at most.
        for i in 1..20 {
            let r = save(
                &app,
                &ortiz,
                &format!("Search {i}"),
                filter(None, None, Some(&format!("term {i}"))),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{i}: {}", r.body);
        }
        let r = save(
            &app,
            &ortiz,
            "One too many",
            filter(Some("Mine"), None, None),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        let r = app
            .post_json("/api/cases/views/delete", json!({ "id": id }), Some(&ortiz))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let left: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(left.as_array().map(Vec::len), Some(19));
        assert!(!r.body.contains("Overdue, new"));
        app
    })
    .await;
}
