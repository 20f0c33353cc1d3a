"""supportdesk/openapi.yaml describes the routes the service has and the bodies it answers."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from PIL import Image

from supportdesk.api import OPENAPI, UploadLinks, create_app
from supportdesk.db import Database
from supportdesk.policy import RefundPolicy

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}
NAMED_SCHEMAS = {
    "Order", "OrderLine", "Shipment", "TrackingEvent", "PickupStore", "Claim", "ClaimRecord",
    "ClaimItem", "ClaimEvent", "ClaimQuote", "Evidence", "Handoff", "Error", "ValidationError",
}  # fmt: skip
MAYA = {"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}
DEMO_CLAIM = "CLM-000001"  # the demo's existing claim, on STS-8406-5519
TIMEOUT = 10


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI.read_text())


# --- a tiny checker: $ref, allOf, anyOf, nullable, type, enum, pattern, required properties ---


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are used: {ref}"
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def declared(spec: dict[str, Any], schema: dict[str, Any]) -> set[str] | None:
    """The properties an object may have under `schema`, its allOf parts included.

    None when any of them allows additional properties.
    """
    schema = resolve(spec, schema)
    if schema.get("additionalProperties"):
        return None
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        more = declared(spec, part)
        if more is None:
            return None
        names |= more
    return names


def conforms(
    spec: dict[str, Any], value: Any, schema: dict[str, Any], at: str = "$", closed: bool = True
) -> list[str]:
    """What is wrong with `value` under `schema`: [] when nothing.

    An object must have every required property and no property that the schema does not
    declare, itself or in its allOf parts (unless it allows additional properties). The
    allOf parts are checked with `closed=False`: each may leave properties to the others.
    """
    schema = resolve(spec, schema)
    if "anyOf" in schema:
        options = [conforms(spec, value, option, at) for option in schema["anyOf"]]
        if all(options):
            return [f"{at}: matches none of anyOf: {options}"]
    problems = [
        p for part in schema.get("allOf", []) for p in conforms(spec, value, part, at, False)
    ]
    if value is None:
        return problems if schema.get("nullable") or "type" not in schema else [f"{at}: null"]
    kind = schema.get("type")
    if kind is None:
        return problems
    if not isinstance(value, TYPES[kind]) or (kind != "boolean" and isinstance(value, bool)):
        return [*problems, f"{at}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{at}: {value!r} is not one of {schema['enum']}")
    if kind == "string" and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{at}: {value!r} does not match {schema['pattern']}")
    if kind == "array":
        for i, item in enumerate(value):
            problems += conforms(spec, item, schema.get("items", {}), f"{at}[{i}]")
    if kind == "object":
        properties = schema.get("properties", {})
        missing = set(schema.get("required", [])) - value.keys()
        problems += [f"{at}: required {name!r} is missing" for name in sorted(missing)]
        allowed = declared(spec, schema)
        if closed and properties and allowed is not None:
            undeclared = value.keys() - allowed
            problems += [f"{at}: {name!r} is not declared" for name in sorted(undeclared)]
        for name, sub in properties.items():
            if name in value:
                problems += conforms(spec, value[name], sub, f"{at}.{name}")
    return problems


def reachable_objects(spec: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """The schema `name` and every object schema inside it, by where they are."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], at: str) -> None:
        node = resolve(spec, node)
        for i, part in enumerate(node.get("allOf", []) + node.get("anyOf", [])):
            walk(part, f"{at}<{i}>")
        if node.get("type") == "object" and "properties" in node:
            found[at] = node
            for prop, sub in node["properties"].items():
                walk(sub, f"{at}.{prop}")
        if node.get("type") == "array":
            walk(node.get("items", {}), f"{at}[]")

    walk({"$ref": f"#/components/schemas/{name}"}, name)
    return found


def check_response(
    spec: dict[str, Any], method: str, path: str, response: requests.Response
) -> dict[str, Any]:
    """The response is a documented one of that operation, with its headers and body."""
    operation = spec["paths"][path][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {path} answered {status}, which is not documented: {response.text}"
    )
    documented = resolve(spec, operation["responses"][status])
    for header, details in documented.get("headers", {}).items():
        if details.get("required"):
            assert header in response.headers, f"{method} {path} {status}: no {header} header"
    body = response.json()
    schema = documented["content"]["application/json"]["schema"]
    problems = conforms(spec, body, schema)
    assert not problems, f"{method} {path} {status}: {problems}"
    return body


# --- the document itself ---


