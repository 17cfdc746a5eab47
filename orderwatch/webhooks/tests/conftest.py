import pytest

from orderwatch.webhooks.tests.receiver import receiver_serve


@pytest.fixture
def receiving(settings):
    """Start a receiver on loopback answering the given status codes; stopped after the test.
    Loopback is allowed for the test, as ORDERWATCH_WEBHOOK_ALLOW_PRIVATE allows it."""
    settings.ORDERWATCH_WEBHOOK_ALLOW_PRIVATE = True
    servers = []

    def start(*answers: int):
        receiver, server = receiver_serve(list(answers) or [200])
        servers.append(server)
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
