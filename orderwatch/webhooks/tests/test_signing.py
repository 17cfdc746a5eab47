"""A receiver can check a webhook's signature with nothing but the secret and the standard
library (ADR 0045). No database."""

import hashlib
import hmac

from orderwatch.webhooks.signing import SECRET_PREFIX, secret_generate, signature, signature_valid

BODY = b'{"id":"7","case_id":"c","kind":"breach_recorded"}'


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_body():
    expected = hmac.new(b"whsec_test", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signature(secret="whsec_test", timestamp=1700000000, body=BODY) == f"sha256={expected}"


def test_a_changed_body_timestamp_or_secret_does_not_verify():
    header = signature(secret="whsec_test", timestamp=1700000000, body=BODY)
    assert signature_valid(secret="whsec_test", timestamp=1700000000, body=BODY, header=header)
    assert not signature_valid(
        secret="whsec_test", timestamp=1700000000, body=BODY + b" ", header=header
    )
    assert not signature_valid(secret="whsec_test", timestamp=1700000001, body=BODY, header=header)
    assert not signature_valid(secret="whsec_other", timestamp=1700000000, body=BODY, header=header)


def test_each_secret_is_new_and_long():
    first, second = secret_generate(), secret_generate()
    assert first != second
    assert first.startswith(SECRET_PREFIX)
    assert len(first) >= len(SECRET_PREFIX) + 43  # 256 bits, base64
