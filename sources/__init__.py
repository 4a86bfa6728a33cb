"""Loading and normalising source texts, and anchoring highlights in them."""

from postil.sources.document import BLOCK_KINDS, Block, Document, LoadedSource

__all__ = ["BLOCK_KINDS", "Block", "Document", "LoadedSource"]
