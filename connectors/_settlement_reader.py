"""Streaming reader for settlement flat files (V2 and legacy).

The file is decoded as UTF-8 (a BOM is dropped); bytes that are not UTF-8 are
read as Windows-1252, byte by byte, so a description saved in cp1252/latin-1
survives. Lines end in LF or CRLF. Memory stays constant: one record is held
at a time, and the caches that make repeated amounts and dates cheap are
bounded.

Every problem is raised as :class:`SettlementFileError`; see
:mod:`connectors.settlement_file`.
"""

from __future__ import annotations

import codecs
import collections
import functools
import io
import itertools
import os
from datetime import date, datetime
from decimal import Decimal
from operator import methodcaller
from typing import Any, BinaryIO, Final, Iterator, Union

from connectors._settlement_batch import RowsBatch, SettlementBatch, batches_of
from connectors._settlement_columns import LEGACY_AMOUNTS, V2_COLUMNS, Layout, detect_layout
from connectors._settlement_errors import SettlementFileError
from connectors._settlement_model import SettlementRow, SettlementSummary
from connectors._settlement_v2 import AMOUNT_CACHE, BLOCK_CHARS, Block, V2Values, v2_row
from connectors._settlement_v2_batch import ColumnBatch
from connectors._settlement_values import parse_amount, parse_date, parse_datetime, parse_quantity
from syncproof.model import Money, MoneyError

__all__ = ["SettlementFile", "open_settlement", "Source"]

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]

_DECODE_ERRORS = "syncproof-settlement-cp1252"
_CACHE_LIMIT = AMOUNT_CACHE  # bound of each value cache of the legacy reader
_MISSING: Final[Any] = object()  # cache-miss marker (None is a cached value)
_V2_WIDTH = 24
_rows_of = methodcaller("rows")
_LINE_LIMIT = 1 << 20  # characters; a longer line is not a settlement line


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: read as latin-1
        return chr(byte)


_AMOUNT_HINT = "amounts use digits and one decimal separator, e.g. 1141.18 or 1141,18"


_CP1252 = tuple(_cp1252_char(b) for b in range(256))


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_CP1252[b] for b in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(_DECODE_ERRORS, _cp1252_fallback)


