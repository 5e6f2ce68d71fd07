"""What a settlement file holds: its summary, its amount rows, and its balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from syncproof.model import Money

__all__ = ["SettlementSummary", "SettlementRow", "CurrencyBalance", "Balance"]


@dataclass(frozen=True, slots=True)
class SettlementSummary:
    """The summary row: which settlement, its period, deposit date and total.

        summary.total
        # -> Money('1141.18', 'EUR')
    """

    settlement_id: str
    start: datetime
    end: datetime
    deposit_date: datetime
    total: Money
    currency: str
    line_number: int = 2


class SettlementRow(NamedTuple):
    """One amount of a settlement, in the V2 row model (legacy rows are normalised to it).

    Immutable and without a per-instance dict (a named tuple, so a million rows
    build quickly); read it by attribute name::

        row.amount_type, row.amount_description, row.amount
        # -> ('ItemPrice', 'Principal', Money('19.99', 'USD'))

    ``posted_date`` is the calendar date Amazon posted the amount; ``posted_at``
    the moment (aware) where the file gives one. ``quantity`` is ``None`` when
    the file leaves it empty. ``source_column`` names the column the amount came
    from (``amount`` in V2, e.g. ``price-amount`` in the legacy file). Text
    fields are kept exactly as written, unknown values included.
    """

    line_number: int
    transaction_type: str
    order_id: str
    merchant_order_id: str
    adjustment_id: str
    shipment_id: str
    marketplace_name: str
    amount_type: str
    amount_description: str
    amount: Money
    fulfillment_id: str
    posted_date: date | None
    posted_at: datetime | None
    order_item_code: str
    merchant_order_item_id: str
    merchant_adjustment_item_id: str
    sku: str
    quantity: int | None
    promotion_id: str
    source_column: str = "amount"


@dataclass(frozen=True, slots=True)
class CurrencyBalance:
    """Rows summed against the summary's total-amount in one currency."""

    currency: str
    total: Money
    rows_sum: Money
    row_count: int

    @property
    def difference(self) -> Money:
        """Rows' sum minus the total; zero (to the cent) when balanced."""
        return self.rows_sum - self.total

    @property
    def balanced(self) -> bool:
        """True when the rows sum to the total to the currency's minor unit."""
        return self.rows_sum.rounded() == self.total.rounded()


@dataclass(frozen=True, slots=True)
class Balance:
    """A settlement's balance (AS-3): one :class:`CurrencyBalance` per currency.

        result = balance(settlement)
        result.balanced, str(result.difference)
        # -> (True, '0.00 USD')
    """

    settlement_id: str
    currencies: tuple[CurrencyBalance, ...]

    @property
    def balanced(self) -> bool:
        return all(c.balanced for c in self.currencies)

    @property
    def row_count(self) -> int:
        return sum(c.row_count for c in self.currencies)

    @property
    def difference(self) -> Money:
        """The difference in the settlement's currency (files carry exactly one)."""
        return self.currencies[0].difference

    @property
    def rows_sum(self) -> Money:
        return self.currencies[0].rows_sum

    @property
    def total(self) -> Money:
        return self.currencies[0].total
