"""A large request body made on the fly and posted through Django's WSGI handler as a server
would, noting the most bytes on disk in the watched folders while it is read."""

import io
from http.cookies import SimpleCookie
from pathlib import Path

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

BOUNDARY = "----OrderWatchTestBoundary7MA4YWxkTrZu0gW"


def bytes_on_disk(*folders: Path) -> int:
    return sum(p.stat().st_size for f in folders for p in f.rglob("*") if p.is_file())


class StreamedBody(io.RawIOBase):
    """`fields` (multipart answers), then a file of `size` bytes in field `file_field`, never
    held whole; every read notes how many bytes are on disk in `watched`."""

    def __init__(self, size: int, *, fields: dict[str, str], file_field: str, watched):
        super().__init__()
        answers = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in fields.items()
        )
        self.head = (
            f'{answers}--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
            'filename="order.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
        ).encode()
        self.end = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + size + len(self.end)
        self.sent, self.most_on_disk, self.watched = 0, 0, watched
        self.block = bytes(range(256)) * 4096

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.most_on_disk = max(self.most_on_disk, bytes_on_disk(*self.watched))
        wanted, position = len(buffer), self.sent
        body_end = self.length - len(self.end)
        if position < len(self.head):
            data = self.head[position : position + wanted]
        elif position < body_end:
            data = self.block[: min(wanted, body_end - position)]
        else:
            data = self.end[position - body_end : position - body_end + wanted]
        buffer[: len(data)] = data
        self.sent += len(data)
        return len(data)


def post_through_wsgi(client, path: str, body: StreamedBody) -> tuple[int, bytes]:
    """Post `body` to `path` through Django's WSGI handler, with `client`'s cookies."""
    cookies = SimpleCookie({name: morsel.value for name, morsel in client.cookies.items()})
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "HTTP_COOKIE": cookies.output(header="", sep=";").strip(),
    }
    status = []
    # As the test client does: keep the test's database connection open after the request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda s, headers: status.append(s))
        content = b"".join(response)
        response.close()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return int(status[0].split()[0]), content
