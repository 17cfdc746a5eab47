"""How the schema describes the API's two ways in, so a reader (and schemathesis) knows that a
client token or a signed-in session will do."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from orderwatch.clients.scopes import SCOPES


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "orderwatch.clients.oauth.ApiClientAuthentication"
    name = "clientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "An agency's own system: client credentials (see docs/api.md).",
            "flows": {"clientCredentials": {"tokenUrl": "/api/v1/token/", "scopes": SCOPES}},
        }
