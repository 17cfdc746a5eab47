"""Capture log lines exactly as the service writes them: through the handler and formatter that
settings.LOGGING configured, every logger at DEBUG, SQL statements included."""

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import structlog
from django.db import connections


@dataclass
class EmittedLines:
    stream: io.StringIO = field(default_factory=io.StringIO)

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def parsed(self) -> list[dict]:
        """Every line as the JSON object it must be (fails on the first line that is not)."""
        return [json.loads(line) for line in self.lines]


def _configured_handlers() -> list[logging.StreamHandler]:
    return [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
        and isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    ]


@contextmanager
def emitted_log_lines(level: int = logging.DEBUG) -> Iterator[EmittedLines]:
    """Send what the configured handler writes into memory, with every logger at `level` and
    Django's SQL logging on, for the duration."""
    handlers = _configured_handlers()
    assert handlers, "settings.LOGGING's handler is not on the root logger"
    emitted = EmittedLines()
    streams = [handler.setStream(emitted.stream) for handler in handlers]
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = [(logger, logger.level) for logger in loggers]
    cursors = [(conn, conn.force_debug_cursor) for conn in connections.all()]
    for logger in loggers:
        if logger is root or logger.level:
            logger.setLevel(level)
    for conn, _ in cursors:
        conn.force_debug_cursor = True
    try:
        yield emitted
    finally:
        for conn, was in cursors:
            conn.force_debug_cursor = was
        for logger, was in levels:
            logger.setLevel(was)
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
