"""`make production-check`: the production stack on loopback, driven through nginx by a browser
(`python -m deploy.production_check`)."""
