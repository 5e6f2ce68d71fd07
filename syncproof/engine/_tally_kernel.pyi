# The compiled per-row loop of the settlement tally (_tally_kernel.c); see SettlementTally._add_compiled.
from typing import Any, Callable, MutableSequence

def rows(ids: list[str], cells: list[int], units: list[int], sums: list[MutableSequence[int] | None],
         number: dict[str, int], is_order_id: Callable[[str], bool], numbers_orders: list[bool], slow: list[int],
         new_rows: list[int], start: int, last: Any, n: int, base: int, capacity: int) -> tuple[int, int, Any, int]: ...
