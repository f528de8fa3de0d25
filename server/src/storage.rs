//! Choosing where uploaded bytes live: the local folder by default, an
//! S3-compatible bucket when one is configured.

use app::storage::{S3Bucket, Storage};

use crate::config::Settings;

/// TLS for the S3 client uses ring, the crypto provider the rest of the
/// server's rustls already uses (no second, C-built provider). Installed
/// once per process; a second call is a no-op.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub async fn from_settings(settings: &Settings) -> Result<Storage, String> {
    let max = settings.max_upload_mb.saturating_mul(1024 * 1024);
    match &settings.s3_bucket {
        Some(name) => {
            let bucket = S3Bucket {
                name: name.clone(),
                region: settings.s3_region.clone(),
                endpoint: settings.s3_endpoint.clone(),
                credentials: None,
            };
            let storage = s3(&bucket, max)?;
            storage
                .check()
                .await
                .map_err(|e| format!("cannot use S3 bucket {name}: {e}"))?;
            tracing::info!(bucket = %name, "documents are stored in S3");
            Ok(storage)
        }
        None => Storage::local(&settings.storage_dir, max).map_err(|e| {
            format!(
                "cannot use storage folder {}: {e}",
                settings.storage_dir.display()
            )
        }),
    }
}

pub fn s3(bucket: &S3Bucket, max_upload_bytes: usize) -> Result<Storage, String> {
    install_crypto_provider();
    Storage::s3(bucket, max_upload_bytes)
}
