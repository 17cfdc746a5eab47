"""Serve OrderWatch for the benchmark: wsgiref's server with a fixed pool of threads (so each
keeps its database connection), answering each request with its query count in a header.

Run with `python -m benchmarks.national.serve PORT` (benchmarks/national/run.py does).
"""

import sys
from concurrent.futures import ThreadPoolExecutor
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django

QUERIES_HEADER = "X-Bench-Queries"
THREADS = 16


class PooledWSGIServer(WSGIServer):
    """Handle each connection on one of THREADS long-lived threads."""

    request_queue_size = 128
    pool = ThreadPoolExecutor(max_workers=THREADS)

    def process_request(self, request, client_address):
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def counting(application):
    """Wrap a WSGI application to send how many queries each request made."""
    from django.db import connection

    def wrapped(environ, start_response):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, (QUERIES_HEADER, str(count))], exc_info)

        with connection.execute_wrapper(counter):
            return application(environ, start)

    return wrapped


def main(port: int) -> None:
    django.setup()
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1",
        port,
        counting(get_wsgi_application()),
        server_class=PooledWSGIServer,
        handler_class=QuietHandler,
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
