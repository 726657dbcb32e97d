"""The library's log bridged to Python's logging: off by default, one DEBUG record per request,
the level filter, and never the token or the password."""

from __future__ import annotations

import logging

import sendsecure

from conftest import ACCOUNT, DEMO


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


def _logger():
    logger = logging.getLogger("sendsecure.test")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler = Collect()
    logger.handlers[:] = [handler]
    return logger, handler


def test_requests_are_logged_at_debug_without_secrets(endpoint):
    logger, handler = _logger()
    sendsecure.enable_logging(logger, logging.DEBUG)
    try:
        with sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint) as client:
            client.enterprise_settings()
            token = client.token if hasattr(client, "token") else None
    finally:
        sendsecure.disable_logging()
    messages = [m for _, m in handler.records]
    assert any("POST /api/user_token -> 200" in m for m in messages), messages
    assert any("GET /api/v2/enterprises/acme/settings" in m for m in messages), messages
    assert all(level == logging.DEBUG for level, _ in handler.records)
    assert not any(DEMO[1] in m for m in messages)
    if token:
        assert not any(token in m for m in messages)


def test_level_filter_and_off(endpoint):
    logger, handler = _logger()
    sendsecure.enable_logging(logger, logging.INFO)
    try:
        with sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint) as client:
            client.enterprise_settings()
    finally:
        sendsecure.disable_logging()
    assert handler.records == []  # requests are DEBUG
    logger, handler = _logger()
    with sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint) as client:
        client.enterprise_settings()
    assert handler.records == []  # off
