#!/usr/bin/env python3
"""Validates every FHIR resource the integration tests saved against the
FHIR R4 structure definitions (the R4B models of `fhir.resources`, R4B being
the R4-compatible release), plus the required value-set bindings those
models leave unchecked. Fails when a type the API serves was not seen, so a
test that stopped saving cannot pass unnoticed.

Usage: fhir-validate.py DIR
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

from fhir.resources.R4B import get_fhir_model_class

# Every type the API answers with; each must have been seen.
EXPECTED = {
    "ServiceRequest", "Task", "Provenance", "Patient", "Practitioner",
    "PractitionerRole", "Organization", "Appointment", "AuditEvent",
    "Bundle", "OperationOutcome", "CapabilityStatement",
}

# Required bindings (FHIR R4) of the coded fields Caseport fills.
REQUIRED = {
    ("Task", "status"): {"draft", "requested", "received", "accepted", "rejected", "ready",
                         "cancelled", "in-progress", "on-hold", "failed", "completed",
                         "entered-in-error"},
    ("Task", "intent"): {"unknown", "proposal", "plan", "order", "original-order",
                         "reflex-order", "filler-order", "instance-order", "option"},
    ("Task", "priority"): {"routine", "urgent", "asap", "stat"},
    ("ServiceRequest", "status"): {"draft", "active", "on-hold", "revoked", "completed",
                                   "entered-in-error", "unknown"},
    ("ServiceRequest", "intent"): {"proposal", "plan", "directive", "order", "original-order",
                                   "reflex-order", "filler-order", "instance-order", "option"},
    ("ServiceRequest", "priority"): {"routine", "urgent", "asap", "stat"},
    ("Appointment", "status"): {"proposed", "pending", "booked", "arrived", "fulfilled",
                                "cancelled", "noshow", "entered-in-error", "checked-in",
                                "waitlist"},
    ("AuditEvent", "action"): {"C", "R", "U", "D", "E"},
    ("AuditEvent", "outcome"): {"0", "4", "8", "12"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch",
                         "batch-response", "history", "searchset", "collection"},
    ("CapabilityStatement", "status"): {"draft", "active", "retired", "unknown"},
    ("CapabilityStatement", "kind"): {"instance", "capability", "requirements"},
}
ISSUE_SEVERITY = {"fatal", "error", "warning", "information"}
ISSUE_CODES = {"invalid", "structure", "required", "value", "invariant", "security", "login",
               "unknown", "expired", "forbidden", "suppressed", "processing", "not-supported",
               "duplicate", "multiple-matches", "not-found", "deleted", "too-long",
               "code-invalid", "extension", "too-costly", "business-rule", "conflict",
               "transient", "lock-error", "no-store", "exception", "timeout", "incomplete",
               "throttled", "informational"}
PARTICIPANT_STATUS = {"accepted", "declined", "tentative", "needs-action"}
CONTACT_SYSTEMS = {"phone", "fax", "email", "pager", "url", "sms", "other"}
ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
REFERENCE = re.compile(r"^[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}$")


def references(value):
    """Every `reference` string anywhere in a resource."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "reference" and isinstance(v, str):
                yield v
            else:
                yield from references(v)
    elif isinstance(value, list):
        for v in value:
            yield from references(v)


def check(resource, where, seen):
    kind = resource.get("resourceType")
    problems = []
    seen[kind] += 1
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except Exception as e:  # the model's own message says what and where
        problems.append(f"{where}: {kind} is not valid R4: {e}")
        return problems
    if "id" in resource and not ID.match(resource["id"]):
        problems.append(f"{where}: id {resource['id']!r} is not a FHIR id")
    for (t, field), allowed in REQUIRED.items():
        if t == kind and field in resource and resource[field] not in allowed:
            problems.append(f"{where}: {kind}.{field} {resource[field]!r} is not in its value set")
    for ref in references(resource):
        if not REFERENCE.match(ref):
            problems.append(f"{where}: reference {ref!r} is not Type/id")
    if kind == "OperationOutcome":
        for issue in resource.get("issue", []):
            if issue.get("severity") not in ISSUE_SEVERITY or issue.get("code") not in ISSUE_CODES:
                problems.append(f"{where}: OperationOutcome issue {issue!r} uses unknown codes")
    if kind == "Appointment":
        for p in resource.get("participant", []):
            if p.get("status") not in PARTICIPANT_STATUS:
                problems.append(f"{where}: participant status {p.get('status')!r}")
    if kind == "Patient":
        for c in resource.get("telecom", []):
            if c.get("system") not in CONTACT_SYSTEMS:
                problems.append(f"{where}: telecom system {c.get('system')!r}")
    if kind == "Bundle":
        for i, entry in enumerate(resource.get("entry", [])):
            problems += check(entry["resource"], f"{where} entry {i}", seen)
    return problems


def main():
    folder = Path(sys.argv[1])
    files = sorted(folder.glob("*.json"))
    if not files:
        sys.exit(f"no FHIR samples in {folder}: did the FHIR integration tests run?")
    seen = Counter()
    problems = []
    for f in files:
        problems += check(json.loads(f.read_text()), f.name, seen)
    missing = EXPECTED - set(seen)
    for p in problems[:50]:
        print(p)
    print(f"{len(files)} files, {sum(seen.values())} resources: "
          + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
    if missing:
        sys.exit(f"never seen, so never validated: {', '.join(sorted(missing))}")
    if problems:
        sys.exit(f"{len(problems)} problems")
    print("all valid FHIR R4")


if __name__ == "__main__":
    main()
