"""A webhook receiver on loopback (ports 18300-18399) for tests: it records each request and
answers with the status codes it is given, in turn (the last one from then on)."""

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(18300, 18400)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: list[int]
    received: list[Received] = field(default_factory=list)
    location: str = ""


def receiver_serve(answers: list[int]):
    """Start a receiver; return it and its server (call `shutdown()` and `server_close()`)."""
    receiver = Receiver(url="", answers=list(answers))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(headers=dict(self.headers.items()), body=body))
            code = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
            self.send_response(code)
            if 300 <= code < 400:
                self.send_header("Location", receiver.location or receiver.url)
            answer = b"receiver says: do not store me"
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    for port in PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    else:
        raise RuntimeError("No free port in 18300-18399")
    receiver.url = f"http://127.0.0.1:{port}/orderwatch"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return receiver, server


def port_unused() -> int:
    """Return a port in the range that nothing listens on (just now)."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 18300-18399")
