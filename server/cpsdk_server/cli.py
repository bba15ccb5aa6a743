"""``cpsdk-serve``: run the server, migrate its database, add accounts.

::

    cpsdk-serve users add gd-admin --role province-admin --region 44 --data ./cpsdk-data   # password prompted
    cpsdk-serve --data ./cpsdk-data                       # http://127.0.0.1:8000, SQLite in ./cpsdk-data
    cpsdk-serve --db postgresql+psycopg://user@host/db --data ./cpsdk-data
    cpsdk-serve --workers 4 --check-timeout 300 --data ./cpsdk-data   # 4 checking processes, 5 minutes a check
    cpsdk-serve upgrade --data ./cpsdk-data               # migrations only
    cpsdk-serve users list|passwd NAME|disable NAME|enable NAME --data ./cpsdk-data

Exit codes: 0 ok, 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from cpsdk_server.config import CHECK_SECONDS, Settings, load_settings

EXIT_OK, EXIT_USAGE = 0, 2
DEFAULT_DATA = "cpsdk-data"


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--data`` and ``--db``, before or after the command (a subcommand's own defaults do not hide the top's)."""
    parser.add_argument(
        "--data",
        default=os.environ.get("CPSDK_SERVE_DATA", DEFAULT_DATA) if top else argparse.SUPPRESS,
        help="folder of the stored files, the session key and the SQLite database (created on first start)",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("CPSDK_SERVE_DB", "") if top else argparse.SUPPRESS,
        help="database URL, e.g. postgresql+psycopg://user:password@host/dbname (default: SQLite in --data)",
    )


def _seconds(text: str) -> float:
    """A time limit in seconds: a number ≥ 0 (0: none)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not seconds >= 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds ≥ 0: {text!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="cpsdk-serve", description="清洁生产审核报送系统：县 → 市 → 省")
    _common(parser, top=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2, help="processes checking uploads (0: threads)")
    parser.add_argument(
        "--check-timeout",
        type=_seconds,
        default=os.environ.get("CPSDK_SERVE_CHECK_TIMEOUT", f"{CHECK_SECONDS:g}"),
        metavar="SECONDS",
        help="time limit of one check or roll-up; a checking process over it is killed and replaced, the upload "
        f"refused (default {CHECK_SECONDS:g}; 0: none)",
    )
    parser.add_argument("--secure-cookies", action="store_true", help="mark the session cookie Secure (HTTPS)")
    commands = parser.add_subparsers(dest="command")
    upgrade = commands.add_parser("upgrade", help="bring the database to the newest schema and exit")
    _common(upgrade)
    users = commands.add_parser("users", help="manage accounts")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    add = user_commands.add_parser("add", help="add an account")
    _common(add)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["province-admin", "city-reviewer", "county-clerk"])
    add.add_argument("--region", required=True, help="GB/T 2260 code: 44 (province), 4403 (city), 440303 (county)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    listing = user_commands.add_parser("list", help="list the accounts (of a region's subtree)")
    _common(listing)
    listing.add_argument("--region", default="", help="only this region's subtree")
    passwd = user_commands.add_parser("passwd", help="set an account's password (its sessions end)")
    _common(passwd)
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    for command, text in (("disable", "disable an account (its sessions end)"), ("enable", "enable an account")):
        change = user_commands.add_parser(command, help=text)
        _common(change)
        change.add_argument("name")
    return parser


def _settings(args: argparse.Namespace, **options: object) -> Settings:
    return load_settings(args.data, args.db, **options)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 password: ")
    if getpass.getpass("再次输入 again: ") != first:
        raise ValueError("两次输入的密码不一致 / the passwords differ")
    return first


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database."""
    from cpsdk_server.db import Database
    from cpsdk_server.migrate import upgrade

    database = Database(_settings(args).url())
    upgrade(database.engine)
    database.dispose()
    print("cpsdk-serve: database at the newest schema", file=sys.stderr)
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace) -> int:
    """Add an account (the first province administrator is made this way)."""
    from cpsdk_server.accounts import AccountError, add_user
    from cpsdk_server.db import Database
    from cpsdk_server.migrate import upgrade

    database = Database(_settings(args).url())
    upgrade(database.engine)
    try:
        password = _password(args.password_stdin)
        with database.session() as db:
            add_user(db, None, args.name, args.role, args.region, password)
    except (AccountError, ValueError) as exc:
        print(f"cpsdk-serve: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        database.dispose()
    print(f"cpsdk-serve: added {args.name} ({args.role}, {args.region})", file=sys.stderr)
    return EXIT_OK


def cmd_users_change(args: argparse.Namespace) -> int:
    """``users list|passwd|disable|enable``: every change logged in the audit log as made from the command line."""
    from cpsdk_server.accounts import AccountError, find_user, set_active, set_password, users_in
    from cpsdk_server.db import Database
    from cpsdk_server.migrate import upgrade

    database = Database(_settings(args).url())
    upgrade(database.engine)
    try:
        with database.session() as db:
            if args.users_command == "list":
                for user in users_in(db, args.region):
                    state = "active" if user.active else "disabled"
                    print(f"{user.name}\t{user.role}\t{user.region}\t{state}")
                return EXIT_OK
            user = find_user(db, args.name)
            if args.users_command == "passwd":
                set_password(db, None, user, _password(args.password_stdin))
                done = "password set; its sessions have ended"
            else:
                set_active(db, None, user, args.users_command == "enable")
                done = "enabled" if user.active else "disabled; its sessions have ended"
    except (AccountError, ValueError) as exc:
        print(f"cpsdk-serve: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        database.dispose()
    print(f"cpsdk-serve: {args.name}: {done}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the server (migrating the database first)."""
    import uvicorn

    from cpsdk_server.app import create_app

    settings = _settings(
        args, check_workers=args.workers, check_timeout=args.check_timeout, secure_cookies=args.secure_cookies
    )
    app = create_app(settings)
    print(f"cpsdk-serve: http://{args.host}:{args.port}/  (data: {settings.data_dir})", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "upgrade":
        return cmd_upgrade(args)
    if args.command == "users":
        return cmd_users_add(args) if args.users_command == "add" else cmd_users_change(args)
    return cmd_serve(args)


if __name__ == "__main__":
    raise SystemExit(main())
