"""Loading and normalising source texts, and anchoring highlights in them."""
