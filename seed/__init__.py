"""Reference data (seed/reference: taxonomy, territories, geodata) apart from the fictional demo network
(seed/demo), built from the report."""
