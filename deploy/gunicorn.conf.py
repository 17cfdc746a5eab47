"""gunicorn's settings for one OrderWatch app instance, behind nginx (deploy/nginx/).

Run it as `gunicorn -c deploy/gunicorn.conf.py` with the production settings' environment
(DJANGO_SETTINGS_MODULE=config.settings.production and the variables it requires). Start as
many instances as you need, each on its own address, and name each in nginx's upstream. The
choices are recorded in docs/adr/0035-the-production-stack-on-loopback.md.
"""

import os

wsgi_app = "config.wsgi:application"
proc_name = "orderwatch"

# Only nginx connects: keep the app off the public network (loopback, or a private address).
bind = [os.environ.get("ORDERWATCH_GUNICORN_BIND", "127.0.0.1:8000")]

# Threaded workers: a request runs in a thread while the worker's main thread keeps its
# heartbeat, so `timeout` never kills a long evidence upload or download still streaming
# (sync workers would kill any request slower than `timeout`). Uploads stream through nginx
# unbuffered (ADR 0018), so a thread is busy for as long as the person's upload takes.
worker_class = "gthread"
workers = int(os.environ.get("ORDERWATCH_GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("ORDERWATCH_GUNICORN_THREADS", "4"))
# A worker silent this long (stuck, not busy) is killed and replaced.
timeout = 30
# On SIGTERM or a reload, requests in flight (an upload, say) get this long to finish.
graceful_timeout = int(os.environ.get("ORDERWATCH_GUNICORN_GRACEFUL_TIMEOUT", "60"))
# nginx opens a new connection to the app for each request (deploy/nginx/), so this only
# bounds an idle connection from anything else.
keepalive = 5
# Each worker is replaced after about this many requests (the jitter spreads the restarts),
# so slow leaks never build up; 0 switches it off.
max_requests = int(os.environ.get("ORDERWATCH_GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# The heartbeat file is touched constantly: keep it in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (a tmpfs, as gunicorn's documentation advises)
# Each worker imports the app itself: `kill -HUP` then loads new code and new settings.
preload_app = False

# X-Forwarded-Proto (and the client address) are believed only from the proxies: the same
# list the app uses for X-Forwarded-For (ORDERWATCH_TRUSTED_PROXIES, ADR 0026).
forwarded_allow_ips = os.environ.get("ORDERWATCH_TRUSTED_PROXIES") or "127.0.0.1,::1"

# No access log here: nginx logs each request once, without the query string or the client
# (deploy/nginx/orderwatch.conf.template); the app's own log lines go to standard error.
accesslog = None
errorlog = "-"
loglevel = "info"
# gunicorn's own lines (workers starting, stopping, timing out) as JSON like the app's (ADR
# 0033). A logging configuration switches gunicorn's access logger on, so it is given no
# handler and a level no access line reaches: the access log stays off.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "orderwatch.core.logs.formatter", "output": "json"}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}

# No runtime control socket (gunicorn 25+ opens one in the home folder by default, shared by
# every instance there): signals (HUP, TERM, TTIN/TTOU) are enough, with less to secure.
control_socket_disable = True
