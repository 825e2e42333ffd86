"""The example answer of ``/openapi.json``: the start of a document as the server writes it."""

from __future__ import annotations

from typing import Final

__all__ = ["OPENAPI"]

OPENAPI: Final = {
    "openapi": "3.1.0",
    "info": {"title": "bagboard /api/v1", "version": "0.1.0"},
    "paths": {
        "/api/v1/auth/ping": {
            "get": {
                "tags": ["auth"],
                "summary": "Ping",
                "operationId": "getAuthPing",
                "responses": {
                    "200": {
                        "description": "Success",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PingResponse"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "PingResponse": {
                "type": "object",
                "properties": {
                    "ok": {"type": "boolean"},
                    "version": {"type": "string"},
                    "browse_mode": {"type": "string"},
                },
                "required": ["browse_mode", "ok", "version"],
            }
        }
    },
}
