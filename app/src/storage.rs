//! Where uploaded bytes live: an object store (a local folder by default,
//! an S3-compatible bucket when several instances run), always under a
//! random key, never a path built from what the user called the file.

use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Documents larger than this are refused before anything is stored.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Where an S3-compatible bucket is.
#[derive(Clone, Debug)]
pub struct S3Bucket {
    pub name: String,
    pub region: String,
    /// Unset for AWS itself.
    pub endpoint: Option<String>,
    /// Access key id and secret; unset: the `AWS_*` environment.
    pub credentials: Option<(String, String)>,
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    pub max_upload_bytes: usize,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

impl Storage {
    pub fn new(store: Arc<dyn ObjectStore>, max_upload_bytes: usize) -> Self {
        Storage {
            store,
            max_upload_bytes,
        }
    }

    /// A folder on this machine, created when missing. Keep it outside the
    /// site root: nothing serves it directly.
    pub fn local(dir: &std::path::Path, max_upload_bytes: usize) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(std::io::Error::other)?;
        Ok(Storage::new(Arc::new(store), max_upload_bytes))
    }

    /// An S3-compatible bucket, shared by every app instance. Credentials
    /// come from the usual `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
    /// environment. `endpoint` names a non-AWS service (MinIO, Ceph, …),
    /// addressed path-style; plain `http://` is allowed only there.
    pub fn s3(bucket: &S3Bucket, max_upload_bytes: usize) -> Result<Self, String> {
        use object_store::aws::AmazonS3Builder;
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&bucket.name)
            .with_region(&bucket.region);
        if let Some((id, secret)) = &bucket.credentials {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        if let Some(endpoint) = &bucket.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        let store = builder.build().map_err(|e| e.to_string())?;
        Ok(Storage::new(Arc::new(store), max_upload_bytes))
    }

    /// Fails when the store cannot be reached, the bucket is missing or the
    /// credentials may not write, so a misconfigured server stops at
    /// start-up, not at the first upload. (A read alone would not do: a
    /// missing bucket and a missing object both answer "not found".)
    pub async fn check(&self) -> Result<(), String> {
        let probe = Path::from("caseport-start-up-check");
        self.store
            .put(&probe, PutPayload::from_static(b"ok"))
            .await
            .map_err(|e| e.to_string())?;
        self.store.delete(&probe).await.map_err(|e| e.to_string())
    }

    /// Stores the bytes under a new random key and returns the key.
    pub async fn put(&self, bytes: Bytes) -> Result<String, AppError> {
        let mut raw = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let key = format!("objects/{}", hex::encode(raw));
        self.store
            .put(&Path::from(key.as_str()), PutPayload::from_bytes(bytes))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "storage write failed");
                AppError::Internal
            })?;
        Ok(key)
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, AppError> {
        let found = self
            .store
            .get(&Path::from(key))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => AppError::NotFound,
                e => {
                    tracing::error!(error = %e, "storage read failed");
                    AppError::Internal
                }
            })?;
        found.bytes().await.map_err(|e| {
            tracing::error!(error = %e, "storage read failed");
            AppError::Internal
        })
    }

    /// Every stored key (for a backup), except the start-up probe's.
    pub async fn keys(&self) -> Result<Vec<String>, String> {
        use futures::TryStreamExt;
        let all: Vec<String> = self
            .store
            .list(None)
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        Ok(all
            .into_iter()
            .filter(|k| k != "caseport-start-up-check")
            .collect())
    }

    /// Stores the bytes under a given key (a restore puts objects back
    /// where the database expects them).
    pub async fn put_at(&self, key: &str, bytes: Bytes) -> Result<(), String> {
        self.store
            .put(&Path::from(key), PutPayload::from_bytes(bytes))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Best effort: an orphaned object is harmless, a failed request is not.
    pub async fn delete(&self, key: &str) {
        if let Err(e) = self.store.delete(&Path::from(key)).await {
            tracing::warn!(error = %e, key, "could not delete stored object");
        }
    }
}

