"""``python -m cpsdk`` runs the command line."""

from cpsdk.cli import main

raise SystemExit(main())
