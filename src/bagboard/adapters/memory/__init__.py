"""In-memory adapters for every port: fast tests and library use without a database."""

__all__: list[str] = []
