"""How OrderWatch runs in production: nginx and gunicorn configuration, and the check that
runs the whole stack on loopback (`make production-check`)."""
