"""A stand-in for GOV.UK Notify's email API on loopback, as strict about requests as Notify.

It answers `POST /v2/notifications/email` as Notify does: a bearer JWT signed HS256 with the
key's secret, naming the service as `iss`, issued within the last 30 seconds (403 otherwise);
a JSON body with `email_address`, a known `template_id`, `personalisation` (strings, every
placeholder of the template) and optional `reference` and `email_reply_to_id` (400
otherwise, with Notify's error shape); 201 with Notify's response shape. It keeps every request
it took, and can be told to answer the next ones with an error, or to hold them unanswered.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
# Notify's key format: a name (which may hold hyphens), the service id, the secret.
API_KEY = f"orderwatch-team-{SERVICE_ID}-{SECRET}"
# A reply-to address set up in the service's Notify settings.
REPLY_TO_ID = "9d8b8a8e-3f3c-4b8a-9a57-2f1c3d1e5b6a"
TOKEN_BOUND_SECONDS = 30
ALLOWED_FIELDS = {
    "email_address",
    "template_id",
    "personalisation",
    "reference",
    "email_reply_to_id",
}


@dataclass
class TakenEmail:
    """An email notification the stub accepted: its body as sent and the token's claims."""

    body: dict
    claims: dict

    @property
    def template_id(self) -> str:
        return self.body["template_id"]

    @property
    def personalisation(self) -> dict:
        return self.body.get("personalisation", {})


@dataclass
class NotifyStub:
    """Notify's API, with the templates it knows (id: placeholders) and what it was sent."""

    templates: dict[str, set[str]]
    reply_to_ids: set[str] = field(default_factory=set)
    taken: list[TakenEmail] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    errors_to_give: list[int] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    holding: bool = False

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these HTTP statuses, whatever they hold."""
        self.errors_to_give.extend(statuses)

    def hold(self) -> None:
        """Leave requests unanswered (until `release`), as a stuck service would."""
        self.holding = True
        self.released.clear()

    def release(self) -> None:
        self.holding = False
        self.released.set()

    def answer(self, *, path: str, headers, raw: bytes) -> tuple[int, dict]:  # noqa: PLR0911
        """Return the status and JSON Notify would answer to this request."""
        if self.holding:
            self.released.wait(timeout=10)
        if path != "/v2/notifications/email":
            return 404, _errors(404, "ResourceNotFound", "Resource not found")
        if self.errors_to_give:
            status = self.errors_to_give.pop(0)
            return status, _errors(status, _ERROR_NAMES[status], _ERROR_MESSAGES[status])
        claims = self._claims(headers.get("Authorization", ""))
        if isinstance(claims, str):
            return 403, _errors(403, "AuthError", claims)
        if headers.get("Content-Type") != "application/json":
            return 400, _errors(400, "BadRequestError", "Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, _errors(400, "BadRequestError", "Invalid JSON supplied in POST data")
        problem = self._body_problem(body)
        if problem:
            return 400, _errors(400, "ValidationError", problem)
        self.taken.append(TakenEmail(body=body, claims=claims))
        return 201, _created(body)

    def _claims(self, authorization: str) -> dict | str:
        """Return the token's claims, or why Notify would refuse it."""
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return "Unauthorized: authentication token must be provided"
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token, key=SECRET, algorithms=["HS256"], options={"verify_iat": False}
            )
        except jwt.InvalidTokenError:
            return "Invalid token: signature, api token not found"
        if header.get("alg") != "HS256" or header.get("typ") != "JWT":
            return "Invalid token: algorithm used is not HS256"
        if claims.get("iss") != SERVICE_ID:
            return "Invalid token: service not found"
        if abs(time.time() - int(claims.get("iat", 0))) > TOKEN_BOUND_SECONDS:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return claims

    def _body_problem(self, body) -> str:  # noqa: PLR0911 (one answer per Notify refusal)
        """Return what Notify would say is wrong with the body, or nothing."""
        if not isinstance(body, dict):
            return "JSON body must be an object"
        extra = sorted(set(body) - ALLOWED_FIELDS)
        if extra:
            return f"Additional properties are not allowed ({', '.join(extra)} was unexpected)"
        if not isinstance(body.get("email_address"), str) or "@" not in body["email_address"]:
            return "email_address Not a valid email address"
        template_id = body.get("template_id")
        if not isinstance(template_id, str) or not _is_uuid(template_id):
            return "template_id is not a valid UUID"
        if template_id not in self.templates:
            return "Template not found"
        personalisation = body.get("personalisation", {})
        if not isinstance(personalisation, dict) or not all(
            isinstance(value, str) for value in personalisation.values()
        ):
            return "personalisation must be an object of strings"
        missing = sorted(self.templates[template_id] - set(personalisation))
        if missing:
            return f"Missing personalisation: {', '.join(missing)}"
        if "reference" in body and not isinstance(body["reference"], str):
            return "reference must be a string"
        if "email_reply_to_id" in body and body["email_reply_to_id"] not in self.reply_to_ids:
            return f"email_reply_to_id {body['email_reply_to_id']} does not exist in database"
        return ""


_ERROR_NAMES = {
    400: "BadRequestError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
}
# Notify's own texts; the 400 repeats the address, as a real refusal can.
_ERROR_MESSAGES = {
    400: "Can't send to this recipient using a team-only API key (canary@example.org)",
    403: "Invalid token: API key not found",
    429: "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    500: "Internal server error",
}


def _errors(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


def _created(body: dict) -> dict:
    notification_id = str(uuid.uuid4())
    base = "https://api.notifications.service.gov.uk"
    return {
        "id": notification_id,
        "reference": body.get("reference"),
        "content": {
            "subject": "(the template's subject)",
            "body": "(the template's body)",
            "from_email": "orderwatch@notifications.service.gov.uk",
            "one_click_unsubscribe_url": None,
        },
        "uri": f"{base}/v2/notifications/{notification_id}",
        "template": {
            "id": body["template_id"],
            "version": 1,
            "uri": f"{base}/services/{SERVICE_ID}/templates/{body['template_id']}",
        },
        "scheduled_for": None,
    }


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class _Handler(BaseHTTPRequestHandler):
    stub: NotifyStub

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, answer = self.stub.answer(path=self.path, headers=self.headers, raw=raw)
        if status != 201:
            self.stub.refused.append(status)
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up waiting (a timeout test)

    def log_message(self, format, *args):
        """Keep quiet: the test output is not the place for request lines."""


class NotifyStubServer:
    """Serve a `NotifyStub` on 127.0.0.1 (a free port) from a thread, for a `with` block."""

    def __init__(self, stub: NotifyStub):
        self.stub = stub
        handler = type("Handler", (_Handler,), {"stub": stub})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> "NotifyStubServer":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stub.release()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
