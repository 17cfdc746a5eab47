"""Run the production check: `python -m deploy.production_check` (or `make production-check`)."""

from deploy.production_check.run import main

main()
