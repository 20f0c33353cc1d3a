"""`python -m actions.server`: rasa-sdk's action server, bound to one host, behind a shared secret.

rasa-sdk's `rasa run actions` listens on 0.0.0.0 and runs any action for anyone who can reach
it, with the tracker it is sent: a forged call could make it look up orders or file claims.
This wraps rasa-sdk's own app (`rasa_sdk.endpoint.create_app`), not a fork of it, and adds:

- a request middleware that answers 401 unless the request carries
  `Authorization: Bearer <ACTION_SERVER_TOKEN>` (compared in constant time); only `/health`
  stays open, for the stack's and a load balancer's health checks. Rasa sends the header from
  endpoints.yml (`action_endpoint: headers:`);
- no CORS: only the Rasa server calls it, never a browser (rasa-sdk allows every origin);
- the host to listen on (`--host`, 127.0.0.1 by default; `make run` passes `STS_BIND_HOST`).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from collections.abc import Awaitable, Callable

from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_SERVER_PORT
from rasa_sdk.endpoint import create_app
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"  # noqa: S105  (the variable's name, not a secret)
MIN_TOKEN_CHARS = 16
OPEN_PATHS = frozenset({"/health"})


def token_check(token: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """A request middleware: None for the right bearer token or an open path, else a 401."""
    expected = f"Bearer {token}".encode()

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get("authorization", "").encode("utf-8", "replace")
        if hmac.compare_digest(given, expected):
            return None
        return json(
            {"error": "unauthorized", "message": "A valid bearer token is required."},
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="actions"'},
        )

    return require_token


def build_app(token: str, actions_package: str = "actions") -> Sanic:
    """rasa-sdk's app for `actions_package`, refusing every request without the token."""
    app = create_app(actions_package, cors_origins=None)
    app.register_middleware(token_check(token), "request")
    return app


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_SERVER_PORT)
    parser.add_argument("--actions", default="actions", help="the package of the actions")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if len(token) < MIN_TOKEN_CHARS:
        print(
            f"{TOKEN_VARIABLE} must be set to a secret of at least {MIN_TOKEN_CHARS} characters "
            "(make run generates one in the data folder); the Rasa server sends it.",
            file=sys.stderr,
        )
        return 2
    utils.configure_colored_logging(None)  # as `rasa run actions`: LOG_LEVEL, else INFO
    utils.update_sanic_log_level()
    app = build_app(token, args.actions)
    logger.info("Action server listening on http://%s:%d", args.host, args.port)
    app.run(host=args.host, port=args.port, access_log=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
