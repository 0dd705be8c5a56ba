"""``python -m cli``: the same command as the ``market`` console script."""

from cli.main import main

raise SystemExit(main())
