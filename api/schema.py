"""OpenAPI description of the token scheme (drf-spectacular cannot guess a custom authenticator)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HashedTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, _auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; create keys under Token API in the portal's account menu",
        }


ERROR = {
    "type": "object",
    "description": 'DRF\'s `{"detail": ...}`, or problem details (RFC 9457) for errors outside the views',
    "properties": {
        "detail": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "type": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}
VALIDATION = {"type": "object", "additionalProperties": True, "description": "field name → messages"}
COMMON = {
    "401": "No token, or an unknown, expired or revoked one.",
    "403": "The caller's role may not do this.",
    "404": "Nothing of that id in the caller's scope (another instansi's data answers 404 too).",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Over the rate limit; see Retry-After.",
}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Every operation documents the errors every view can give, not only its success.

    drf-spectacular lists only the 2xx its serializers describe; schemathesis (tests/api/test_live.py)
    rightly fails an operation that answers a status its schema does not mention.
    """
    del generator, request, public  # drf-spectacular passes every hook these by keyword
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("ValidationError", VALIDATION)
    error_ref = {"$ref": "#/components/schemas/Error"}
    content = {"application/json": {"schema": error_ref}, "application/problem+json": {"schema": error_ref}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in COMMON.items():
                responses.setdefault(code, {"description": description, "content": content})
            responses.setdefault("400", {
                "description": "A parameter or the body is not valid: messages per field.",
                "content": {"application/json": {"schema": {"anyOf": [
                    {"$ref": "#/components/schemas/ValidationError"}, error_ref]}}},
            })  # fmt: skip
            if method != "get":
                responses.setdefault("415", {"description": "The body is not JSON.", "content": content})
    return result
