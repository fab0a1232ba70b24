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
    [param("hardware", "query", "hardware id"), param("state", "query", "IDLE, PENDING, INSTRUCTED, COMMITTED, FAILED or ROLLED_BACK"),
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
    [ID, param("status", "query", "PENDING, INSTRUCTED, COMMITTED, FAILED or ROLLED_BACK"), CURSOR, LIMIT],
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
doc = {
 "openapi": "3.1.0",
 "info": {"title": "wasmota OEM management API", "version": "1",
   "description": "Releases, the fleet, campaigns, the audit trail and dead letters of one OEM. HTTPS only, TLS 1.3, with a client certificate issued from the OEM root (`ota oem issue operator|viewer`): a viewer reads, an operator also changes; every change is an audit record naming the operator. Refusals are RFC 9457 problem documents whose `reason` and `exitCode` are those of the command line."},
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
open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "openapi.json"), "w").write(json.dumps(doc, indent=2) + "\n")
