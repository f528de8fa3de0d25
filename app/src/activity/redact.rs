//! What of a log row's detail an organisation-wide reader (the activity
//! log page and its CSV) may see. Case edits and rejections once recorded
//! clinical text (before/after values, the rejection note); rows are never
//! rewritten (the hash chain forbids it), so old rows are cut down here as
//! they are read. New rows carry no clinical values at all.

use serde_json::Value;

use crate::activity::ActivityAction;

/// The names of the fields a case edit changed: a list in new rows, the
/// keys of a `{field: {before, after}}` object in old ones.
pub fn changed_fields(fields: &Value) -> Vec<String> {
    match fields {
        Value::Array(names) => names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The detail as an admin-wide view shows it: which fields changed and the
/// rejection's reason, never the clinical values themselves.
pub fn for_log_view(action: ActivityAction, detail: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<Value>(detail) else {
        return detail.to_string();
    };
    match action {
        ActivityAction::CaseModified => {
            let names = changed_fields(&value["fields"]);
            value["fields"] = Value::from(names);
        }
        ActivityAction::CaseStatusChanged => {
            // Old rows wrote "Label: free-text note".
            if let Some(reason) = value["reason"].as_str()
                && let Some((label, _note)) = reason.split_once(": ")
            {
                value["reason"] = Value::String(label.to_string());
                value["with_note"] = Value::Bool(true);
            }
        }
        // A file's name can say what it is about ("HIV result.pdf"): the
        // case's own history shows it to those on the case, the log does not.
        ActivityAction::CaseFileAttached | ActivityAction::CaseFileDownloaded => {
            if let Some(fields) = value.as_object_mut() {
                fields.remove("name");
            }
        }
        _ => return detail.to_string(),
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attached_file_names_stay_out_of_the_log() {
        let row = r#"{"attachment":4,"name":"HIV result.pdf","size":10,"sha256":"ab"}"#;
        let shown = for_log_view(ActivityAction::CaseFileAttached, row);
        assert!(!shown.contains("HIV"), "{shown}");
        assert!(shown.contains("\"attachment\":4"), "{shown}");
    }

    #[test]
    fn old_case_edits_show_field_names_without_values() {
        let old = r#"{"fields":{"notes":{"before":"HIV+","after":"HIV+, on ART"},"reason":{"before":"a","after":"b"}}}"#;
        let shown = for_log_view(ActivityAction::CaseModified, old);
        assert!(!shown.contains("HIV"), "{shown}");
        assert!(
            shown.contains("notes") && shown.contains("reason"),
            "{shown}"
        );
    }

    #[test]
    fn old_rejections_lose_their_note_but_keep_the_reason() {
        let old =
            r#"{"transition":"Rejected","reason":"Other: patient has a relapse of depression"}"#;
        let shown = for_log_view(ActivityAction::CaseStatusChanged, old);
        assert!(!shown.contains("depression"), "{shown}");
        assert!(shown.contains("\"reason\":\"Other\""), "{shown}");
    }

    #[test]
    fn other_rows_are_shown_as_they_are() {
        let row = r#"{"rows":3}"#;
        assert_eq!(for_log_view(ActivityAction::ActivityExported, row), row);
    }
}