def test_document_parses_and_is_openapi_3_0(spec: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.0\.\d+", str(spec["openapi"]))
    assert spec["info"]["title"] and spec["info"]["version"]
    assert "own systems behind" in spec["info"]["description"]
    assert spec["components"]["schemas"].keys() >= NAMED_SCHEMAS
    assert spec["components"]["requestBodies"]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }


def test_every_reference_resolves(spec: dict[str, Any]) -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(spec, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)


def test_order_and_claim_declare_every_property_required(spec: dict[str, Any]) -> None:
    """So that a response matching them carries exactly the declared properties."""
    names = ("Order", "Claim", "ClaimRecord", "ClaimList", "ClaimQuote", "Handoff")
    for name in (*names, "EvidenceUploadResult"):
        for at, node in reachable_objects(spec, name).items():
            assert set(node["required"]) == set(node["properties"]), at


def test_claim_is_the_record_with_its_upload_link(spec: dict[str, Any]) -> None:
    """Create and get answer a Claim; list answers ClaimRecords, which have no link."""
    schemas = spec["components"]["schemas"]
    claim = schemas["Claim"]
    assert claim["allOf"] == [{"$ref": "#/components/schemas/ClaimRecord"}]
    assert set(claim["properties"]) == set(claim["required"]) == {"evidence_upload_url"}
    assert claim["properties"]["evidence_upload_url"]["format"] == "uri"
    assert "evidence_upload_url" not in schemas["ClaimRecord"]["properties"]
    listed = schemas["ClaimList"]["properties"]["claims"]["items"]
    assert listed == {"$ref": "#/components/schemas/ClaimRecord"}

    # Every property of a record, as null: the only other problems are "null" ones.
    record = dict.fromkeys(schemas["ClaimRecord"]["properties"])
    url = {"evidence_upload_url": "http://localhost:8000/upload/a.b"}

    def undeclared_or_missing(value: dict[str, Any], name: str) -> list[str]:
        problems = conforms(spec, value, {"$ref": f"#/components/schemas/{name}"})
        return [p for p in problems if "declared" in p or "required" in p]

    assert undeclared_or_missing({**record, **url}, "Claim") == []
    assert undeclared_or_missing(record, "Claim") == [
        "$: required 'evidence_upload_url' is missing"
    ]
    assert undeclared_or_missing({**record, **url}, "ClaimRecord") == [
        "$: 'evidence_upload_url' is not declared"
    ]
    assert undeclared_or_missing({**record, **url, "extra": 1}, "Claim") == [
        "$: 'extra' is not declared"
    ]


def app_routes(tmp_path: Path) -> set[tuple[str, str]]:
    db = Database(f"sqlite:///{tmp_path / 'routes.db'}")
    try:
        app = create_app(
            db,
            "k",
            RefundPolicy(),
            tmp_path / "evidence",
            UploadLinks("s", "http://localhost"),
            name=f"openapi_{uuid.uuid4().hex}",
        )
        routes = set()
        for route in app.router.routes:
            # Sanic keeps paths without the leading slash and parameters as <name:type>.
            path = "/" + re.sub(r"<(\w+)(?::[^>]*)?>", r"{\1}", route.path.strip("/"))
            routes |= {(method.upper(), path) for method in route.methods}
        return routes
    finally:
        db.dispose()


def test_every_route_is_documented_and_every_documented_route_exists(
    spec: dict[str, Any], tmp_path: Path
) -> None:
    documented = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    routes = app_routes(tmp_path)
    assert len(routes) >= 8
    assert routes - documented == set(), "routes missing from openapi.yaml"
    assert documented - routes == set(), "documented operations the service does not have"


def test_api_paths_need_the_bearer_key_and_others_do_not(spec: dict[str, Any]) -> None:
    """/api/ needs the bearer key; the agent inbox its session cookie; the rest nothing."""
    assert spec["components"]["securitySchemes"]["agentSession"] == {
        **spec["components"]["securitySchemes"]["agentSession"],
        "type": "apiKey",
        "in": "cookie",
        "name": "sts_agent",
    }
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            security = operation.get("security", spec.get("security"))
            if path.startswith("/api/"):
                assert security == [{"bearerAuth": []}], (method, path)
                assert "401" in operation["responses"], (method, path)
            elif path.startswith("/agent") and path not in {"/agent/login", "/agent/inbox.js"}:
                assert security == [{"agentSession": []}], (method, path)
                assert {"303", "401"} <= set(operation["responses"]), (method, path)
                if method == "post":
                    assert "403" in operation["responses"], (method, path)
            else:
                assert security == [], (method, path)


