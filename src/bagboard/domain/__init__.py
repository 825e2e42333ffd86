"""The domain: model, rules and services. Imports only the standard library and ``ports``."""

__all__: list[str] = []
