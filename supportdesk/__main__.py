"""Command line: `python -m supportdesk serve | init-db | demo-data | add-agent | help-center`."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from supportdesk import config, demo
from supportdesk.business_hours import hours_from_env
from supportdesk.catalogue_records import CatalogueError

if TYPE_CHECKING:
    from supportdesk.db import Database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m supportdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: SQLite)")
    serve.add_argument("--seed-demo", action="store_true", help="add the demo orders if missing")
    _catalogue_option(serve)

    init = commands.add_parser(
        "init-db",
        help="create the tables (and the demo orders) once, before several desks start",
    )
    init.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: SQLite)")
    init.add_argument("--seed-demo", action="store_true", help="add the demo orders if missing")
    _catalogue_option(init)

    data = commands.add_parser("demo-data", help="list the demo scenarios")
    data.add_argument("--json", action="store_true", help="print them as JSON")
    data.add_argument(
        "--catalogue",
        type=Path,
        default=demo.DEMO_CATALOGUE,
        metavar="FILE",
        help="list this catalogue's orders instead of the demo's",
    )

    agent = commands.add_parser(
        "add-agent",
        help="create an agent account for the inbox at /agent",
        description="Create an agent account. The password is read from standard input when "
        "it is not a terminal, else asked twice; it must be at least 10 characters long.",
    )
    agent.add_argument("username")
    agent.add_argument("--name", required=True, help='display name, e.g. "Sam Rivera"')
    agent.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: SQLite)")

    help_center = commands.add_parser(
        "help-center",
        help="check and index the help center's articles; with a question, search them",
    )
    help_center.add_argument("question", nargs="?", help="a shopper's question to search for")

    args = parser.parse_args(argv)
    try:
        if args.command == "help-center":
            return _help_center(args.question)
        if args.command == "demo-data":
            return _demo_data(args.json, args.catalogue)
        if args.command == "add-agent":
            return _add_agent(args)
        if args.command == "init-db":
            _init_db(args.database_url, _catalogues(args)).dispose()
            return 0
        return _serve(args)
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 2


def _catalogue_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--catalogue",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="add the orders of this catalogue file if missing (after the demo's with "
        "--seed-demo); may be given more than once",
    )


def _catalogues(args: argparse.Namespace) -> list[Path]:
    """The catalogue files to load: the demo's with --seed-demo, then each --catalogue."""
    return ([demo.DEMO_CATALOGUE] if args.seed_demo else []) + list(args.catalogue)


def _init_db(database_url: str | None, catalogues: list[Path]) -> Database:
    """The database with its tables, and the orders of `catalogues` (CatalogueError if bad)."""
    from supportdesk.catalogue import load_catalogue
    from supportdesk.db import Database

    db = Database(database_url or config.default_database_url())
    db.create_schema()
    for path in catalogues:
        try:
            report = load_catalogue(db, path)
        except CatalogueError:
            db.dispose()
            raise
        logging.getLogger("supportdesk").info(
            "catalogue %s: %d order(s), %d customer(s), %d store(s) and %d claim(s) added",
            path,
            report.orders,
            report.customers,
            report.stores,
            report.claims,
        )
    return db


def _read_password() -> str | None:
    """The new password: stdin's first line when piped, else typed twice at a prompt."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("The same password again: ") != first:
        print("The two passwords differ; nothing was changed.", file=sys.stderr)
        return None
    return first


def _add_agent(args: argparse.Namespace) -> int:
    from supportdesk import agents
    from supportdesk.db import Database
    from supportdesk.errors import DomainError

    password = _read_password()
    if password is None:
        return 1
    db = Database(args.database_url or config.default_database_url())
    try:
        db.create_schema()
        created = agents.add_agent(db, args.username, args.name, password)
    except DomainError as error:
        print(error.message, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"Agent {created['username']} ({created['display_name']}) can now sign in at /agent.")
    return 0


def _demo_data(as_json: bool, catalogue: Path) -> int:
    scenarios = demo.scenarios_json(catalogue)
    if as_json:
        print(json.dumps(scenarios, indent=2))
        return 0
    for s in scenarios:
        print(f"{s['scenario']:<26} {s['order_number']}  {s['email']:<26} {s['summary']}")
    return 0


def _help_center(question: str | None) -> int:
    """Index the articles as the server does at start-up, and report (or search) them."""
    from supportdesk.help_center import ArticleError, help_center_from_env

    help_center = help_center_from_env()
    started = time.perf_counter()
    try:
        index = help_center.index()
    except ArticleError as error:
        print(f"{help_center.folder}: {error.message}", file=sys.stderr)
        return 2
    took = (time.perf_counter() - started) * 1000
    print(f"{len(index.articles)} articles in {help_center.folder}, indexed in {took:.0f} ms")
    if question:
        result = index.search(question)
        best = result.best
        print(f"searched for: {result.searched}")
        for hit in result.hits:
            print(
                f"  similarity {hit.similarity:4.2f}  coverage {hit.coverage:4.2f}  "
                f"asked {hit.asked:4.2f}  BM25 {hit.score:6.2f}  {hit.article.slug}"
            )
        below = "none (no article close enough)"
        print(f"answer: {best.article.slug if best else below}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from supportdesk.api import UploadLinks, create_app
    from supportdesk.handoff_inbox import inbox_from_env
    from supportdesk.help_center import ArticleError, help_center_from_env
    from supportdesk.lookup_limits import limits_from_env
    from supportdesk.policy import policy_from_env
    from supportdesk.rasa_bridge import bridge_from_env
    from supportdesk.web_page import rasa_public_url

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.getLogger("supportdesk").addHandler(handler)
    logging.getLogger("supportdesk").setLevel(logging.INFO)
    key, secret = config.api_key(), config.upload_secret()
    for name, value in ((config.API_KEY_ENV, key), (config.UPLOAD_SECRET_ENV, secret)):
        if value is None:
            print(
                f"{name} is not set: export a long random value before starting the support "
                "desk (make run creates one in the data folder).",
                file=sys.stderr,
            )
            return 2
    try:
        rasa_url = rasa_public_url()
        hours_from_env()  # refuse to start with business hours that cannot be read
        limits_from_env()  # and with look-up limits that cannot be read
        bridge = bridge_from_env()
        handoff_inbox = inbox_from_env(bridge)  # HANDOFF_INBOX, CHATWOOT_* when chatwoot
        help_center = help_center_from_env()
        help_center.index()  # refuse to start with articles that cannot be read
    except ArticleError as error:
        print(f"{help_center.folder}: {error.message}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    db = _init_db(args.database_url, _catalogues(args))
    logging.getLogger("supportdesk").info("handoffs go to the %s inbox", handoff_inbox.name)
    uploads = UploadLinks(secret, config.public_url(args.port))
    app = create_app(
        db,
        key,
        policy_from_env(),
        config.data_dir() / "evidence",
        uploads,
        rasa_public_url=rasa_url,
        bridge=bridge,
        handoff_inbox=handoff_inbox,
        help_center=help_center,
    )
    app.config.MOTD = False
    app.run(host=args.host, port=args.port, access_log=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
