"""Loading and normalising source texts, and anchoring highlights in them."""

from sources.document import BLOCK_KINDS, Block, Document, LoadedSource

__all__ = ["BLOCK_KINDS", "Block", "Document", "LoadedSource"]
