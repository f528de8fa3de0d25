//! Documents in an S3-compatible bucket (a local moto server in the test
//! run): the same upload, sharing and download as with the folder, and the
//! bytes really in the bucket under random keys.

use http::{StatusCode, header};

use app::storage::S3Bucket;

use crate::helpers::TestApp;
use crate::portal::{category, client_id, upload};

/// The test server's address, or `None` (skip) when none runs, unless the
/// run demands one.
fn endpoint() -> Option<String> {
    match std::env::var("CASEPORT_TEST_S3") {
        Ok(url) => Some(url.trim_end_matches('/').to_string()),
        Err(_) if std::env::var_os("CASEPORT_REQUIRE_S3").is_some() => {
            panic!("an S3-compatible test server is required: set CASEPORT_TEST_S3")
        }
        Err(_) => {
            eprintln!("CASEPORT_TEST_S3 not set; skipping the S3 storage tests");
            None
        }
    }
}

/// A new, empty bucket of its own for each test.
async fn new_bucket(endpoint: &str) -> S3Bucket {
    server::storage::install_crypto_provider();
    let name = format!("caseport-{}", uuid::Uuid::new_v4().simple());
    // The test server takes an unsigned PUT as "create bucket".
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{name}"))
        .send()
        .await
        .expect("create bucket");
    assert!(created.status().is_success(), "{}", created.status());
    S3Bucket {
        name,
        region: "us-east-1".into(),
        endpoint: Some(endpoint.to_string()),
        credentials: Some(("caseport-test".into(), "caseport-test-secret".into())),
    }
}

/// The keys the bucket holds, from its listing.
async fn keys_in(endpoint: &str, bucket: &S3Bucket) -> Vec<String> {
    let listing = reqwest::Client::new()
        .get(format!("{endpoint}/{}?list-type=2", bucket.name))
        .send()
        .await
        .expect("list")
        .text()
        .await
        .expect("xml");
    listing
        .split("<Key>")
        .skip(1)
        .filter_map(|part| part.split_once("</Key>").map(|(k, _)| k.to_string()))
        .collect()
}

#[tokio::test]
async fn the_bucket_stores_reads_and_deletes_objects_under_random_keys() {
    let Some(endpoint) = endpoint() else { return };
    let bucket = new_bucket(&endpoint).await;
    let storage = server::storage::s3(&bucket, 1024 * 1024).expect("s3 storage");
    storage.check().await.expect("reachable");
    assert!(
        keys_in(&endpoint, &bucket).await.is_empty(),
        "the check leaves nothing behind"
    );

    let key = storage
        .put(bytes::Bytes::from_static(b"care plan"))
        .await
        .expect("put");
    assert!(
        key.starts_with("objects/") && key.len() == "objects/".len() + 32,
        "{key}"
    );
    assert_eq!(keys_in(&endpoint, &bucket).await, vec![key.clone()]);
    assert_eq!(storage.get(&key).await.expect("get").as_ref(), b"care plan");
    assert_eq!(
        storage.get("objects/none").await,
        Err(app::error::AppError::NotFound)
    );
    storage.delete(&key).await;
    assert_eq!(storage.get(&key).await, Err(app::error::AppError::NotFound));
    assert!(keys_in(&endpoint, &bucket).await.is_empty());

    // A bucket that is not there fails the start-up check.
    let missing = S3Bucket {
        name: format!("{}-missing", bucket.name),
        ..bucket
    };
    let storage = server::storage::s3(&missing, 1024).expect("builds");
    assert!(storage.check().await.is_err());
    assert!(storage.put(bytes::Bytes::from_static(b"x")).await.is_err());
}

#[tokio::test]
async fn documents_upload_and_download_through_the_bucket_on_both_databases() {
    let Some(endpoint) = endpoint() else { return };
    let mut apps = Vec::new();
    let bucket = new_bucket(&endpoint).await;
    let storage = server::storage::s3(&bucket, 1024 * 1024).expect("s3 storage");
    apps.push(TestApp::sqlite_with(Some(storage.clone())).await);
    if let Some(pg) = TestApp::postgres_with(Some(storage)).await {
        apps.push(pg);
    }
    let mut stored = 0;
    for app in apps {
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let care_plans = category(&app, "Care Plans").await;
        let pdf: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        let r = upload(&app, &sam, alice, care_plans, false, ("plan.pdf", pdf)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            r.headers[header::LOCATION]
                .to_str()
                .expect("ascii")
                .contains("uploaded=1")
        );
        stored += 1;
        assert_eq!(keys_in(&endpoint, &bucket).await.len(), stored);

        let listed = app
            .get(
                &format!("/api/agency/documents?client_id={alice}"),
                Some(&sam),
            )
            .await;
        let docs: Vec<serde_json::Value> = serde_json::from_str(&listed.body).expect("json");
        let id = docs
            .iter()
            .find(|d| d["name"] == "plan.pdf")
            .and_then(|d| d["id"].as_i64())
            .expect("the document");
        // "Care Plans" are always shared: the case manager downloads it.
        let erin = app.sign_in("erin@northcounty.example").await;
        let got = app
            .get(&format!("/documents/{id}/download"), Some(&erin))
            .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(got.bytes, pdf);
        app.teardown().await;
    }
}
