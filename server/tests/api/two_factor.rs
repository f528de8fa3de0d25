//! Two-factor sign-in: enrolment behind the password, codes that work once,
//! recovery codes, challenges that expire, the organisation's requirement
//! enforced at sign-in, admin reset, and the e-mail change that also needs
//! the password.

use http::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use app::activity::ActivityAction;
use app::auth::LoginStep;
use app::auth::totp;
use app::auth::two_factor::{Enrolment, TwoFactorState};
use app::entities::{portal_setting, session, sign_in_challenge, two_factor, user};

use crate::helpers::{PASSWORD, Reply, TestApp, last_log, on_both};

fn detail(log: &app::entities::activity_log::Model) -> serde_json::Value {
    serde_json::from_str(&log.detail).expect("json detail")
}

async fn login(app: &TestApp, email: &str, password: &str) -> Reply {
    app.post(
        "/api/auth/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

fn step(reply: &Reply) -> LoginStep {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("a login step")
}

async fn send_code(app: &TestApp, challenge: &str, code: &str) -> Reply {
    app.post(
        "/api/auth/login/code",
        &[("challenge", challenge), ("code", code)],
        None,
    )
    .await
}

fn secret_of(enrolment: &Enrolment) -> Vec<u8> {
    totp::decode_secret(&enrolment.secret.replace(' ', "")).expect("base32 secret")
}

/// The code the app shows `offset` steps from now.
fn code(secret: &[u8], offset: i64) -> String {
    totp::code_for_step(
        secret,
        totp::step_at(chrono::Utc::now().timestamp()) + offset,
    )
}

async fn status(app: &TestApp, cookie: &str) -> TwoFactorState {
    let r = app.get("/api/auth/two-factor/status", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).expect("status")
}

/// Turns two-factor on for a signed-in user; returns the secret and the
/// recovery codes. The confirming code is this step's: sign-ins in the
/// same test use the next step's.
async fn enrol(app: &TestApp, cookie: &str) -> (Vec<u8>, Vec<String>) {
    let r = app
        .post(
            "/api/auth/two-factor/begin",
            &[("password", PASSWORD)],
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let enrolment: Enrolment = serde_json::from_str(&r.body).expect("enrolment");
    let secret = secret_of(&enrolment);
    let r = app
        .post(
            "/api/auth/two-factor/confirm",
            &[("code", &code(&secret, 0))],
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let codes: Vec<String> = serde_json::from_str(&r.body).expect("codes");
    (secret, codes)
}

/// Lets the clock "move on": the last accepted step goes back, as if the
/// codes used so far were minutes old.
async fn forget_last_step(app: &TestApp) {
    two_factor::Entity::update_many()
        .col_expr(
            two_factor::Column::LastStep,
            Expr::value(Option::<i64>::None),
        )
        .exec(&app.db)
        .await
        .expect("reset step");
}

async fn sessions_of(app: &TestApp, email: &str) -> usize {
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("q")
        .expect("user");
    session::Entity::find()
        .filter(session::Column::UserId.eq(u.id))
        .all(&app.db)
        .await
        .expect("q")
        .len()
}

#[tokio::test]
async fn enrolment_needs_the_password_and_a_right_code_then_sign_in_asks_for_a_fresh_code() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        assert!(!status(&app, &sam).await.enabled);

        let wrong = app
            .post(
                "/api/auth/two-factor/begin",
                &[("password", "not my password")],
                Some(&sam),
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
        assert!(
            wrong.body.contains("password is not right"),
            "{}",
            wrong.body
        );

        let r = app
            .post(
                "/api/auth/two-factor/begin",
                &[("password", PASSWORD)],
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let enrolment: Enrolment = serde_json::from_str(&r.body).expect("enrolment");
        assert!(
            enrolment
                .otpauth_uri
                .starts_with("otpauth://totp/Caseport:sam%40harbour.example?secret=")
        );
        assert!(enrolment.qr_svg.starts_with("<svg"));
        let secret = secret_of(&enrolment);
        // Stored sealed, never as the key the app shows.
        let sam_id = crate::referrals::user_id(&app, "sam@harbour.example").await;
        let stored = two_factor::Entity::find_by_id(sam_id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("row");
        let shown = enrolment.secret.replace(' ', "");
        assert!(stored.secret.starts_with("enc:v1:"), "{}", stored.secret);
        assert!(
            !stored.secret.contains(&shown),
            "the key is stored in the clear"
        );

        // Not on until a right code confirms it.
        let bad = app
            .post(
                "/api/auth/two-factor/confirm",
                &[("code", &code(&secret, -5))],
                Some(&sam),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(!status(&app, &sam).await.enabled);
        assert_eq!(
            step(&login(&app, "sam@harbour.example", PASSWORD).await),
            LoginStep::SignedIn
        );

        let used = code(&secret, 0);
        let r = app
            .post(
                "/api/auth/two-factor/confirm",
                &[("code", &used)],
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let codes: Vec<String> = serde_json::from_str(&r.body).expect("codes");
        assert_eq!(codes.len(), 10);
        assert_eq!(
            last_log(&app).await.action,
            ActivityAction::TwoFactorEnabled
        );
        let s = status(&app, &sam).await;
        assert!(s.enabled && !s.required);
        assert_eq!(s.recovery_codes_left, 10);

        // The password alone now opens no session.
        let before = sessions_of(&app, "sam@harbour.example").await;
        let reply = login(&app, "sam@harbour.example", PASSWORD).await;
        assert!(reply.session_cookie().is_none());
        let LoginStep::CodeNeeded { challenge } = step(&reply) else {
            panic!("a code is needed: {}", reply.body);
        };
        assert_eq!(sessions_of(&app, "sam@harbour.example").await, before);

        // The code that confirmed enrolment was spent: replaying it fails.
        let replay = send_code(&app, &challenge, &used).await;
        assert_eq!(
            replay.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            replay.body
        );
        assert!(replay.session_cookie().is_none());
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SignInFailed);
        assert_eq!(detail(&log)["reason"], "wrong_code");

        // The next step's code (one step of skew) works, once.
        let next = code(&secret, 1);
        let ok = send_code(&app, &challenge, &next).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let cookie = ok.session_cookie().expect("session");
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SignIn);
        assert_eq!(detail(&log)["second_factor"], "authenticator");
        assert_eq!(
            app.get("/api/auth/me", Some(&cookie)).await.status,
            StatusCode::OK
        );
        // The challenge is gone with its use.
        assert_eq!(
            send_code(&app, &challenge, &next).await.status,
            StatusCode::CONFLICT
        );

        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        assert_eq!(
            send_code(&app, &challenge, &next).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a code works once, even in a new sign-in"
        );
        // Two steps away is outside the allowed skew.
        assert_eq!(
            send_code(&app, &challenge, &code(&secret, 2)).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let (_, codes) = enrol(&app, &sam).await;
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        // Typed in capitals and without the dash: still the same code.
        let typed = codes[3].replace('-', "").to_uppercase();
        let ok = send_code(&app, &challenge, &typed).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let cookie = ok.session_cookie().expect("session");
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SignIn);
        assert_eq!(detail(&log)["second_factor"], "recovery_code");
        assert_eq!(status(&app, &cookie).await.recovery_codes_left, 9);

        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        let again = send_code(&app, &challenge, &codes[3]).await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );

        // New codes replace the old ones, behind the password.
        let r = app
            .post(
                "/api/auth/two-factor/recovery-codes",
                &[("password", PASSWORD)],
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let fresh: Vec<String> = serde_json::from_str(&r.body).expect("codes");
        assert_eq!(fresh.len(), 10);
        assert_eq!(status(&app, &cookie).await.recovery_codes_left, 10);
        let old = send_code(&app, &challenge, &codes[0]).await;
        assert_eq!(
            old.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "old codes are void"
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_challenge_expires_takes_five_guesses_and_wrong_codes_slow_the_account_down() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let (secret, _) = enrol(&app, &sam).await;
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        let clear_throttle = || async {
            app::entities::login_throttle::Entity::delete_many()
                .exec(&app.db)
                .await
                .expect("clear throttle");
        };
        // The challenge's own limit, with the account's throttle kept out
        // of the way.
        for _ in 0..5 {
            let r = send_code(&app, &challenge, "12345x").await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            clear_throttle().await;
        }
        // Spent: even the right code needs the password again now.
        let r = send_code(&app, &challenge, &code(&secret, 1)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("expired"), "{}", r.body);

        // Wrong codes count against the account like wrong passwords: after
        // three free ones, even the right code and the password wait.
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        for _ in 0..4 {
            send_code(&app, &challenge, "000000").await;
        }
        let r = send_code(&app, &challenge, &code(&secret, 1)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert_eq!(
            login(&app, "sam@harbour.example", PASSWORD).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );

        clear_throttle().await;
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        sign_in_challenge::Entity::update_many()
            .col_expr(
                sign_in_challenge::Column::ExpiresAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
            )
            .exec(&app.db)
            .await
            .expect("age");
        let r = send_code(&app, &challenge, &code(&secret, 1)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.session_cookie().is_none());
        app
    })
    .await;
}

#[tokio::test]
async fn a_required_second_factor_is_set_up_during_sign_in_and_stays_on() {
    on_both(|app| async move {
        let harbour = user::Entity::find()
            .filter(user::Column::Email.eq("erin@northcounty.example"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("erin")
            .organisation_id;
        portal_setting::Entity::update_many()
            .col_expr(
                portal_setting::Column::RequireTwoFactorCaseManagers,
                Expr::value(true),
            )
            .filter(portal_setting::Column::OrganisationId.eq(harbour))
            .exec(&app.db)
            .await
            .expect("require");

        // Staff are not held to the case managers' rule.
        assert_eq!(
            step(&login(&app, "sam@harbour.example", PASSWORD).await),
            LoginStep::SignedIn
        );

        let reply = login(&app, "erin@northcounty.example", PASSWORD).await;
        assert!(reply.session_cookie().is_none());
        let LoginStep::SetUpNeeded {
            challenge,
            enrolment,
        } = step(&reply)
        else {
            panic!("set-up is needed: {}", reply.body);
        };
        assert_eq!(sessions_of(&app, "erin@northcounty.example").await, 0);
        let secret = secret_of(&enrolment);
        let wrong = send_code(&app, &challenge, &code(&secret, -4)).await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
        assert_eq!(sessions_of(&app, "erin@northcounty.example").await, 0);

        let ok = send_code(&app, &challenge, &code(&secret, 0)).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let codes: Vec<String> = serde_json::from_str(&ok.body).expect("codes");
        assert_eq!(codes.len(), 10);
        let erin = ok.session_cookie().expect("session");
        let s = status(&app, &erin).await;
        assert!(s.enabled && s.required);

        // Required: it cannot be turned off.
        let off = app
            .post(
                "/api/auth/two-factor/off",
                &[("password", PASSWORD)],
                Some(&erin),
            )
            .await;
        assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.body);
        assert!(status(&app, &erin).await.enabled);

        // Next time, a code is asked for.
        forget_last_step(&app).await;
        assert!(matches!(
            step(&login(&app, "erin@northcounty.example", PASSWORD).await),
            LoginStep::CodeNeeded { .. }
        ));
        app
    })
    .await;
}

#[tokio::test]
async fn turning_off_needs_the_password_and_an_admin_can_reset_a_lost_phone() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        enrol(&app, &sam).await;

        let wrong = app
            .post(
                "/api/auth/two-factor/off",
                &[("password", "guess guess guess")],
                Some(&sam),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(status(&app, &sam).await.enabled);
        let off = app
            .post(
                "/api/auth/two-factor/off",
                &[("password", PASSWORD)],
                Some(&sam),
            )
            .await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.body);
        assert_eq!(
            last_log(&app).await.action,
            ActivityAction::TwoFactorDisabled
        );
        assert!(!status(&app, &sam).await.enabled);
        assert_eq!(
            step(&login(&app, "sam@harbour.example", PASSWORD).await),
            LoginStep::SignedIn
        );

        // On again; sam loses the phone; only sam's own agency's admin may reset it.
        let sam = app.sign_in("sam@harbour.example").await;
        enrol(&app, &sam).await;
        let sam_id = user::Entity::find()
            .filter(user::Column::Email.eq("sam@harbour.example"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("sam")
            .id;
        let body = serde_json::json!({ "user_id": sam_id });
        let other_admin = app.sign_in("admin@riverside.example").await;
        let r = app
            .post_json(
                "/api/auth/two-factor/reset",
                body.clone(),
                Some(&other_admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let colleague = app.sign_in("erin@northcounty.example").await;
        let r = app
            .post_json("/api/auth/two-factor/reset", body.clone(), Some(&colleague))
            .await;
        assert_ne!(r.status, StatusCode::OK);
        assert!(status(&app, &sam).await.enabled);

        let admin = app.sign_in("admin@harbour.example").await;
        let r = app
            .post_json("/api/auth/two-factor/reset", body, Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::TwoFactorReset);
        assert_eq!(log.subject_id, Some(sam_id));
        // Sam's sessions ended; the password alone signs in again.
        assert_eq!(app.get("/api/auth/me", Some(&sam)).await.body, "null");
        assert_eq!(
            step(&login(&app, "sam@harbour.example", PASSWORD).await),
            LoginStep::SignedIn
        );
        app
    })
    .await;
}

#[tokio::test]
async fn changing_the_e_mail_needs_the_password_and_ends_other_sessions() {
    on_both(|app| async move {
        let first = app.sign_in("casey@riverside.example").await;
        let second = app.sign_in("casey@riverside.example").await;
        let change = |email: &'static str, password: &'static str| {
            let app = &app;
            let first = first.clone();
            async move {
                app.post(
                    "/api/auth/change-email",
                    &[("email", email), ("password", password)],
                    Some(&first),
                )
                .await
            }
        };
        let r = change("casey.new@riverside.example", "not the password").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = change("ortiz@riverside.example", PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "taken: {}",
            r.body
        );
        let r = change("not an address", PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            step(&login(&app, "casey@riverside.example", PASSWORD).await),
            LoginStep::SignedIn
        );

        let r = change("Casey.New@Riverside.example", PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::EmailChanged);
        assert_eq!(detail(&log)["before"], "casey@riverside.example");
        assert_eq!(detail(&log)["after"], "casey.new@riverside.example");
        assert_eq!(app.get("/api/auth/me", Some(&second)).await.body, "null");
        assert_ne!(app.get("/api/auth/me", Some(&first)).await.body, "null");
        assert_eq!(
            login(&app, "casey@riverside.example", PASSWORD)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            step(&login(&app, "casey.new@riverside.example", PASSWORD).await),
            LoginStep::SignedIn
        );
        app
    })
    .await;
}

/// Twelve wrong codes at once against one challenge: each is claimed (on
/// the challenge and on the account's throttle) before it is checked, so
/// no more are checked than the challenge allows. Before, on PostgreSQL,
/// every one was checked.
#[tokio::test]
async fn parallel_codes_get_no_more_checks_than_the_challenge_allows() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        enrol(&app, &sam).await;
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        let replies =
            futures::future::join_all((0..12).map(|_| send_code(&app, &challenge, "000000"))).await;
        assert!(replies.iter().all(|r| r.status.is_client_error()));
        let checked = app::entities::activity_log::Entity::find()
            .filter(app::entities::activity_log::Column::Action.eq(ActivityAction::SignInFailed))
            .filter(app::entities::activity_log::Column::Detail.contains("wrong_code"))
            .all(&app.db)
            .await
            .expect("log")
            .len();
        assert!(
            checked <= app::auth::two_factor::service::CHALLENGE_ATTEMPTS as usize,
            "{checked} codes were checked"
        );
        assert!(checked >= 1);
        app
    })
    .await;
}

/// A key stored before sealing existed still works, and `secrets rotate`
/// (`reseal_all`) seals it without breaking sign-in.
#[tokio::test]
async fn rotation_seals_keys_stored_in_the_clear() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let (secret, _) = enrol(&app, &sam).await;
        let sam_id = crate::referrals::user_id(&app, "sam@harbour.example").await;
        two_factor::Entity::update_many()
            .col_expr(
                two_factor::Column::Secret,
                Expr::value(totp::encode_secret(&secret)),
            )
            .filter(two_factor::Column::UserId.eq(sam_id))
            .exec(&app.db)
            .await
            .expect("store in the clear");
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        assert_eq!(
            send_code(&app, &challenge, &code(&secret, 1)).await.status,
            StatusCode::OK
        );

        let resealed = app::auth::two_factor::service::reseal_all(&app.db)
            .await
            .expect("reseal");
        assert!(resealed >= 1);
        let logged = crate::helpers::last_log(&app).await;
        assert_eq!(
            logged.action,
            app::activity::ActivityAction::SecretsResealed
        );
        assert_eq!(logged.actor_user_id, None);
        assert_eq!(logged.detail, format!(r#"{{"resealed":{resealed}}}"#));
        let row = two_factor::Entity::find_by_id(sam_id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("row");
        assert!(row.secret.starts_with("enc:v1:"), "{}", row.secret);
        assert_eq!(
            app::auth::two_factor::service::reseal_all(&app.db).await,
            Ok(0)
        );
        forget_last_step(&app).await;
        let LoginStep::CodeNeeded { challenge } =
            step(&login(&app, "sam@harbour.example", PASSWORD).await)
        else {
            panic!("a code is needed");
        };
        assert_eq!(
            send_code(&app, &challenge, &code(&secret, 1)).await.status,
            StatusCode::OK
        );
        app
    })
    .await;
}
