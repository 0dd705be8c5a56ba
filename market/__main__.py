"""``python -m market``: the same command as the ``market`` console script."""

from market.cli import main

raise SystemExit(main())
