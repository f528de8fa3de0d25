//! `GET /fhir/r4/metadata`: what this server answers, for a client to
//! discover before it asks.

use serde_json::{Value, json};

use crate::fhir::ResourceType;
use crate::fhir::resources::instant;

fn param_type(name: &str) -> &'static str {
    match name {
        "date" => "date",
        "patient" | "owner" | "target" => "reference",
        "_id" => "token",
        _ => "token",
    }
}

pub fn capability_statement(base: &str, version: &str) -> Value {
    let resources: Vec<Value> = ResourceType::ALL
        .into_iter()
        .map(|t| {
            json!({
                "type": t.name(),
                "interaction": [{ "code": "read" }, { "code": "search-type" }],
                "searchParam": t.search_params().iter().map(|p| json!({ "name": p, "type": param_type(p) })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(chrono::Utc::now()),
        "publisher": "Caseport",
        "kind": "instance",
        "software": { "name": "Caseport", "version": version },
        "implementation": { "description": "Caseport FHIR API (read-only)", "url": base },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "security": {
                "cors": false,
                "description": "A personal API token (Account, API tokens) as Authorization: Bearer, or a signed-in browser session. Every answer is limited to what the token's user may see in Caseport and to the token's scopes."
            },
            "resource": resources,
            "operation": [{
                "name": "export",
                "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"
            }],
        }],
    })
}
