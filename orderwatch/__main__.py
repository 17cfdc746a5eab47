"""`python -m orderwatch <command>`: the project's management commands, e.g. `audit-verify`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    command, *rest = sys.argv[1:] or ["help"]
    execute_from_command_line([sys.argv[0], command.replace("-", "_"), *rest])


if __name__ == "__main__":
    main()
