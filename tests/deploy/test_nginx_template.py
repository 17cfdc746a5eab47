"""The nginx template shipped in deploy/: it renders to what the check runs, and its upload
limits and masked paths stay in step with the service's own URLs and settings."""

import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from deploy.production_check import nginx

VALUES = {
    "ORDERWATCH_SERVER_NAME": "orderwatch.example",
    "ORDERWATCH_BASE_URL": "https://orderwatch.example",
    "ORDERWATCH_HTTPS_PORT": "443",
    "ORDERWATCH_HTTP_PORT": "80",
    "ORDERWATCH_TLS_CERTIFICATE": "/etc/ssl/orderwatch/fullchain.pem",
    "ORDERWATCH_TLS_CERTIFICATE_KEY": "/etc/ssl/orderwatch/privkey.pem",
    "ORDERWATCH_ACCESS_LOG": "/var/log/nginx/orderwatch.access.log",
    "ORDERWATCH_APP_1": "10.0.1.11:8000",
    "ORDERWATCH_APP_2": "10.0.1.12:8000",
    "ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES": "4294967296",
}
TEMPLATE = nginx.TEMPLATE.read_text()
MEBIBYTE = 1024 * 1024


def rendered() -> str:
    return nginx.render(TEMPLATE, VALUES)


def locations() -> dict[str, str]:
    """Return each `location` block of the rendered site: its match, and its body."""
    return dict(re.findall(r"location ([^{]+?) \{(.*?)\n    \}", rendered(), flags=re.S))


def upload_limit(path: str) -> int:
    """Return client_max_body_size in bytes for `path`, as nginx would choose its location."""
    for match, body in locations().items():
        kind, _, pattern = match.partition(" ")
        if (kind == "=" and pattern == path) or (kind == "~" and re.search(pattern, path)):
            return _bytes(re.search(r"client_max_body_size (\S+);", body).group(1))
    return _bytes(re.search(r"\n    client_max_body_size (\S+);", rendered()).group(1))


def _bytes(size: str) -> int:
    return int(size[:-1]) * MEBIBYTE if size.endswith("m") else int(size)


def logged_path(path: str) -> str:
    """Return what the access log records for `path`, by the template's map."""
    body = re.search(r"map \$uri \$orderwatch_logged_path \{(.*?)\}", TEMPLATE, re.S).group(1)
    for pattern, replacement in re.findall(r"^\s+~(\S+)\s+(\S+);", body, re.M):
        if re.search(pattern, path):
            return replacement
    return path


def test_every_placeholder_is_filled_and_nginx_variables_are_left_alone():
    site = rendered()

    assert "${" not in site
    assert "server 10.0.1.11:8000 max_fails=1" in site
    assert "ssl_certificate /etc/ssl/orderwatch/fullchain.pem;" in site
    assert "proxy_set_header X-Request-ID $request_id;" in site
    assert set(re.findall(r"\$\{([A-Z0-9_]+)\}", TEMPLATE)) == nginx.PLACEHOLDERS


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({k: v for k, v in VALUES.items() if k != "ORDERWATCH_APP_2"}, "No value for"),
        (VALUES | {"ORDERWATCH_APP_3": "10.0.1.13:8000"}, "Not in the template"),
        (VALUES | {"ORDERWATCH_SERVER_NAME": "a.example; return 200"}, "must be one word"),
        (VALUES | {"ORDERWATCH_ACCESS_LOG": ""}, "must be one word"),
    ],
)
def test_a_missing_unknown_or_unsafe_value_is_refused(values, message):
    with pytest.raises(ValueError, match=message):
        nginx.render(TEMPLATE, values)


def test_proxy_headers_for_the_trusted_proxy_setting_and_none_django_sets():
    site = rendered()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    # Django sets the security headers, and compresses only pages without a secret.
    assert "add_header" not in site
    assert re.search(r"^\s+gzip off;", site, re.M)
    assert "proxy_next_upstream error timeout;" in site


def test_upload_limits_let_the_largest_allowed_upload_through_and_stream_it():
    case, item = uuid.uuid4(), uuid.uuid4()
    evidence = reverse("evidence:new", kwargs={"case_id": case})
    correction = reverse("evidence:correct", kwargs={"case_id": case, "item_id": item})
    copy = reverse("orders:copy-upload", kwargs={"case_id": case, "order_id": item})

    for path in (evidence, correction, reverse("diary:add")):
        assert upload_limit(path) == int(VALUES["ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES"])
    assert upload_limit(copy) >= (
        settings.ORDERWATCH_ORDER_COPY_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert upload_limit("/cases/") >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert upload_limit("/cases/") < upload_limit(copy)
    streamed = [body for body in locations().values() if "proxy_request_buffering off" in body]
    assert len(streamed) == 3


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("calendar_feed:feed", {"token": "s3cret-feed-token"}),
        ("accounts:account-setup-link", {"uidb64": "MQ", "token": "s3cret-tok"}),
        ("accounts:password-reset-link", {"uidb64": "MQ", "token": "s3cret-tok"}),
        ("diary:start", {"secret": "s3cret-invite"}),
        ("diary:confirm", {"invite_id": uuid.uuid4(), "token": "s3cret-tok"}),
    ],
)
def test_the_access_log_masks_every_path_that_carries_a_secret(name, kwargs):
    path = reverse(name, kwargs=kwargs)

    assert "s3cret" not in logged_path(path)
    assert "[secret]" in logged_path(path)


@pytest.mark.parametrize(
    "name",
    ["accounts:password-reset-sent", "accounts:password-reset-new", "diary:start-sent"],
)
def test_pages_beside_them_are_logged_as_they_are(name):
    path = reverse(name)

    assert logged_path(path) == path


def test_the_access_log_names_no_client_and_no_query_string():
    log_format = re.search(r"log_format orderwatch escape=json(.*?);\n", TEMPLATE, re.S).group(1)

    for personal in ("$remote_addr", "$http_x_forwarded_for", "$http_user_agent", "$args"):
        assert personal not in log_format
    for whole_request in ("$request_uri", '"$request"', "$query_string", "$http_referer"):
        assert whole_request not in log_format
    assert "$request_id" in log_format


def test_the_main_file_keeps_everything_in_the_checks_folder(tmp_path):
    main = nginx.main_configuration(folder=tmp_path, site=tmp_path / "orderwatch.conf")

    assert f"pid {tmp_path}/nginx.pid;" in main
    assert f"include {tmp_path}/orderwatch.conf;" in main
    assert "daemon off;" in main


def test_every_tls_server_names_tls_1_2_and_1_3_only():
    """nginx settles the version with an address's default server, before the name is known:
    one without ssl_protocols leaves it to Debian's nginx.conf (TLS 1.0 upwards)."""
    servers = re.findall(r"^server \{\n(.*?)^\}", rendered(), flags=re.S | re.M)
    tls_servers = [body for body in servers if re.search(r"listen \S+ ssl", body)]

    assert len(tls_servers) == 2
    for body in tls_servers:
        assert re.findall(r"ssl_protocols ([^;]+);", body) == ["TLSv1.2 TLSv1.3"]
