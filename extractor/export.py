"""Flat tables from records, for researchers: CSV, Parquet and a DuckDB store with keys linking the tables.

Every table carries doc_id (the document's sha256). Values are DECIMAL, never floats, so sums stay exact.
Each output file is written beside its final name and moved into place, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

VALUE = "DECIMAL(38,8)"
TABLES: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "VARCHAR",
        "path": "VARCHAR",
        "format": "VARCHAR",
        "bytes": "BIGINT",
        "title": "VARCHAR",
        "kind": "VARCHAR",
        "fiscal_year": "INTEGER",
        "department": "VARCHAR",
        "department_key": "VARCHAR",
        "department_source": "VARCHAR",
        "region": "VARCHAR",
        "total_score": VALUE,
        "grade": "VARCHAR",
        "quantities": "INTEGER",
        "facts": "INTEGER",
        "indicators": "INTEGER",
        "failed_checks": "INTEGER",
    },
    "paths": {"doc_id": "VARCHAR", "path": "VARCHAR"},
    "quantities": {
        "doc_id": "VARCHAR",
        "id": "VARCHAR",
        "kind": "VARCHAR",
        "value": VALUE,
        "low": VALUE,
        "high": VALUE,
        "unit": "VARCHAR",
        "unit_text": "VARCHAR",
        "unit_from": "VARCHAR",
        "approx": "BOOLEAN",
        "comparison": "VARCHAR",
        "text": "VARCHAR",
        "span_start": "INTEGER",
        "span_end": "INTEGER",
        "label": "VARCHAR",
        "field": "VARCHAR",
        "section": "VARCHAR",
        "block": "INTEGER",
        "page": "INTEGER",
    },
    "facts": {
        "doc_id": "VARCHAR",
        "path": "VARCHAR",
        "sha256": "VARCHAR",
        "department": "VARCHAR",
        "department_key": "VARCHAR",
        "fiscal_year": "INTEGER",
        "kind": "VARCHAR",
        "field": "VARCHAR",
        "value": VALUE,
        "unit": "VARCHAR",
        "text": "VARCHAR",
        "span_start": "INTEGER",
        "span_end": "INTEGER",
        "quantity": "VARCHAR",
    },
    "indicators": {
        "doc_id": "VARCHAR",
        "id": "VARCHAR",
        "level": "VARCHAR",
        "category": "VARCHAR",
        "subcategory": "VARCHAR",
        "name": "VARCHAR",
        "number": "VARCHAR",
        "target": "VARCHAR",
        "actual": "VARCHAR",
        "weight": VALUE,
        "score": VALUE,
        "deduction": VALUE,
        "deviation_reason": "VARCHAR",
    },
    "checks": {
        "doc_id": "VARCHAR",
        "rule": "VARCHAR",
        "status": "VARCHAR",
        "severity": "VARCHAR",
        "message": "VARCHAR",
        "expected": VALUE,
        "found": VALUE,
        "tolerance": VALUE,
    },
}


def _value(stated: dict | None, key: str = "value"):
    return stated.get(key) if stated else None


def rows_of(record: dict, paths: list[str]) -> dict[str, list[dict]]:
    """One record as rows of every table."""
    doc_id = record["source"]["sha256"]
    meta, ev = record["report"], record["evaluation"]
    common = {
        "department": _value(meta["department"]),
        "department_key": meta["department_key"],
        "fiscal_year": _value(meta["fiscal_year"]),
        "kind": _value(meta["kind"]),
    }
    document = {
        "doc_id": doc_id,
        "path": paths[0],
        "format": record["source"]["format"],
        "bytes": record["source"]["bytes"],
        "title": _value(meta["title"]),
        "department_source": _value(meta["department"], "source"),
        "region": _value(meta["region"]),
        "total_score": _value(ev["total_score"]),
        "grade": _value(ev["grade"]),
        "quantities": len(record["quantities"]),
        "facts": len(record["facts"]),
        "indicators": len(ev["indicators"]),
        "failed_checks": sum(c["status"] == "fail" for c in record["checks"]),
        **common,
    }
    quantities = [
        {
            "doc_id": doc_id,
            **{k: q.get(k) for k in TABLES["quantities"] if k in q},
            "span_start": q["span"][0],
            "span_end": q["span"][1],
        }
        for q in record["quantities"]
    ]
    facts = [
        {
            "doc_id": doc_id,
            "path": paths[0],
            "sha256": doc_id,
            **common,
            "field": f["field"],
            "value": f["value"],
            "unit": f["unit"],
            "text": f["text"],
            "span_start": f["span"][0],
            "span_end": f["span"][1],
            "quantity": f["quantity"],
        }
        for f in record["facts"]
    ]
    indicators = [
        {
            "doc_id": doc_id,
            "id": c["id"],
            "level": "category",
            "name": c["name"],
            "weight": c["weight"],
            "score": c["score"],
            "deduction": c["deduction"],
        }
        for c in ev["categories"]
    ]
    indicators += [
        {
            "doc_id": doc_id,
            **{k: i.get(k) for k in TABLES["indicators"] if k in i},
            "level": "indicator",
            "target": (i["target"] or {}).get("text"),
            "actual": (i["actual"] or {}).get("text"),
        }
        for i in ev["indicators"]
    ]
    checks = [{"doc_id": doc_id, **{k: c.get(k) for k in TABLES["checks"] if k in c}} for c in record["checks"]]
    return {
        "documents": [document],
        "paths": [{"doc_id": doc_id, "path": p} for p in paths],
        "quantities": quantities,
        "facts": facts,
        "indicators": indicators,
        "checks": checks,
    }


def _write_csv(path: Path, table: str, rows: list[dict]) -> None:
    columns = list(TABLES[table])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_tables(out: Path, records: list[dict], paths_by_hash: dict[str, list[str]]) -> None:
    """facts.csv, facts.parquet and reports.duckdb from `records`, each replaced atomically."""
    import duckdb

    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for record in records:
        sha = record["source"]["sha256"]
        paths = paths_by_hash.get(sha) or record.get("paths") or [record["source"]["path"]]
        for name, rows in rows_of(record, paths).items():
            tables[name] += rows
    with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as build:
        tmp = Path(build)
        for name, rows in tables.items():
            _write_csv(tmp / f"{name}.csv", name, rows)
        database = tmp / "reports.duckdb"
        with duckdb.connect(str(database)) as con:
            for name, columns in TABLES.items():
                spec = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
                con.execute(
                    f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true, columns = {{{spec}}}, "
                    f"quote = '\"', escape = '\"', nullstr = '')",
                    [str(tmp / f"{name}.csv")],
                )
            parquet = str(tmp / "facts.parquet").replace("'", "''")  # COPY takes no parameters: quote it
            con.execute(f"COPY facts TO '{parquet}' (FORMAT PARQUET)")
        for name in ("facts.csv", "facts.parquet", "reports.duckdb"):
            os.replace(tmp / name, out / name)