# --- against the running service ---


def test_lookup_get_and_list_answer_exactly_what_the_spec_declares(
    spec: dict[str, Any], shared_supportdesk
) -> None:
    desk = shared_supportdesk

    def call(method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method, desk.url + path, headers=desk.headers, timeout=TIMEOUT, **kwargs
        )

    order = check_response(
        spec, "POST", "/api/v1/orders/lookup", call("POST", "/api/v1/orders/lookup", json=MAYA)
    )
    assert order["order_number"] == MAYA["order_number"]
    assert order["lines"] and order["shipments"] and order["shipments"][0]["events"]

    claim = check_response(
        spec, "GET", "/api/v1/claims/{claim_number}", call("GET", f"/api/v1/claims/{DEMO_CLAIM}")
    )
    assert claim["claim_number"] == DEMO_CLAIM
    assert claim["order_number"] == "STS-8406-5519"
    assert claim["items"] and claim["history"]
    assert "/upload/" in claim["evidence_upload_url"]

    listed = check_response(
        spec,
        "GET",
        "/api/v1/claims",
        call("GET", "/api/v1/claims", params={"order_number": "STS-8406-5519"}),
    )
    assert DEMO_CLAIM in [c["claim_number"] for c in listed["claims"]]
    assert all("evidence_upload_url" not in c for c in listed["claims"])

    health = requests.get(f"{desk.url}/health", timeout=TIMEOUT)
    check_response(spec, "GET", "/health", health)
    served = requests.get(f"{desk.url}/openapi.yaml", timeout=TIMEOUT)
    assert served.status_code == 200 and yaml.safe_load(served.text) == spec

    unauthorized = requests.get(f"{desk.url}/api/v1/claims/{DEMO_CLAIM}", timeout=TIMEOUT)
    check_response(spec, "GET", "/api/v1/claims/{claim_number}", unauthorized)
    assert unauthorized.status_code == 401


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_writes_and_errors_answer_what_the_spec_declares(spec: dict[str, Any], supportdesk) -> None:
    desk = supportdesk

    def post(path: str, key: str | None = None, **kwargs: Any) -> requests.Response:
        headers = {**desk.headers, **({"Idempotency-Key": key} if key else {})}
        return requests.post(desk.url + path, headers=headers, timeout=TIMEOUT, **kwargs)

    claims, quote = "/api/v1/claims", "/api/v1/claims/quote"
    body = {
        **MAYA,
        "items": [{"line_id": "STS-4829-1307-L2", "quantity": 1}],
        "tracking_number": "1Z4E82A70362815596",
        "description": "One of the two phone cases was not in the package.",
        "channel": "web",
        "conversation_id": "openapi-test",
    }
    quote_body = {**MAYA, "items": body["items"]}
    quoted = post(quote, json=quote_body)
    assert quoted.status_code == 200
    priced = check_response(spec, "POST", quote, quoted)
    created = post(claims, "openapi-1", json=body)
    assert created.status_code == 201 and "Idempotent-Replayed" not in created.headers
    claim = check_response(spec, "POST", claims, created)
    assert priced["refund_amount"] == claim["refund_amount"]
    assert priced["items"] == claim["items"]
    replay = post(claims, "openapi-1", json=body)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    replayed = check_response(spec, "POST", claims, replay)
    # The upload link is signed anew on every answer (its expiry may move by a second).
    assert {**replayed, "evidence_upload_url": None} == {**claim, "evidence_upload_url": None}

    again = post(
        claims,
        "openapi-2",
        json={**body, "items": [{"line_id": "STS-4829-1307-L2", "quantity": 2}]},
    )
    assert again.status_code == 409
    assert (
        check_response(spec, "POST", claims, again)["claims"][0]["claim_number"]
        == claim["claim_number"]
    )
    for status, bad in [
        (422, {**body, "items": [{"line_id": "STS-4829-1307-L2", "quantity": "1"}]}),
        (422, {**body, "items": [{"line_id": "STS-4829-1307-L9", "quantity": 1}]}),
        (422, {**body, "description": "  "}),
        (404, {**body, "email": "jordan.reyes@example.net"}),
    ]:
        answer = post(claims, f"openapi-{uuid.uuid4().hex}", json=bad)
        assert answer.status_code == status, answer.text
        check_response(spec, "POST", claims, answer)
    for answer in (post(claims, json=body), post(claims, "openapi-3", data=b"{not json")):
        assert answer.status_code == 400
        check_response(spec, "POST", claims, answer)

    two = [{"line_id": "STS-4829-1307-L2", "quantity": 2}]
    for status, bad in [
        (409, {**quote_body, "items": two}),
        (422, {**quote_body, "items": [{"line_id": "STS-4829-1307-L2", "quantity": "1"}]}),
        (422, {**quote_body, "items": [{"line_id": "STS-4829-1307-L9", "quantity": 1}]}),
        (422, {**quote_body, "items": []}),
        (404, {**quote_body, "email": "jordan.reyes@example.net"}),
    ]:
        answer = post(quote, json=bad)
        assert answer.status_code == status, answer.text
        check_response(spec, "POST", quote, answer)
    not_json = post(quote, data=b"[1]")
    assert not_json.status_code == 400
    check_response(spec, "POST", quote, not_json)

    evidence = f"/api/v1/claims/{claim['claim_number']}/evidence"
    stored = post(evidence, files=[("files", ("a.png", png(), "image/png"))])
    assert stored.status_code == 201
    assert check_response(spec, "POST", "/api/v1/claims/{claim_number}/evidence", stored)
    not_image = post(evidence, files=[("files", ("a.png", b"not an image", "image/png"))])
    assert not_image.status_code == 422
    check_response(spec, "POST", "/api/v1/claims/{claim_number}/evidence", not_image)

    handoff = post(
        "/api/v1/handoffs",
        json={
            "conversation_id": "openapi-test",
            "channel": "web",
            "reason": "customer asked for a human",
            "transcript": [{"sender": "user", "text": "A person, please."}],
            "details": {"order_number": MAYA["order_number"]},
        },
    )
    assert handoff.status_code == 201
    assert check_response(spec, "POST", "/api/v1/handoffs", handoff)["existing"] is False
    again = post(
        "/api/v1/handoffs",
        json={
            "conversation_id": "openapi-test",
            "channel": "web",
            "reason": "claim in review",
            "details": {"claim_number": "CLM-000001"},
        },
    )
    assert again.status_code == 200
    assert check_response(spec, "POST", "/api/v1/handoffs", again)["existing"] is True
    assert post("/api/v1/handoffs", json={"channel": "web"}).status_code == 422

    lookup = "/api/v1/orders/lookup"
    guesser = {"conversation_id": "openapi-guesser"}  # 5 failures of one conversation: 429
    unknown = post(
        lookup, json={"order_number": "STS-0000-0001", "email": MAYA["email"], **guesser}
    )
    wrong_email = post(lookup, json={**MAYA, "email": "jordan.reyes@example.net", **guesser})
    assert unknown.status_code == wrong_email.status_code == 404
    assert check_response(spec, "POST", lookup, unknown) == wrong_email.json()
    for _ in range(3):
        again = post(lookup, json={"order_number": "STS-0000-0001", "email": "x", **guesser})
        assert again.status_code == 404
    limited = post(lookup, json={**MAYA, **guesser})
    assert limited.status_code == 429
    assert check_response(spec, "POST", lookup, limited)["retry_after"] == int(
        limited.headers["Retry-After"]
    )
    invalid = post(lookup, json={"order_number": 48291307, "email": MAYA["email"]})
    assert invalid.status_code == 422
    check_response(spec, "POST", lookup, invalid)


