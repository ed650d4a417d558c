"""Exchange formats spoken by Réseau EI (pure Python: no Flask, no Cypher). The HSDS import plan asks
referral.policy, itself pure, who may change each record."""
