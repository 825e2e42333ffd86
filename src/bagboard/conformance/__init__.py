"""``bagboard conformance``: check any server that claims to speak ``/api/v1`` against the contract.

The kit judges answers with the server's own rules and types (``PageRequest``/``Page`` for the
envelope, the domain error codes, the msgspec wire structs, ``parse_range``), so bagboard and
its conformance kit cannot drift apart.
"""

from __future__ import annotations

from bagboard.conformance.runner import run

__all__ = ["run"]
