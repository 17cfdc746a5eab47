"""nginx's configuration for the check: the shipped template with its few names filled in, and
a main file that runs it unprivileged-style in the check's own folder. Pure: no Django."""

import re
from collections.abc import Mapping
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "nginx" / "orderwatch.conf.template"
# The names the template uses, and nothing else is substituted (nginx's own $variables stay).
PLACEHOLDERS = frozenset(
    {
        "ORDERWATCH_SERVER_NAME",
        "ORDERWATCH_BASE_URL",
        "ORDERWATCH_HTTPS_PORT",
        "ORDERWATCH_HTTP_PORT",
        "ORDERWATCH_TLS_CERTIFICATE",
        "ORDERWATCH_TLS_CERTIFICATE_KEY",
        "ORDERWATCH_ACCESS_LOG",
        "ORDERWATCH_APP_1",
        "ORDERWATCH_APP_2",
        "ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES",
    }
)
_PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")


def render(template: str, values: Mapping[str, str]) -> str:
    """Return `template` with each ${NAME} replaced by its value, as `envsubst` with the list
    of names would; refuse a missing or unknown name, or a value that could end a directive."""
    if unknown := set(values) - PLACEHOLDERS:
        raise ValueError(f"Not in the template: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        if not value or re.search(r"[\s;{}#$]", value):
            raise ValueError(f"{name} must be one word, with no ; {{ }} # or $")

    def value_of(match: re.Match) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise ValueError(f"The template names {name}, which is not a known placeholder")
        if name not in values:
            raise ValueError(f"No value for {name}")
        return values[name]

    return _PLACEHOLDER.sub(value_of, template)


def main_configuration(*, folder: Path, site: Path) -> str:
    """Return a main nginx.conf that keeps everything (pid, logs, temporary files) in `folder`
    and serves `site`, for nginx started by the check (`nginx -c`), in the foreground."""
    return f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log notice;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    access_log off;
    include {site};
}}
"""
