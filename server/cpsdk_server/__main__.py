"""``python -m cpsdk_server``: the same as ``cpsdk-serve``."""

from cpsdk_server.cli import main

raise SystemExit(main())
