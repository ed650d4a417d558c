"""Reference data (taxonomy, territories, geodata) and the fictional demo network built from the report."""
