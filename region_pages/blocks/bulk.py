"""Reading the blocks of many pages at once.

Wagtail turns a stream's stored blocks into values lazily, one query per chooser (image,
snippet, page) and block type for each stream. A list of whole pages would pay that for
every page; `load_together` does it once for all of them: a query per block type and
chooser, whatever the number of pages.
"""

from collections import defaultdict

from wagtail.blocks import StreamValue


def load_together(streams: list[StreamValue]) -> None:
    """Convert every block of `streams` not converted yet, block type by block type over
    all the streams together (Wagtail's own per-stream step, `_prefetch_blocks`, done for
    several streams)."""
    waiting = defaultdict(list)  # by the child block's identity (blocks are not hashable)
    children = {}
    for stream in streams:
        raw_data = stream._raw_data
        for index, raw in enumerate(raw_data):
            if stream._bound_blocks[index] is None:
                child = stream.stream_block.child_blocks.get(raw["type"])
                if child is not None:
                    children[id(child)] = child
                    waiting[id(child)].append((stream, index, raw))
    for key, items in waiting.items():
        child = children[key]
        values = child.bulk_to_python([raw["value"] for _stream, _index, raw in items])
        for (stream, index, raw), value in zip(items, values, strict=True):
            stream._bound_blocks[index] = StreamValue.StreamChild(child, value, id=raw.get("id"))
