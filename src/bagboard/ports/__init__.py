"""Ports: one ``typing.Protocol`` per I/O boundary, speaking domain types only."""
