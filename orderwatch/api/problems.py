"""API errors as RFC 9457 problem details (`application/problem+json`), and the schema's
description of them.

Every error the API answers with has the same shape: `type` (`about:blank`: the status says it
all), `title` (the status's phrase), `status`, and a `detail` in words. A request with problems
in several fields also has `errors`, by field. No error says more than the status does about a
case the caller may not see: a case outside their teams is "Not found.", as it is on a page.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from orderwatch.access.policy import CaseChangedMeanwhile, CaseClosed

CONTENT_TYPE = "application/problem+json"
# Statuses any endpoint may answer with, documented on every operation of the schema.
DOCUMENTED = {
    "400": "The request has problems (see errors), or a POST came without an Idempotency-Key.",
    "401": "No credentials, or the token was not accepted (see WWW-Authenticate).",
    "403": "Not allowed to do this: no second factor, a scope the token lacks, or a role.",
    "404": "No such record among those the caller may see.",
    "406": "The response cannot be given in the type the Accept header asks for.",
    "409": "The case is closed, or the Idempotency-Key was used with a different request.",
    "412": "The case changed since the If-Match version was read: read it again.",
    "413": "The request is larger than the service accepts.",
    "415": "The request body is not in a type the endpoint reads.",
    "429": "Too many calls: wait for the seconds Retry-After gives.",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This case is closed. Reopen it to make changes."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The case has changed since you read it. Read it again, then send the change."


def _as_drf(exc):
    """The services' own exceptions, as the statuses the API gives them."""
    if isinstance(exc, CaseClosed):
        return Conflict(exc.message)
    if isinstance(exc, CaseChangedMeanwhile):
        return PreconditionFailed()
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    return exc


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
    response = exception_handler(_as_drf(exc), context)
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
            for code, description in DOCUMENTED.items():
                responses.setdefault(
                    code,
                    {"description": description, "content": {CONTENT_TYPE: {"schema": reference}}},
                )
    return result


@csrf_exempt  # it saves nothing, and answers a POST as it answers a GET
def api_not_found(request, *args, **kwargs):
    """An address under the API that names nothing (a malformed id too): 404 as problem details,
    like every other API error."""
    from django.http import JsonResponse

    body = problem_body(status.HTTP_404_NOT_FOUND, {"detail": "Not found."})
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)
