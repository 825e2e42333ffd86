"""The domain: model, rules and services. Imports only the standard library and ``ports``."""
