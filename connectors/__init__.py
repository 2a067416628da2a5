"""Partner-side connector: reads exports, validates, tokenises identifiers, uploads."""
