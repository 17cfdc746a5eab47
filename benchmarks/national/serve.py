"""Serve OrderWatch for the benchmark: wsgiref's server with a fixed pool of threads (so each
keeps its database connection), answering each request with its query count in a header.

Run with `python -m benchmarks.national.serve PORT [--processes N] [--threads N]`
(benchmarks/national/run.py does). With several processes the socket is bound once and each
forked process serves it, as gunicorn's workers share one listening socket; with one thread a
process answers one request at a time and accepts the next only then, as a sync worker does.
"""

import argparse
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django

QUERIES_HEADER = "X-Bench-Queries"
THREADS = 16


class SyncWSGIServer(WSGIServer):
    """Handle one connection at a time, with a listen queue long enough for every client."""

    request_queue_size = 128


class PooledWSGIServer(SyncWSGIServer):
    """Handle each connection on one of THREADS long-lived threads."""

    @cached_property
    def pool(self) -> ThreadPoolExecutor:
        # Made on first use, so each forked process starts its own threads.
        return ThreadPoolExecutor(max_workers=THREADS)

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


def main(port: int, processes: int = 1, threads: int = THREADS) -> None:
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    server = make_server(
        "127.0.0.1",
        port,
        counting(get_wsgi_application()),
        server_class=PooledWSGIServer if threads > 1 else SyncWSGIServer,
        handler_class=QuietHandler,
    )
    if processes == 1:
        print("ready", flush=True)
        server.serve_forever()
        return
    connections.close_all()  # each process opens its own
    children = []

    def stop(signum, frame):
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            server.serve_forever()
            os._exit(0)
        children.append(pid)
    print("ready", flush=True)
    for child in children:
        os.waitpid(child, 0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--threads", type=int, default=THREADS)
    arguments = parser.parse_args()
    main(arguments.port, arguments.processes, arguments.threads)
