"""``python -m bagboard.cli``: the ``bagboard`` command."""

from __future__ import annotations

from bagboard.cli import main

raise SystemExit(main())
