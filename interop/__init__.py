"""Exchange formats spoken by Réseau EI (pure Python: no Flask, no Cypher)."""
