"""The read-only JSON API's reading functions, serialisers and OpenAPI document."""
