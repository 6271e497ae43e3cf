"""The published record: pydantic models whose JSON Schema is the contract with auditors and researchers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from . import __version__, jsonio

# Bump with every change to the models (a test compares the published schema's fingerprint with this version).
SCHEMA_VERSION = "0.3.0"

# A published record writes each Decimal as the JSON number literal it holds (Report.to_json). pydantic cannot
# write a raw literal, so its own JSON modes give the exact digits as a string rather than round through float.
Number = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json"), WithJsonSchema({"type": "number"})]
Span = tuple[int, int]

QuantityKind = Literal[
    "amount",
    "percent",
    "percentage_point",
    "count",
    "score",
    "area",
    "length",
    "mass",
    "volume",
    "duration",
    "number",
]
Comparison = Literal["ge", "le", "gt", "lt"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellRef(_Model):
    table: int = Field(description="Index of the table block in the document.")
    row: int
    col: int


class Quantity(_Model):
    """A number found in the document, valued exactly, with the text and span it was read from."""

    id: str = Field(description="Stable id within the record: q1, q2, ... in document order.")
    kind: QuantityKind
    text: str = Field(description="Exact source substring: text == document_text[span[0]:span[1]].")
    span: Span = Field(description="Half-open character span [start, end) in the document text.")
    value: Optional[Number] = Field(description="Value in `unit`; null for a range (see low/high).")
    low: Optional[Number] = None
    high: Optional[Number] = None
    unit: Optional[str] = Field(
        description="Normalised unit: yuan, %, pp, 分, m2, mu, m, kg, m3, day, "
        "month, year, hour, minute, or the measure word of a count."
    )
    unit_text: Optional[str] = Field(description="The unit as written, multiplier included (万元).")
    unit_from: Optional[Literal["text", "header"]] = Field(
        description="Where the unit came from: written with the number, or a table header."
    )
    approx: bool = False
    comparison: Optional[Comparison] = None
    label: Optional[str] = Field(None, description="The words that name this quantity, e.g. 基本支出预算安排.")
    field: Optional[str] = Field(None, description="Canonical field when attributable, else null.")
    confidence: Optional[float] = Field(None, description="OCR only: the recogniser's lowest confidence over it.")
    repaired_from: Optional[str] = Field(
        None,
        description="OCR only: the text as recognised, before repairs "
        "from patterns/ocr.toml (万兀 -> 万元, O -> 0 ...).",
    )
    section: Optional[str] = Field(None, description="Id of the innermost section holding it.")
    block: Optional[int] = Field(None, description="Index of the document block holding it.")
    cell: Optional[CellRef] = Field(None, description="Table cell holding it, when in a table.")
    page: Optional[int] = None


T = TypeVar("T")

ReportKind = Literal["department_overall", "project", "policy", "final_accounts", "budget", "other"]
DepartmentSource = Literal["body", "title", "cover", "file_name"]


class Stated(_Model, Generic[T]):
    """A value read from the document, with the words that state it and their span."""

    value: T
    text: str
    span: Span


class StatedText(Stated[str]):
    pass


class StatedYear(Stated[int]):
    pass


class StatedNumber(Stated[Number]):
    pass


class StatedKind(Stated[ReportKind]):
    pass


class StatedDepartment(Stated[str]):
    source: DepartmentSource = Field(
        description="Where the name came from: body text, title, a cover field "
        "such as 部门(单位)名称, or the file name as a last resort."
    )


class ReportMeta(_Model):
    title: Optional[StatedText] = None
    kind: Optional[StatedKind] = None
    fiscal_year: Optional[StatedYear] = None
    department: Optional[StatedDepartment] = None
    department_key: Optional[str] = Field(
        None,
        description="The department name without spaces, full-width "
        "forms and 单位/本级/机关 suffixes: one key for one body across files.",
    )
    region: Optional[StatedText] = None


EvidenceKind = Literal["form_cell", "form_field", "clause", "nearest_label"]


class Evidence(_Model):
    """Why a value has its field: a cell of a standard form (its row and column), a form field (单位名称：X),
    a clause that names it, or only the nearest label before it (the weakest; checks of severity error
    never rest on it)."""

    kind: EvidenceKind
    form: Optional[str] = Field(None, description="The standard form (A-E of FORMS.md) for form cells.")
    row: Optional[str] = Field(None, description="The row label of a form cell, as written.")
    column: Optional[str] = Field(None, description="The column header of a form cell, as written.")
    clause: Optional[Span] = Field(None, description="The clause that names the value, for clause evidence.")


class Fact(_Model):
    """One attributed value: the long table researchers load."""

    field: str = Field(description="Canonical field name, e.g. budget.basic.planned.")
    value: Number
    unit: Optional[str]
    quantity: str = Field(description="Id of the quantity this fact rests on.")
    text: str
    span: Span
    evidence: Evidence


class IndicatorValue(_Model):
    """A target or actual value of an indicator: the text as written plus the quantity read from it, if any."""

    text: str
    quantity: Optional[str] = None


class Category(_Model):
    """A scored category row of the indicator system (一级指标 such as 产出指标, or a 二级 sub-category)."""

    id: str = Field(description="c1, c2, ... in document order.")
    name: str
    level: Literal[1, 2] = 1
    weight: Optional[Number] = None
    score: Optional[Number] = None
    deduction: Optional[Number] = None
    span: Span


class Indicator(_Model):
    """A leaf indicator (三级指标) with its target, actual, weight and score."""

    id: str
    category: Optional[str] = None
    subcategory: Optional[str] = None
    name: str
    number: Optional[str] = Field(None, description="The item number as written (1、 → '1'), for gap checks.")
    target: Optional[IndicatorValue] = None
    actual: Optional[IndicatorValue] = None
    weight: Optional[Number] = None
    score: Optional[Number] = None
    deduction: Optional[Number] = None
    deviation_reason: Optional[str] = None
    span: Span
    cell: Optional[CellRef] = None


class Evaluation(_Model):
    total_score: Optional[StatedNumber] = None
    grade: Optional[StatedText] = None
    categories: list[Category] = []
    indicators: list[Indicator] = []


class Item(_Model):
    """A listed problem or measure."""

    text: str
    span: Span


class Section(_Model):
    """A numbered or styled heading and the text it governs."""

    id: str
    style: str = Field(
        description="Numbering style (cn_comma 一、, cn_paren (一), num_comma 1、, num_dot 1., "
        "num_paren (1), circled ①) or style:<Word style> for unnumbered headings."
    )
    number: Optional[str] = Field(description="The number as written: 七, 3, ②.")
    value: Optional[int] = Field(description="The number's value, for gap checks.")
    title: str
    level: int
    parent: Optional[str]
    heading_span: Span
    span: Span = Field(description="From the heading to the next heading at the same level or above.")


class Check(_Model):
    """The outcome of one audit rule on one subject (a rate, a category, a list of headings ...)."""

    rule: str
    status: Literal["pass", "fail", "not_applicable"]
    severity: Literal["error", "warning", "info"]
    message: str = Field(description="Chinese first, then the same facts in English.")
    expected: Optional[Number] = None
    found: Optional[Number] = None
    tolerance: Optional[Number] = None
    quantities: list[str] = Field([], description="Ids of the quantities the finding rests on.")
    indicators: list[str] = Field([], description="Ids (or category names) of the indicators it rests on.")
    sections: list[str] = Field([], description="Ids of the sections it rests on.")


class ReadWarning(_Model):
    """Something the extractor saw but would not read, so that a gap is never silent: a table row whose
    fused cells admit no single reading (code unread_row)."""

    code: Literal["unread_row"]
    message: str
    span: Span

    @classmethod
    def unread_row(cls, span: Span, shown: str) -> "ReadWarning":
        """A table row that no single reading fits: its values are left unread."""
        return cls(
            code="unread_row",
            span=span,
            message=f"表格行“{shown}”无法唯一拆分，未读取 / the row could not be read in exactly one way: its values "
            "are left unread",
        )


class TableRow(_Model):
    label: str = Field(description="The row label as written (年度资金总额).")
    span: Span
    cells: dict[str, Span] = Field(description="Column role -> span of the cell read for it.")


class FormTable(_Model):
    """A table recovered from any rendering and read as a standard form."""

    form: Optional[Literal["A", "B", "C", "D", "E"]] = Field(description="The standard form of FORMS.md.")
    part: Literal["funds", "indicators"]
    rendering: int = Field(description="The rendering of FORMS.md it was recovered from (1-7).")
    span: Span = Field(description="From the table's header to its last row read.")
    columns: list[str] = Field(description="The column roles, in header order (funds blocks).")
    rows: list[TableRow]


class Source(_Model):
    path: str
    sha256: str
    format: str
    bytes: int


class Report(_Model):
    """One record per report."""

    schema_version: str = SCHEMA_VERSION
    extractor_version: str = Field(__version__, description="Version of the extractor that wrote the record.")
    source: Source
    text: str = Field(description="The document text that every span indexes into.")
    report: ReportMeta = ReportMeta()
    sections: list[Section] = []
    quantities: list[Quantity]
    facts: list[Fact] = []
    evaluation: Evaluation = Evaluation()
    problems: list[Item] = []
    measures: list[Item] = []
    checks: list[Check] = []
    tables: list[FormTable] = Field([], description="Tables read as standard forms, with their rows and cells.")
    warnings: list[ReadWarning] = []

    def to_json(self, pretty: bool = False) -> str:
        """The record as published: JSON whose numbers are the exact decimal literals (985600.00, 0.3)."""
        return jsonio.dumps(self.model_dump(), pretty)

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """A record back from its published JSON, every value the same Decimal it was written from."""
        return cls.model_validate(jsonio.loads(text))


def json_schema() -> dict:
    """The published JSON Schema of a record (serialisation mode: what `extractor extract` writes)."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://example.invalid/extractor/report-{SCHEMA_VERSION}.schema.json"
    return schema
