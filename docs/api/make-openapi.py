# Writes openapi.json beside this file: the management API's OpenAPI document (python3 docs/api/make-openapi.py).
# ApiReadTest keeps the served document equal to it and every route documented.
import json
def param(name, where, desc, schema=None, required=False):
    return {"name": name, "in": where, "required": required or where == "path", "description": desc,
            "schema": schema or {"type": "string"}}
CURSOR = param("cursor", "query", "the `next` of the page before; absent for the first page")
LIMIT = param("limit", "query", "items per page, 1..500 (default 100)", {"type": "integer", "minimum": 1, "maximum": 500})
def problems(*codes):
    d = {"400": "bad input: the problem names the field (`field`)", "403": "not an operator or viewer, or a viewer asking to change something",
         "404": "no such resource", "409": "the change conflicts with the resource's state (e.g. ILLEGAL_TRANSITION)",
         "413": "the body is larger than 65536 bytes", "415": "the body is not application/json",
         "422": "refused by the OEM's rules (the same reason the command line gives)"}
    return {c: {"description": d[c], "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}} for c in codes}
def ok(desc, schema, code="200"):
    return {code: {"description": desc, "content": {"application/json": {"schema": schema}}}}
def op(opid, summary, params, responses, body=None, tag=None):
    o = {"operationId": opid, "summary": summary, "tags": [tag], "parameters": params, "responses": responses}
    if body: o["requestBody"] = body
    return o
page = lambda item: {"allOf": [{"$ref": "#/components/schemas/Page"}, {"properties": {"items": {"type": "array", "items": item}}}]}
obj = {"type": "object"}
ref = lambda n: {"$ref": "#/components/schemas/" + n}
ID = param("id", "path", "the campaign id")
paths = {
 "/api/v1/openapi.json": {"get": op("openapi", "this document", [], ok("the OpenAPI document", obj), tag="api")},
 "/api/v1/releases": {"get": op("listReleases", "releases, by id", [CURSOR, LIMIT], {**ok("a page of releases", page(ref("Release"))), **problems("400", "403")}, tag="releases")},
 "/api/v1/releases/{module}/{version}": {"get": op("getRelease", "a release with its intake report (and SBOM when present)",
    [param("module", "path", "module id"), param("version", "path", "module version")], {**ok("the release", ref("ReleaseDetail")), **problems("403", "404")}, tag="releases")},
 "/api/v1/fleet": {"get": op("fleetSummary", "the fleet counted: vehicles by state and by version, campaigns by state", [], {**ok("the counts", ref("Fleet")), **problems("403")}, tag="vehicles")},
 "/api/v1/vehicles": {"get": op("listVehicles", "vehicles by id, filtered; a filtered page scans at most 5,000 vehicles and may be short",
    [param("hardware", "query", "hardware id"), param("state", "query", "IDLE, PENDING, INSTRUCTED, COMMITTED, FAILED, ROLLED_BACK or EXCLUDED (left out at the start: its configuration does not fit the release)"),
     param("version", "query", "VERSION or MODULE@VERSION the vehicle last committed"), CURSOR, LIMIT],
    {**ok("a page of vehicles", page(ref("Vehicle"))), **problems("400", "403")}, tag="vehicles")},
 "/api/v1/vehicles/{id}": {"get": op("getVehicle", "a vehicle with its campaign history (newest first, at most 200)", [param("id", "path", "vehicle id")],
    {**ok("the vehicle", ref("Vehicle")), **problems("403", "404")}, tag="vehicles")},
 "/api/v1/campaigns": {
   "get": op("listCampaigns", "campaigns, by id", [CURSOR, LIMIT], {**ok("a page of campaigns", page(obj)), **problems("400", "403")}, tag="campaigns"),
   "post": op("createCampaign", "creates a campaign (operator)", [], {**ok("the campaign created", ref("CampaignStatus"), "201"), **problems("400", "403", "404", "409", "413", "415", "422")},
     body={"required": True, "content": {"application/json": {"schema": ref("CampaignCreate")}}}, tag="campaigns")},
 "/api/v1/campaigns/{id}": {"get": op("getCampaign", "a campaign with its waves and their counts (wasmota-campaign-status/1)", [ID],
    {**ok("the campaign", ref("CampaignStatus")), **problems("403", "404")}, tag="campaigns")},
 "/api/v1/campaigns/{id}/vehicles": {"get": op("listCampaignVehicles", "a campaign's per-vehicle actions, by vehicle id",
    [ID, param("status", "query", "PENDING, INSTRUCTED, COMMITTED, FAILED, ROLLED_BACK or EXCLUDED (left out at the start: its configuration does not fit the release)"), CURSOR, LIMIT],
    {**ok("a page of actions", page(obj)), **problems("400", "403", "404")}, tag="campaigns")},
 "/api/v1/audit": {"get": op("listAudit", "the OEM's audit trail, oldest first", [param("event", "query", "one audit event, e.g. CAMPAIGN_PAUSED"), CURSOR, LIMIT],
    {**ok("a page of audit records", page(obj)), **problems("400", "403")}, tag="audit")},
 "/api/v1/whoami": {"get": op("whoami", "who the caller is: actor and role (operator or viewer)", [], {**ok("the caller", obj), **problems("403")}, tag="api")},
 "/api/v1/refusals": {"get": op("refusalsByReason", "dead letters and refused status reports counted by reason, over the latest 5,000 of each", [], {**ok("counts by reason", obj), **problems("403")}, tag="audit")},
 "/api/v1/campaigns/{id}/timeline": {"get": op("campaignTimeline", "what the console's charts draw: per wave, vehicles committed over time (at most 200 points each), and the time-to-commit histogram with p50 and p99", [ID],
    {**ok("the chart data", obj), **problems("403", "404")}, tag="campaigns")},
 "/api/v1/campaigns/{id}/charts/committed-over-time.svg": {"get": op("chartCommittedOverTime", "the simulator report's chart of vehicles committed over time per wave (ota-charts), as an SVG document", [ID],
    {"200": {"description": "the chart", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}, **problems("403", "404")}, tag="campaigns")},
 "/api/v1/campaigns/{id}/charts/time-to-commit.svg": {"get": op("chartTimeToCommit", "the simulator report's time-to-commit histogram (from each instruction to its commit; ota-charts), as an SVG document", [ID],
    {"200": {"description": "the chart", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}, **problems("403", "404")}, tag="campaigns")},
 "/api/v1/dead-letters": {"get": op("listDeadLetters", "messages refused and dead-lettered, with their reasons (`cause`)", [CURSOR, LIMIT],
    {**ok("a page of dead-letter records", page(obj)), **problems("400", "403")}, tag="audit")},
}
for a, s in [("start", "starts a CREATED campaign"), ("pause", "pauses a RUNNING campaign"), ("resume", "resumes a PAUSED campaign"),
             ("abort", "aborts a campaign not finished"), ("rollback", "rolls a started campaign back to the previous release")]:
    paths["/api/v1/campaigns/{id}/" + a] = {"post": op(a + "Campaign", s + " (operator); the body, if any, is an empty JSON object", [ID],
        {**ok("the campaign after the change", ref("CampaignStatus")), **problems("400", "403", "404", "409", "413", "415", "422")}, tag="campaigns")}
REFUSED_DECISION = " Refused once concluded (SHADOW_DECIDED, 409), without shadows (NO_SHADOW_CAMPAIGN, 422) or when none runs (NO_SHADOW_RUNNING, 409)"
for a, opid, s in [("shadow-promote", "promoteCampaignShadows", "promotes the campaign's shadow runs now (operator): each vehicle whose shadow runs is sent a command signed with the campaign key and commits it through its install path; later waves install at once."),
                   ("shadow-discard", "discardCampaignShadows", "discards the campaign's shadow runs now and aborts the campaign (operator): each vehicle whose shadow runs is sent a command signed with the campaign key, stops it (its writes were never actuated) and reports FAILED SHADOW_DISCARDED with the reason.")]:
    paths["/api/v1/campaigns/{id}/" + a] = {"post": op(opid, s + REFUSED_DECISION, [ID],
        {**ok("the campaign after the change", ref("CampaignStatus")), **problems("400", "403", "404", "409", "413", "415", "422")},
        body={"required": False, "content": {"application/json": {"schema": ref("ShadowDecisionRequest")}}}, tag="campaigns")}
REL = [param("module", "path", "module id"), param("version", "path", "module version")]
paths["/api/v1/rxswin"] = {
  "get": op("listRxswin", "the RXSWIN register (UN R156 7.1.1), by hardware id and RXSWIN, as `ota oem rxswin list`", [param("hardware", "query", "only this hardware id"), CURSOR, LIMIT],
    {**ok("a page of register entries", page(ref("Rxswin"))), **problems("400", "403")}, tag="regulatory"),
  "post": op("defineRxswin", "registers an RXSWIN for a hardware id as exact module versions (operator), as `ota oem rxswin define`; the same entry again changes nothing (200), other modules are refused (RXSWIN_CONFLICT)", [],
    {**ok("the entry registered", ref("Rxswin"), "201"), **ok("the entry was registered already with these modules", ref("Rxswin")), **problems("400", "403", "413", "415", "422")},
    body={"required": True, "content": {"application/json": {"schema": ref("RxswinDefine")}}}, tag="regulatory")}
paths["/api/v1/releases/{module}/{version}/rxswin"] = {
  "get": op("getReleaseRxswin", "what a release changes of the RXSWIN and why (`rxswin` null when not stated), as `ota oem rxswin release`", REL,
    {**ok("the statement", ref("ReleaseRxswin")), **problems("403", "404")}, tag="regulatory"),
  "put": op("stateReleaseRxswin", "states (replaces) what a release changes of the RXSWIN (operator): `from` and `to` registered RXSWINs of one hardware id, the new one holding the release (RXSWIN_MISMATCH otherwise), or `none`; always with the reason", REL,
    {**ok("the statement", ref("ReleaseRxswin")), **problems("400", "403", "404", "413", "415", "422")},
    body={"required": True, "content": {"application/json": {"schema": ref("RxswinChange")}}}, tag="regulatory")}
paths["/api/v1/releases/{module}/{version}/record"] = {
  "get": op("getReleaseRecord", "a release's own update record (UN R156 7.1.2; `record` null when not stated), with its digest and the fields it still lacks, as `ota oem release record`", REL,
    {**ok("the record", ref("ReleaseRecord")), **problems("403", "404")}, tag="regulatory"),
  "put": op("stateReleaseRecord", "states (replaces) a release's own update record (operator); its campaigns inherit it. The body is the record file (format wasmota-update-record/1; MALFORMED_RECORD otherwise); refused once a campaign of the release started (RECORD_FROZEN)", REL,
    {**ok("the record stated", ref("ReleaseRecord")), **problems("400", "403", "404", "413", "415", "422")},
    body={"required": True, "content": {"application/json": {"schema": obj}}}, tag="regulatory")}
paths["/api/v1/vehicles/{id}/configuration"] = {"get": op("getVehicleConfiguration", "a vehicle's last known configuration from its last signed status (`configuration` null before its first), as `ota oem rxswin vehicle`", [param("id", "path", "vehicle id")],
    {**ok("the configuration", ref("VehicleConfiguration")), **problems("403", "404")}, tag="regulatory")}
paths["/api/v1/campaigns/{id}/notice"] = {
  "get": op("getCampaignNotice", "what a campaign's instructions tell the vehicles' users before the update (`notice` null when no purpose is stated, here or in the update record), as `ota oem campaign notice`", [ID],
    {**ok("the notice", ref("CampaignNotice")), **problems("403", "404")}, tag="regulatory"),
  "put": op("stateCampaignNotice", "states (replaces) a CREATED campaign's user notice (operator); fixed once it starts (RECORD_FROZEN)", [ID],
    {**ok("the notice", ref("CampaignNotice")), **problems("400", "403", "404", "413", "415", "422")},
    body={"required": True, "content": {"application/json": {"schema": ref("UserNotice")}}}, tag="regulatory")}
SCHEMAS = {
 "Rxswin": {"type": "object", "properties": {"hardware": {"type": "string"}, "rxswin": {"type": "string"}, "modules": {"type": "object", "additionalProperties": {"type": "string"}, "description": "module id to version"},
   "description": {"type": "string"}, "definedAt": {"type": "string"}}},
 "RxswinDefine": {"type": "object", "additionalProperties": False, "required": ["hardware", "rxswin", "modules"], "properties": {
   "hardware": {"type": "string", "description": "the vehicle type's hardware id"}, "rxswin": {"type": "string", "description": "e.g. R156-ECU-A:2.0"},
   "modules": {"type": "object", "additionalProperties": {"type": "string"}, "description": "module id to version, 1..32"},
   "description": {"type": "string", "maxLength": 500, "description": "one line: what it is, its approval"}}},
 "RxswinChange": {"type": "object", "additionalProperties": False, "required": ["reason"], "properties": {
   "from": {"type": "string", "description": "the RXSWIN a vehicle must run to take it (with to)"}, "to": {"type": "string", "description": "the RXSWIN the vehicle runs after it (with from)"},
   "none": {"type": "boolean", "description": "true: the release changes no RXSWIN (instead of from and to)"},
   "reason": {"type": "string", "maxLength": 500, "description": "why it changes, or why not"},
   "requires": {"type": "array", "maxItems": 16, "items": {"type": "string"}, "description": "module versions the vehicle must run, MODULE>=VERSION"}}},
 "ReleaseRxswin": {"type": "object", "properties": {"release": {"type": "string"}, "rxswin": {"type": ["object", "null"], "properties": {
   "changes": {"type": "boolean"}, "from": {"type": ["string", "null"]}, "to": {"type": ["string", "null"]}, "reason": {"type": "string"},
   "requires": {"type": "array", "items": {"type": "string"}}, "summary": {"type": "string"}, "statedAt": {"type": "string"}}}}},
 "ReleaseRecord": {"type": "object", "properties": {"release": {"type": "string"}, "record": {"type": ["object", "null"], "description": "wasmota-update-record/1, absent fields left out"},
   "sha256": {"type": ["string", "null"], "description": "of the record's canonical JSON"}, "statedAt": {"type": ["string", "null"]},
   "missing": {"type": ["array", "null"], "items": {"type": "string"}, "description": "each field a campaign's start still needs, as `field: why` (a campaign's own record may complete it)"}}},
 "VehicleConfiguration": {"type": "object", "properties": {"vehicle": {"type": "string"}, "configuration": {"type": ["object", "null"], "properties": {
   "rxswin": {"type": ["string", "null"]}, "modules": {"type": "object", "description": "module id to {version, packageSha256}"},
   "instructionId": {"type": "string"}, "reportedAt": {"type": "string"}}}}},
 "UserNotice": {"type": "object", "additionalProperties": False, "properties": {
   "purpose": {"type": "string", "maxLength": 240, "description": "one line; absent: the update record's purpose"},
   "expectedSeconds": {"type": "integer", "minimum": 0, "maximum": 604800, "description": "how long the update is expected to take (default 0)"},
   "unavailableFunctions": {"type": "array", "maxItems": 8, "items": {"type": "string", "maxLength": 80}}}},
 "CampaignNotice": {"type": "object", "properties": {"campaign": {"type": "string"}, "notice": {"type": ["object", "null"], "description": "purpose, expectedSeconds, unavailableFunctions as the instructions carry them"},
   "text": {"type": ["string", "null"], "description": "the one line the user is shown"}}},
}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "wasmota OEM management API", "version": "1",
   "description": "Releases, the fleet, campaigns, the audit trail and dead letters of one OEM, and its regulatory statements (UN R156: the RXSWIN register, releases' RXSWIN changes and update records, vehicles' configurations, campaigns' user notices). HTTPS only, TLS 1.3, with a client certificate issued from the OEM root (`ota oem issue operator|viewer`): a viewer reads, an operator also changes; every change is an audit record naming the operator. Refusals are RFC 9457 problem documents whose `reason` and `exitCode` are those of the command line."},
 "security": [{"oemClientCertificate": []}],
 "paths": paths,
 "components": {
  "securitySchemes": {"oemClientCertificate": {"type": "mutualTLS", "description": "a certificate of CN operator/NAME or viewer/NAME from the OEM root"}},
  "schemas": {
   "Problem": {"type": "object", "required": ["type", "title", "status", "detail", "reason", "exitCode"], "properties": {
     "type": {"type": "string", "description": "urn:wasmota:problem:REASON"}, "title": {"type": "string"}, "status": {"type": "integer"},
     "detail": {"type": "string"}, "instance": {"type": "string"}, "reason": {"type": "string", "description": "the reason the command line names"},
     "exitCode": {"type": "integer", "description": "the exit code the command line would end with (CONTRACT.md)"},
     "field": {"type": "string", "description": "the body field or query parameter refused"}}},
   "Page": {"type": "object", "required": ["items", "next"], "properties": {"items": {"type": "array"}, "next": {"type": ["string", "null"], "description": "the cursor of the next page; null at the end"}}},
   "Release": {"type": "object", "properties": {k: {"type": "string"} for k in ["id", "module", "version", "supplier", "wasmSha256", "packageSha256", "publishedAt"]} | {"securityVersion": {"type": "integer"}, "hasReport": {"type": "boolean"}}},
   "ReleaseDetail": {"allOf": [ref("Release"), {"properties": {"report": {"type": ["object", "null"]}, "sbom": {"type": ["object", "null"]}}}]},
   "Vehicle": {"type": "object", "properties": {"id": {"type": "string"}, "hardware": {"type": "string"}, "registeredAt": {"type": "string"},
     "state": {"type": "string"}, "campaign": {"type": ["string", "null"]}, "versions": {"type": "object", "additionalProperties": {"type": "string"}},
     "history": {"type": "array", "items": obj}}},
   "Fleet": {"type": "object", "properties": {"at": {"type": "string"}, "vehicles": {"type": "integer"}, "byState": obj, "byVersion": obj, "campaigns": obj}},
   "CampaignStatus": {"type": "object", "description": "wasmota-campaign-status/1, as `ota oem campaign status --json` prints it (README); the API adds `shadow` and `health` (the campaign's rollout options, or null) and `shadowDecision` (the operator's promote or discard: action, reason, actor, decidedAt, commands, answered; or null)"},
   "ShadowDecisionRequest": {"type": "object", "additionalProperties": False, "properties": {
     "reason": {"type": "string", "maxLength": 200, "description": "why: reported by each vehicle and audited"}}},
   "CampaignCreate": {"type": "object", "additionalProperties": False, "required": ["release", "waves"], "properties": {
     "id": {"type": "string"}, "release": {"type": "string", "description": "MODULE@VERSION, published"},
     "vehicles": {"type": "array", "items": {"type": "string"}, "description": "the vehicles targeted (or hardware)"},
     "hardware": {"type": "string", "description": "every vehicle of this hardware id (or vehicles)"},
     "waves": {"type": "string", "description": "wave plan, e.g. 10%,50%,100%"},
     "advanceAt": {"type": "integer"}, "stopAt": {"type": "integer"}, "validitySeconds": {"type": "integer"}, "holdSeconds": {"type": "integer"},
     "shadow": {"type": "object", "description": "deliver the release as a shadow first: the instruction's shadow object, every field required: ticks (compared ticks before the rule decides), maxDisagreementPpm, maxFaults, tolerances (list of {canId, absolute, relativePpm})"},
     "health": {"type": "object", "description": "gate the waves on runtime health: p99MarginPercent (required), baselineWorstUs (0 or absent: the intake report's worst call time), maxDeadlineMisses, maxTraps (default 0)"}}}}}}
doc["components"]["schemas"].update(SCHEMAS)
open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "openapi.json"), "w").write(json.dumps(doc, indent=2) + "\n")