def open_settlement(source: Source) -> "SettlementFile":
    """Open a settlement flat file and read its header and summary row.

    ``source`` is a path, the file's bytes, or a binary file object (left open
    for the caller to close). Rows are then read one at a time from
    :meth:`SettlementFile.rows`.

        with open_settlement("settlement.txt") as settlement:
            settlement.format, settlement.summary.settlement_id
            # -> ('v2', '12345678901')

    Raises :class:`SettlementFileError` for a file that cannot be opened or is
    not a settlement file.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return SettlementFile(io.BytesIO(bytes(source)), name="", owns=True)
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            stream = open(name, "rb")
        except OSError as exc:
            raise SettlementFileError(f"cannot be opened: {exc.strerror or exc}", source=str(name),
                                      hint="check the path and that the file is readable") from None
        return SettlementFile(stream, name=str(name), owns=True)
    if isinstance(source, io.TextIOBase):
        raise SettlementFileError("was opened in text mode", hint="open the file in binary mode: open(path, 'rb')")
    if not hasattr(source, "read"):
        raise SettlementFileError(f"a {type(source).__name__} is not a settlement file",
                                  hint="pass a path, bytes, or a file opened in binary mode")
    return SettlementFile(
        source, name=getattr(source, "name", "") if isinstance(getattr(source, "name", ""), str) else "", owns=False
    )


class SettlementFile:
    """An open settlement file: ``format``, ``summary``, and ``rows()`` read once.

        settlement = open_settlement(path)
        for row in settlement.rows():
            print(row.line_number, row.amount_description, row.amount)

    ``rows()`` always returns the same one-pass iterator; rows it has yielded
    are counted and summed so :func:`balance` can be called before, during or
    after iterating.
    """

    def __init__(self, stream: BinaryIO, *, name: str, owns: bool) -> None:
        self.name = name
        self._stream = stream
        self._owns = owns
        self._iter: Iterator[SettlementRow] | None = None
        self._batches: Iterator[SettlementBatch] | None = None
        self._complete = False
        self._row_count = 0
        self._rows_sum = Decimal(0)
        try:
            self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors=_DECODE_ERRORS, newline=None)
            self._readline = functools.partial(self._text.readline, _LINE_LIMIT)
            self._line = 0
            self._layout: Layout = self._read_header()
            self.summary: SettlementSummary = self._read_summary()
        except SettlementFileError:
            self.close()
            raise
        except (ValueError, TypeError, AttributeError, OSError) as exc:  # a stream that is not a binary file
            self.close()
            self.__del__()
            raise SettlementFileError(f"cannot be read: {exc}", source=name,
                                      hint="pass a path, bytes, or a file opened in binary mode") from None

    # public -------------------------------------------------------------
    @property
    def format(self) -> str:
        """``'v2'`` or ``'legacy'``."""
        return self._layout.format

    @property
    def columns(self) -> tuple[str, ...]:
        """The header's column names."""
        return self._layout.columns

    def rows(self) -> Iterator[SettlementRow]:
        """The file's amount rows, in file order, read as they are iterated (once)."""
        if self._iter is None:
            if self._batches is None and self._layout.format == "legacy":
                self._iter = self._legacy_rows()
            else:
                source = self._batches if self._batches is not None else self._v2_batches(moments=True)
                self._iter = itertools.chain.from_iterable(map(_rows_of, source))
        return self._iter

    def batches(self) -> Iterator[SettlementBatch]:
        """The file's rows a batch of consecutive rows at a time, read by column (once, like :meth:`rows`).

        Every field is checked as :meth:`rows` checks it; rows already read by :meth:`rows`
        are not read again.
        """
        if self._batches is None:
            if self._iter is not None:
                self._batches = batches_of(self._iter)
            elif self._layout.format == "v2":
                self._batches = self._v2_batches(moments=False)
            else:
                self._batches = batches_of(self._legacy_rows())
        return self._batches

    def totals(self) -> tuple[int, Decimal]:
        """Read any rows not yet read; return the row count and the rows' sum."""
        collections.deque(self.rows() if self._iter is not None else self.batches(), maxlen=0)  # drain at C speed
        if not self._complete:
            raise SettlementFileError("could not be read to the end", source=self.name,
                                      hint="fix the error reported for this file first")
        return self._row_count, self._rows_sum

    def close(self) -> None:
        """Close the file if it was opened from a path or bytes; a caller's stream stays open."""
        if self._owns:
            try:
                self._stream.close()
            except Exception:  # pragma: no cover - closing is best effort
                pass

    def __del__(self) -> None:
        # The text layer would close the caller's stream when collected: detach it instead.
        text = getattr(self, "_text", None)
        if text is not None and not getattr(self, "_owns", True):
            try:
                text.detach()
            except Exception:
                pass

    def __enter__(self) -> "SettlementFile":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SettlementFile {self.format} {self.summary.settlement_id} {self.summary.total}>"

    # errors -------------------------------------------------------------
    def _error(self, reason: str, line: int, column: str = "", value: str | None = None,
               hint: str = "") -> SettlementFileError:
        return SettlementFileError(reason, line=line, column=column, value=value, hint=hint, source=self.name)

    def _next(self) -> list[str] | None:
        """The next line's fields, or ``None`` at the end of the file."""
        try:
            line = self._readline()
        except (OSError, ValueError) as exc:
            raise self._error(f"could not be read ({exc})", self._line + 1) from None
        if not line:
            return None
        self._line += 1
        if len(line) >= _LINE_LIMIT and not line.endswith("\n"):
            raise self._too_long()
        return line.rstrip("\n").split("\t")

    def _too_long(self) -> SettlementFileError:
        return self._error(f"is longer than {_LINE_LIMIT:,} characters", self._line,
                           hint="the file looks binary or damaged: download the report again")

    # header and summary -----------------------------------------------------
    def _read_header(self) -> Layout:
        header = self._next()
        if header is None:
            raise self._error("the file is empty", 1, hint="download the settlement report again")
        try:
            return detect_layout(header)
        except ValueError as exc:
            index, reason = exc.args
            value = header[index].strip() if index < len(header) else ""
            raise self._error(reason, self._line, f"#{index + 1}", value,
                              hint="expected a GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 or "
                                   "GET_FLAT_FILE_PAYMENT_SETTLEMENT_DATA tab-separated file") from None

    def _read_summary(self) -> SettlementSummary:
        index = self._layout.index
        while True:
            fields = self._next()
            if fields is None:
                raise self._error("there is no summary row after the header", self._line + 1,
                                  hint="the first data row must carry settlement-id, the dates, "
                                       "total-amount and currency")
            if any(f.strip() for f in fields):
                break
        line = self._line
        fitted = self._fit(fields, line)
        if fitted is None:  # cannot happen: blank lines were skipped above
            raise self._error("there is no summary row after the header", line)
        fields = fitted

        def text(column: str) -> str:
            return fields[index[column]].strip()

        if not text("total-amount") or not text("currency"):
            missing = "total-amount" if not text("total-amount") else "currency"
            raise self._error("the first data row is not a summary row: it has no " + missing, line, missing, "",
                              hint="the first data row must carry settlement-id, the dates, "
                                   "total-amount and currency; was the file cut or sorted?")
        settlement_id = text("settlement-id")
        if not settlement_id.isascii() or not settlement_id.isdigit():
            raise self._error("is not a settlement id (digits)", line, "settlement-id", settlement_id)
        currency = text("currency").upper()
        if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
            raise self._error("is not an ISO 4217 currency code", line, "currency", currency)
        dates = {}
        for column in ("settlement-start-date", "settlement-end-date", "deposit-date"):
            try:
                dates[column] = parse_datetime(text(column))
            except ValueError as exc:
                raise self._error(str(exc), line, column, text(column)) from None
        raw_total = fields[index["total-amount"]]
        try:
            total = Money(parse_amount(raw_total), currency)
        except (ValueError, MoneyError) as exc:
            raise self._error(str(exc), line, "total-amount", raw_total) from None
        return SettlementSummary(settlement_id, dates["settlement-start-date"], dates["settlement-end-date"],
                                 dates["deposit-date"], total, currency, line)

    # row shape ----------------------------------------------------------
    def _fit(self, fields: list[str], line: int) -> list[str] | None:
        """Pad or trim a record to the header's width; ``None`` for a blank line."""
        width = len(self._layout.columns)
        target = _V2_WIDTH if self._layout.format == "v2" else width
        n = len(fields)
        if n == target:
            return fields
        if not any(f.strip() for f in fields):
            return None
        if n > target:
            if any(f.strip() for f in fields[target:]):
                raise self._error(f"has {n} columns; the header has {width}", line, f"#{target + 1}",
                                  fields[target], hint="a tab inside a value splits it: remove it")
            return fields[:target]
        if n >= width - 1:  # one trailing column missing, or a 23-column V2 header
            return fields + [""] * (target - n)
        raise self._error(f"has {n} columns; the header has {width}", line, "",
                          "\t".join(fields)[:60], hint="the line is cut short: download the report again")

    def _check_row_id(self, fields: list[str], line: int) -> None:
        index = self._layout.index
        value = fields[index["settlement-id"]]
        if value.strip() != self.summary.settlement_id:
            raise self._error(f"belongs to another settlement than the summary row's "
                              f"{self.summary.settlement_id} (line {self.summary.line_number})",
                              line, "settlement-id", value,
                              hint="a file holds one settlement: split concatenated reports into one file each")

    def _check_repeat(self, fields: list[str], line: int) -> None:
        index = self._layout.index
        total = fields[index["total-amount"]]
        if total.strip():
            raise self._error("a second summary row (only the first data row carries total-amount)",
                              line, "total-amount", total,
                              hint="a file holds one settlement: split concatenated reports into one file each")
        currency = fields[index["currency"]].strip().upper()
        if currency and currency != self.summary.currency:
            raise self._error(f"differs from the summary row's currency {self.summary.currency}",
                              line, "currency", fields[index["currency"]])

    # field caches (misses only; hits are dict lookups in the loops) --------------
    def _amount(self, cache: dict, raw: str, line: int, column: str) -> tuple[Money, Decimal]:
        try:
            value = parse_amount(raw)
            money = Money(value, self.summary.currency)
        except (ValueError, MoneyError) as exc:
            raise self._error(str(exc), line, column, raw, hint=_AMOUNT_HINT) from None
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        pair = cache[raw] = (money, value)
        return pair

    def _quantity(self, cache: dict, raw: str, line: int, column: str) -> int | None:
        try:
            value = parse_quantity(raw) if raw.strip() else None
        except ValueError as exc:
            raise self._error(str(exc), line, column, raw) from None
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[raw] = value
        return value

    # rows -----------------------------------------------------------------
    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) for each non-blank line after the summary, shaped to the layout."""
        readline, fit, limit = self._readline, self._fit, _LINE_LIMIT
        width = _V2_WIDTH if self._layout.format == "v2" else len(self._layout.columns)
        line_no = self._line
        try:
            for line in iter(readline, ""):
                line_no += 1
                if len(line) >= limit and not line.endswith("\n"):
                    self._line = line_no
                    raise self._too_long()
                f = line.rstrip("\n").split("\t")
                if len(f) != width:
                    fitted = fit(f, line_no)
                    if fitted is None:
                        continue
                    f = fitted
                yield line_no, f
        except (OSError, ValueError) as exc:  # the stream failed or was closed under us
            raise self._error(f"could not be read ({exc})", line_no + 1) from None

    def _blocks(self) -> Iterator[tuple[int, str]]:
        """(number of the first line, the lines joined by newlines) after the summary, a block at a time."""
        read, limit, size = self._text.read, _LINE_LIMIT, BLOCK_CHARS
        line = self._line + 1  # the number of the next line
        rest = ""
        while True:
            try:
                chunk = read(size)
            except (OSError, ValueError) as exc:  # the stream failed or was closed under us
                raise self._error(f"could not be read ({exc})", line) from None
            if not chunk:
                break
            text = rest + chunk
            cut = text.rfind("\n")
            if cut >= 0:
                first_end = text.find("\n")
                if first_end >= limit:
                    self._line = line
                    raise self._too_long()
                rest = text[cut + 1:]
                yield line, text[:cut]
                line += text.count("\n", 0, cut) + 1
                self._line = line - 1
            else:
                rest = text
            if len(rest) >= limit:
                self._line = line
                raise self._too_long()
        if rest:
            self._line = line
            yield line, rest

    def _v2_lines(self, first: int, text: str, values: V2Values) -> Iterator[SettlementRow]:
        """A block's rows line by line: blank lines skipped, widths fitted, the first bad field named."""
        settlement_id, fit, width, value = self.summary.settlement_id, self._fit, _V2_WIDTH, values.value
        for line_no, line in enumerate(text.split("\n"), first):
            f = line.split("\t")
            if len(f) != width:
                fitted = fit(f, line_no)
                if fitted is None:
                    continue
                f = fitted
            if f[0] != settlement_id:
                self._check_row_id(f, line_no)
            if f[4] or f[5]:
                self._check_repeat(f, line_no)
            parsed = []
            for column in (14, 16, 17, 22):
                try:
                    parsed.append(value(column, f[column]))
                except ValueError as exc:
                    raise self._error(str(exc), line_no, V2_COLUMNS[column], f[column],
                                      hint=_AMOUNT_HINT if column == 14 else "") from None
            yield v2_row(line_no, f, *parsed)

    def _v2_batches(self, *, moments: bool) -> Iterator[SettlementBatch]:
        """The rows a block at a time: checked blocks by column, any other block line by line."""
        values = V2Values(self.summary.currency)
        settlement_id, currency = self.summary.settlement_id, self.summary.currency
        total, count = Decimal(0), 0
        try:
            for first, text in self._blocks():
                block = Block.of(text, settlement_id)
                batch: SettlementBatch | None = None if block is None else \
                    ColumnBatch.of(block, first, values, currency, moments=moments)
                if batch is None:
                    rows: list[SettlementRow] = []
                    try:
                        rows.extend(self._v2_lines(first, text, values))
                    except SettlementFileError:
                        if rows:  # the rows before the bad line
                            yield RowsBatch(rows)
                        raise
                    if not rows:
                        continue
                    batch = RowsBatch(rows)
                yield batch
                total += batch.total()  # counted once read, so balance() after a partial read is exact
                count += batch.count
        finally:
            self._row_count, self._rows_sum = count, total
            self.close()
        self._complete = True

    def _legacy_rows(self) -> Iterator[SettlementRow]:
        index = self._layout.index
        settlement_id = self.summary.settlement_id
        amount_columns = [
            (index[column], None if type_column is None else index[type_column], amount_type, column)
            for column, (type_column, amount_type) in LEGACY_AMOUNTS.items()
            if column in index
        ]
        i_total, i_currency = index["total-amount"], index["currency"]
        i_type, i_posted, i_qty = index["transaction-type"], index["posted-date"], index["quantity-purchased"]
        i_promo = index.get("promotion-id")
        text_columns = [index[c] for c in ("order-id", "merchant-order-id", "adjustment-id", "shipment-id",
                                           "marketplace-name")]
        item_columns = [index[c] for c in ("order-item-code", "merchant-order-item-id",
                                           "merchant-adjustment-item-id", "sku")]
        i_fulfillment = index["fulfillment-id"]
        amounts: dict[str, tuple[Money, Decimal]] = {}
        quantities: dict[str, int | None] = {}
        posted_cache: dict[str, tuple[date | None, datetime | None]] = {}
        total, count = Decimal(0), 0
        try:
            for line, f in self._records():
                if f[0].strip() != settlement_id:
                    self._check_row_id(f, line)
                if f[i_total] or f[i_currency]:
                    self._check_repeat(f, line)
                posted = posted_cache.get(f[i_posted])
                if posted is None:
                    posted = self._legacy_posted(posted_cache, f[i_posted], line)
                quantity = quantities.get(f[i_qty], _MISSING)
                if quantity is _MISSING:
                    quantity = self._quantity(quantities, f[i_qty], line, "quantity-purchased")
                transaction_type = f[i_type]
                order_id, merchant_order_id, adjustment_id, shipment_id, marketplace = (f[i] for i in text_columns)
                item_code, merchant_item, merchant_adjustment_item, sku = (f[i] for i in item_columns)
                for i_amount, i_kind, amount_type, column in amount_columns:
                    raw = f[i_amount]
                    if not raw or raw.isspace():
                        continue
                    pair = amounts.get(raw)
                    if pair is None:
                        pair = self._amount(amounts, raw, line, column)
                    description = f[i_kind] if i_kind is not None else ""
                    if not description.strip():
                        description = transaction_type
                    total += pair[1]
                    count += 1
                    yield SettlementRow(
                        line, transaction_type, order_id, merchant_order_id, adjustment_id, shipment_id,
                        marketplace, amount_type, description, pair[0], f[i_fulfillment], posted[0], posted[1],
                        item_code, merchant_item, merchant_adjustment_item, sku, quantity,
                        f[i_promo] if i_promo is not None and column == "promotion-amount" else "", column)
            self._complete = True
        finally:
            self._row_count, self._rows_sum = count, total
            self.close()

    def _legacy_posted(self, cache: dict, raw: str, line: int) -> tuple[date | None, datetime | None]:
        s = raw.strip()
        try:
            if not s:
                value: tuple[date | None, datetime | None] = (None, None)
            elif len(s) == 10:
                value = (parse_date(s), None)
            else:
                moment = parse_datetime(s)
                value = (parse_date(s), moment)
        except ValueError as exc:
            raise self._error(str(exc), line, "posted-date", raw) from None
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[raw] = value
        return value
