"""Integration tier: the app and its repositories against a real Neo4j (started by tests/conftest.py)."""
