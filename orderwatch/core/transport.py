"""Whether personal data leaves this machine encrypted: the database and mail connections.

Pure: production settings call it before Django is set up.
"""

import ipaddress

ENCRYPTED_SSL_MODES = frozenset({"require", "verify-ca", "verify-full"})


def is_this_machine(host: str) -> bool:
    """Return whether `host` names this machine: loopback, or a Unix socket's folder."""
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def encrypted_or_local_database(database: dict) -> bool:
    """Return whether a database connection is on this machine or asks for TLS."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return True
    sslmode = database.get("OPTIONS", {}).get("sslmode", "")
    return is_this_machine(database.get("HOST", "")) or sslmode in ENCRYPTED_SSL_MODES


def encrypted_or_local_smtp(*, host: str, tls: bool, ssl: bool) -> bool:
    """Return whether an SMTP connection is on this machine or encrypted."""
    return tls or ssl or is_this_machine(host)
