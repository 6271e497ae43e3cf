"""The published record: pydantic models whose JSON Schema is the contract with auditors and researchers."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

SCHEMA_VERSION = "0.1.0"


def _decimal_to_json(value: Decimal) -> int | float:
    """Decimals go out as JSON numbers: integral values as integers, others by their shortest exact repr."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


Number = Annotated[Decimal, PlainSerializer(_decimal_to_json, return_type=float, when_used="json")]
Span = tuple[int, int]

QuantityKind = Literal[
    "amount", "percent", "percentage_point", "count", "score", "area", "length", "mass", "volume",
    "duration", "number",
]
Comparison = Literal["ge", "le", "gt", "lt"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quantity(_Model):
    """A number found in the document, valued exactly, with the text and span it was read from."""

    id: str = Field(description="Stable id within the record: q1, q2, ... in document order.")
    kind: QuantityKind
    text: str = Field(description="Exact source substring: text == document_text[span[0]:span[1]].")
    span: Span = Field(description="Half-open character span [start, end) in the document text.")
    value: Optional[Number] = Field(description="Value in `unit`; null for a range (see low/high).")
    low: Optional[Number] = None
    high: Optional[Number] = None
    unit: Optional[str] = Field(description="Normalised unit: yuan, %, pp, 分, m2, mu, m, kg, m3, day, "
                                "month, year, hour, minute, or the measure word of a count.")
    unit_text: Optional[str] = Field(description="The unit as written, multiplier included (万元).")
    unit_from: Optional[Literal["text", "header"]] = Field(
        description="Where the unit came from: written with the number, or a table header.")
    approx: bool = False
    comparison: Optional[Comparison] = None


class Source(_Model):
    path: str
    sha256: str
    format: str
    bytes: int


class Report(_Model):
    """One record per report."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    text: str = Field(description="The document text that every span indexes into.")
    quantities: list[Quantity]