/// What an uploaded file really is, when Caseport takes it: not empty, not
/// over `max_bytes`, and of a kind [`sniff`] knows from its bytes. The
/// errors speak of the form's `file` field.
pub fn accept_upload(bytes: &[u8], max_bytes: usize) -> Result<FileKind, AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "Choose a file to upload."));
    }
    if bytes.len() > max_bytes {
        return Err(AppError::invalid(
            "file",
            format!(
                "The file is too large: at most {} MiB.",
                max_bytes / (1024 * 1024)
            ),
        ));
    }
    sniff(bytes).ok_or_else(|| {
        AppError::invalid(
            "file",
            "This kind of file is not accepted: upload a PDF, an image (PNG, JPEG), \
             a Word or Excel document, or plain text.",
        )
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file type Caseport accepts, recognised from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Text,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }
}

/// What the bytes are, whatever the browser or the file name claim.
/// Plain text is accepted only as UTF-8 without control characters.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if infer::doc::is_docx(bytes) {
        return Some(FileKind::Docx);
    }
    if infer::doc::is_xlsx(bytes) {
        return Some(FileKind::Xlsx);
    }
    if infer::archive::is_pdf(bytes) {
        return Some(FileKind::Pdf);
    }
    if infer::image::is_png(bytes) {
        return Some(FileKind::Png);
    }
    if infer::image::is_jpeg(bytes) {
        return Some(FileKind::Jpeg);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let clean = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    (clean && !text.is_empty()).then_some(FileKind::Text)
}

impl FileKind {
    /// The extensions a file of this kind may carry; the first is given to
    /// a name that has none of them.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Text => &["txt", "csv", "md", "log"],
        }
    }
}

/// The stored name of an upload: cleaned, and ending in an extension that
/// matches what the bytes are. A PDF uploaded as `letter.exe` downloads as
/// `letter.pdf`: no one is invited to run a document, nor to open a
/// program as one.
pub fn stored_file_name(name: &str, kind: FileKind) -> String {
    let name = clean_file_name(name);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext.to_ascii_lowercase()),
        _ => (name.as_str(), String::new()),
    };
    if kind.extensions().contains(&ext.as_str()) {
        return name;
    }
    let stem = if ext.is_empty() || ext.len() > 5 {
        // Not an extension ("v2.final draft"): keep it all.
        name.as_str()
    } else {
        stem
    };
    format!("{stem}.{}", kind.extensions()[0])
}

/// A file name fit to show and to send back in `Content-Disposition`:
/// no path, no control characters, at most 200 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    if cleaned.is_empty() {
        "document".to_string()
    } else {
        cleaned
    }
}

/// `Content-Disposition: attachment` with an ASCII fallback name and the
/// RFC 5987 UTF-8 name, so no file name can break out of the header.
pub fn attachment_header(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_the_type_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]),
            Some(FileKind::Png)
        );
        assert_eq!(sniff(b"Care plan, week 3\n"), Some(FileKind::Text));
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00"), None, "a Windows program");
        assert_eq!(sniff(b"<html>\x00<script>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_lose_paths_and_cannot_break_headers() {
        assert_eq!(stored_file_name("letter.exe", FileKind::Pdf), "letter.pdf");
        assert_eq!(stored_file_name("scan", FileKind::Pdf), "scan.pdf");
        assert_eq!(stored_file_name("Report.PDF", FileKind::Pdf), "Report.PDF");
        assert_eq!(stored_file_name("photo.jpeg", FileKind::Jpeg), "photo.jpeg");
        assert_eq!(stored_file_name("notes.pdf", FileKind::Text), "notes.txt");
        assert_eq!(
            stored_file_name("v2.final draft", FileKind::Docx),
            "v2.final draft.docx"
        );
        assert_eq!(stored_file_name("../x.exe", FileKind::Png), "x.png");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\plan.pdf"), "plan.pdf");
        assert_eq!(clean_file_name("a\r\nb.pdf"), "ab.pdf");
        assert_eq!(clean_file_name(".."), "document");
        let h = attachment_header("Plan \"final\"; é.pdf");
        assert!(h.starts_with("attachment; filename=\"Plan _final__ _.pdf\""));
        assert!(h.ends_with("filename*=UTF-8''Plan%20%22final%22%3B%20%C3%A9.pdf"));
    }
}
