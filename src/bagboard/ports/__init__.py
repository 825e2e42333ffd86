"""Ports: one ``typing.Protocol`` per I/O boundary, speaking domain types only."""

__all__: list[str] = []
