"""A passkey authenticator in software, for tests of the server side: it answers the options
the service gives exactly as a browser and authenticator would (WebAuthn level 3, "none"
attestation, ES256), and can be made to answer from another origin or relying party."""

import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import bytes_to_base64url

from orderwatch.accounts.models import User

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_CREDENTIAL = 0x40


class SoftAuthenticator:
    def __init__(self, *, rp_id: str | None = None, origin: str | None = None) -> None:
        self.rp_id = rp_id or settings.OTP_WEBAUTHN_RP_ID
        self.origin = origin or settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.sign_count = 0

    @property
    def id(self) -> str:
        """The credential's id as the browser gives it (base64url)."""
        return bytes_to_base64url(self.credential_id)

    @property
    def public_key(self) -> bytes:
        """The public key in COSE form (EC2, P-256, ES256)."""
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options: dict, *, origin: str | None = None) -> dict:
        """Answer registration options (`navigator.credentials.create`)."""
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        auth_data = (
            self._authenticator_data(USER_PRESENT | USER_VERIFIED | ATTESTED_CREDENTIAL)
            + bytes(16)  # AAGUID: none given
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.public_key
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            **self._credential(),
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
        }

    def get(self, options: dict, *, origin: str | None = None) -> dict:
        """Answer authentication options (`navigator.credentials.get`), signing the challenge."""
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = self._authenticator_data(USER_PRESENT | USER_VERIFIED)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            **self._credential(),
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
            },
        }

    def passkey_for(self, user: User, *, name: str = "Test passkey") -> WebAuthnCredential:
        """Record this authenticator's credential as `user`'s passkey, as if they had added it."""
        return WebAuthnCredential.objects.create(
            user=user,
            name=name,
            credential_id=self.credential_id,
            public_key=self.public_key,
            sign_count=self.sign_count,
            aaguid="00000000-0000-0000-0000-000000000000",
        )

    def _credential(self) -> dict:
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "clientExtensionResults": {},
        }

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin or self.origin}
        ).encode()

    def _authenticator_data(self, flags: int) -> bytes:
        rp_id_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_id_hash + bytes([flags]) + struct.pack(">I", self.sign_count)
