"""``python -m bagboard``: the ``bagboard`` command."""

from __future__ import annotations

from bagboard.cli import main

raise SystemExit(main())
