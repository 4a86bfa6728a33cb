"""BlockTable: an open source's blocks kept as columns must read exactly like the list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postil.sources import boundaries
from postil.sources.blocks import BLOCK_KINDS, Block, BlockTable
from postil.tui.widgets.reader_layout import Layout


@st.composite
def block_lists(draw) -> list[Block]:
    """Blocks in document order, some with meta, as a loader makes them."""
    blocks, pos = [], 0
    for _ in range(draw(st.integers(0, 30))):
        pos += draw(st.integers(0, 3))
        length = draw(st.integers(1, 40))
        meta = draw(st.sampled_from([{}, {}, {"ordinal": "1."}, {"table": "t1", "header": True}]))
        blocks.append(Block(draw(st.sampled_from(BLOCK_KINDS)), pos, pos + length, draw(st.integers(0, 6)), meta))
        pos += length
    return blocks


@given(block_lists(), st.data())
def test_a_table_reads_like_its_list(blocks, data):
    table = BlockTable.from_blocks(blocks)
    assert len(table) == len(blocks)
    assert table == blocks and blocks == table
    assert list(table) == blocks
    assert [b.meta for b in table] == [b.meta for b in blocks]
    if blocks:
        i = data.draw(st.integers(-len(blocks), len(blocks) - 1))
        assert table[i] == blocks[i] and table[i].meta == blocks[i].meta
        assert table[i:] == blocks[i:]
        offset = data.draw(st.integers(0, blocks[-1].end + 5))
        assert boundaries.block_index(table, offset) == boundaries.block_index(blocks, offset)
    with pytest.raises(IndexError):
        table[len(blocks)]


@given(block_lists(), st.integers(10, 80))
def test_the_reader_lays_out_a_table_as_it_does_the_list(blocks, width):
    text = "".join(" " * (b.start - (blocks[i - 1].end if i else 0)) + "x" * (b.end - b.start)
                   for i, b in enumerate(blocks))
    from_list, from_table = Layout(text, blocks, width), Layout(text, BlockTable.from_blocks(blocks), width)
    assert list(from_list.units.starts) == list(from_table.units.starts)
    assert list(from_list.units.ends) == list(from_table.units.ends)
    assert list(from_list.units.kinds) == list(from_table.units.kinds)
    assert from_list.total_height == from_table.total_height
    assert [from_list.point_of(o) for o in range(len(text) + 1)] == [from_table.point_of(o) for o in range(len(text) + 1)]