def test_examples_match_their_schemas(spec: dict[str, Any]) -> None:
    checked = 0

    def walk(node: Any, at: str) -> None:
        nonlocal checked
        if isinstance(node, dict):
            if "schema" in node and ("example" in node or "examples" in node):
                examples = [node["example"]] if "example" in node else []
                examples += [resolve(spec, e)["value"] for e in node.get("examples", {}).values()]
                for example in examples:
                    assert conforms(spec, example, node["schema"]) == [], at
                    checked += 1
            for key, value in node.items():
                walk(value, f"{at}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{at}/{i}")

    walk(spec, "#")
    assert checked >= 10


# --- what the server does that the document must say (issue 11, item 9) ---

SAMPLE_PATH_VALUES = {
    "claim_number": DEMO_CLAIM,
    "handoff_id": "1",
    "token": "not-a-token",
    "answer_id": "1",
}
OTHER_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def header_examples(spec: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every example of a header value: header parameters and response headers."""
    found: list[tuple[str, Any]] = []

    def examples_of(header: dict[str, Any], at: str) -> None:
        header = resolve(spec, header)
        for source in (header, resolve(spec, header.get("schema", {}))):
            if "example" in source:
                found.append((at, source["example"]))
            for name, example in source.get("examples", {}).items():
                found.append((f"{at}/{name}", resolve(spec, example).get("value")))

    def walk(node: Any, at: str) -> None:
        if isinstance(node, dict):
            if resolve(spec, node).get("in") == "header":
                examples_of(node, f"{at}/{resolve(spec, node)['name']}")
            for name, header in (node.get("headers") or {}).items():
                examples_of(header, f"{at}/headers/{name}")
            for key, value in node.items():
                if key != "headers":
                    walk(value, f"{at}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{at}/{i}")

    walk(spec, "#")
    return found


def test_header_examples_are_latin_1_text_a_client_can_send(spec: dict[str, Any]) -> None:
    """HTTP clients send header values as Latin-1 bytes (requests, http.client): an example
    with any other character cannot be sent as it is written."""
    examples = header_examples(spec)
    assert len(examples) >= 5
    for at, example in examples:
        text = str(example)
        assert text.encode("latin-1", errors="replace").decode("latin-1") == text, at
        assert text.isprintable(), at


def test_header_examples_finder_sees_the_chatwoot_signature(spec: dict[str, Any]) -> None:
    values = [str(example) for _, example in header_examples(spec)]
    assert any(value.startswith("sha256=") for value in values)
    assert "4f7d1c0e-2b8a-4c53-9d0e-3a6f5b2e1c77" in values  # Idempotency-Key


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PATH_VALUES[m.group(1)], path)


def test_every_path_answers_405_with_allow_for_methods_it_does_not_have(
    spec: dict[str, Any], shared_supportdesk
) -> None:
    desk = shared_supportdesk
    checked = 0
    for path, item in spec["paths"].items():
        documented = {m.upper() for m in item if m in HTTP_METHODS}
        for method in sorted(set(OTHER_METHODS) - documented):
            answer = requests.request(
                method, desk.url + concrete(path), headers=desk.headers, timeout=TIMEOUT
            )
            assert answer.status_code == 405, (method, path, answer.status_code, answer.text)
            allowed = {m.strip() for m in answer.headers["Allow"].split(",")}
            assert allowed == documented, (method, path, allowed)
            if method != "HEAD":  # a HEAD answer has no body
                schema = resolve(spec, spec["components"]["responses"]["MethodNotAllowed"])
                body = answer.json()
                assert conforms(spec, body, schema["content"]["application/json"]["schema"]) == []
                assert set(body["allowed"]) == documented and method in body["message"]
            checked += 1
    assert checked >= 100


def test_the_key_check_comes_before_405(shared_supportdesk) -> None:
    """Without the key, /api/ tells nothing about itself, not even its methods."""
    url = f"{shared_supportdesk.url}/api/v1/claims"
    assert requests.delete(url, timeout=TIMEOUT).status_code == 401
    answer = requests.delete(url, headers=shared_supportdesk.headers, timeout=TIMEOUT)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, POST"


def test_agent_login_answers_its_documented_422_and_400(spec: dict[str, Any], supportdesk) -> None:
    url = f"{supportdesk.url}/agent/login"
    for body in (b"[1, 2]", b"{not json", b"[" * 100_000, b'{"username": "\\ud800"}'):
        answer = requests.post(
            url,
            data=body,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 422, (body[:20], answer.text)
        check_response(spec, "POST", "/agent/login", answer)
    page = requests.post(
        url, data=b"[1]", headers={"Content-Type": "application/json"}, timeout=TIMEOUT
    )
    assert page.status_code == 422 and page.headers["Content-Type"].startswith("text/html")
    assert "text/html" in spec["paths"]["/agent/login"]["post"]["responses"]["422"]["content"]
    for method in ("get", "post"):
        cookie = requests.request(
            method,
            url,
            headers={"Cookie": "a<b=1", "Accept": "application/json"},
            timeout=TIMEOUT,
        )
        assert cookie.status_code == 400
        check_response(spec, method.upper(), "/agent/login", cookie)


def test_every_agent_page_documents_the_400_for_an_unreadable_cookie(
    spec: dict[str, Any], shared_supportdesk
) -> None:
    for path, item in spec["paths"].items():
        if not path.startswith("/agent") or path == "/agent/inbox.js":
            continue
        for method in (m for m in item if m in HTTP_METHODS):
            assert "400" in item[method]["responses"], (method, path)
            answer = requests.request(
                method,
                shared_supportdesk.url + concrete(path),
                headers={"Cookie": "a<b=1", "Accept": "application/json"},
                timeout=TIMEOUT,
            )
            assert answer.status_code == 400, (method, path, answer.text)
            check_response(spec, method.upper(), path, answer)
