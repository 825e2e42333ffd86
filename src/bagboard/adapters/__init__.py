"""Adapters: implementations of the ports, and the HTTP front end."""

__all__: list[str] = []
