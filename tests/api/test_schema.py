"""The OpenAPI schema at /api/v1/openapi.json documents every route the API serves."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ERROR_REF = "#/components/schemas/ErrorOut"
NOT_OPERATIONS = {"openapi-json", "openapi-view", "api-root", "not-found"}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _api_routes():
    """(OpenAPI-style path, example path) for every operation URL Django serves under
    the api-v1 namespace."""

    def walk(resolver, route=""):
        for entry in resolver.url_patterns:
            joined = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace == "api-v1":
                    yield from ((joined + str(p.pattern), p) for p in entry.url_patterns)
                else:
                    yield from walk(entry, joined)

    routes = []
    for route, pattern in walk(get_resolver()):
        assert isinstance(pattern, URLPattern)
        if pattern.name in NOT_OPERATIONS:
            continue
        openapi = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        example = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route)
        routes.append((openapi, example))
    return routes


def test_the_json_has_no_duplicate_keys(client, db):
    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)


def test_it_is_openapi_3_with_its_security_schemes(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] and schema["info"]["version"] == "1"
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["Session"]["in"] == "cookie"


def test_every_route_of_the_api_is_in_the_schema_with_every_method(schema, client):
    routes = _api_routes()
    assert ("/api/v1/me", "/api/v1/me") in routes  # the walk finds the API at all
    for openapi_path, example in routes:
        assert openapi_path in schema["paths"], f"{openapi_path} is not documented"
        # The API answers OPTIONS with 405 and the methods it serves in Allow.
        allowed = client.options(example)["Allow"]
        methods = {m.strip().lower() for m in allowed.split(",") if m.strip()}
        assert methods, example
        documented = set(schema["paths"][openapi_path]) & HTTP_METHODS
        assert methods == documented, (openapi_path, methods, documented)
    assert set(schema["paths"]) == {openapi_path for openapi_path, _ in routes}


def test_every_operation_documents_its_answers_and_errors(schema):
    operation_ids = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert operation["operationId"] not in operation_ids, where
            operation_ids.add(operation["operationId"])
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), where
            errors = {code: r for code, r in responses.items() if code[0] in "45"}
            assert errors, f"{where} documents no error answer"
            for code, answer in errors.items():
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref == ERROR_REF, (where, code)
            if operation.get("security"):
                assert "401" in responses, f"{where} needs auth but does not document 401"
            if "requestBody" in operation:
                assert {"400", "422"} <= set(responses), where


def test_every_reference_resolves(schema):
    components = schema["components"]["schemas"]
    refs = set()

    def collect(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema)
    assert ERROR_REF in refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        name = ref.rsplit("/", 1)[1]
        assert name in components, ref
        assert re.fullmatch(r"[A-Za-z0-9._-]+", name), f"{name} is not a valid component name"
    error = components["ErrorOut"]
    assert set(error["required"]) == {"detail", "code"}


def test_times_are_documented_as_date_times(schema):
    notification = schema["components"]["schemas"]["NotificationOut"]["properties"]
    assert notification["created_at"]["format"] == "date-time"


def test_schema_passes_a_strict_openapi_validator_when_installed(schema):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(schema)
