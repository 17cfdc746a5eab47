"""API errors as RFC 9457 problem details (`application/problem+json`), and the schema's
description of them.

Every error the API answers with has the same shape: `type` (`about:blank`: the status says it
all), `title` (the status's phrase), `status`, and a `detail` in words. A request with problems
in several fields also has `errors`, by field. No error says more than the status does about a
case the caller may not see: a case outside their teams is "Not found.", as it is on a page.
"""

from http import HTTPStatus

from rest_framework.views import exception_handler

CONTENT_TYPE = "application/problem+json"
# Statuses every endpoint may answer with today; write statuses (409, 412, 413) and 429 come
# with writes and rate limits (issue 21).
DOCUMENTED = {
    "401": "Not signed in, or the credentials were not accepted.",
    "403": "Signed in without a second factor, or not allowed to do this.",
    "404": "No such record among those the caller may see.",
}


def problem_body(status: int, detail) -> dict:
    """Return the problem details for `status` from DRF's `detail` (words, or errors by field)."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        body["detail"] = str(detail["detail"])
    else:
        body["detail"] = "The request has problems: see errors."
        body["errors"] = detail
    return body


def problem_exception_handler(exc, context):
    """DRF's handler, with its answer reshaped as problem details. A 500 is left to Django."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = problem_body(response.status_code, response.data)
    response.content_type = CONTENT_TYPE
    return response


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "example": "about:blank"},
        "title": {"type": "string", "example": "Not Found"},
        "status": {"type": "integer", "example": 404},
        "detail": {"type": "string", "example": "Not found."},
        "errors": {"type": "object", "description": "Problems by field, for a 400."},
    },
}


def document_problems(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the problem statuses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in DOCUMENTED.items():
                responses.setdefault(
                    status,
                    {"description": description, "content": {CONTENT_TYPE: {"schema": reference}}},
                )
    return result
