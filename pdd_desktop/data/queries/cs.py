"""SQL of the 客服 module: reply-rate days, hours, the quick-reply library."""

from __future__ import annotations

from collections.abc import Sequence

from pdd_desktop.data.db import database
from pdd_desktop.data.models.cs import CsHour, CsMetricDay, QuickReply

#: ``cs_metric_day`` columns in the order :func:`days` returns them.
DAY_COLUMNS = (
    "day",
    "agent",
    "consult_users",
    "inquiry_users",
    "order_users",
    "need_human",
    "received",
    "unreplied_3m",
    "r3_num",
    "r3_den",
    "r30_num",
    "r30_den",
    "r3_all_num",
    "r3_all_den",
    "r30_all_num",
    "r30_all_den",
    "avg_response_ms",
    "sales_fen",
    "source",
)


def upsert_days(records: Sequence[dict]) -> None:
    """Insert or replace (day, agent) rows; caller holds the write transaction."""
    for start in range(0, len(records), 200):
        CsMetricDay.insert_many(records[start : start + 200]).on_conflict_replace().execute()


def stored_days(keys: Sequence[tuple[int, str]], columns: Sequence[str]) -> dict[tuple[int, str], tuple]:
    """``(day, agent)`` → the values of ``columns`` of those stored rows (the import's plan)."""
    out: dict[tuple[int, str], tuple] = {}
    days = sorted({d for d, _a in keys})
    cols = ", ".join(f'"{c}"' for c in columns)
    for start in range(0, len(days), 500):
        chunk = days[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in database.execute_sql(
            f'SELECT "day", "agent", {cols} FROM "cs_metric_day" WHERE "day" IN ({marks})', chunk
        ).fetchall():
            out[(row[0], row[1])] = tuple(row[2:])
    return out


def upsert_hours(records: Sequence[dict]) -> None:
    """Insert or replace (day, hour) rows; caller holds the write transaction."""
    for start in range(0, len(records), 200):
        CsHour.insert_many(records[start : start + 200]).on_conflict_replace().execute()


def days(first_day: int, last_day: int) -> list[tuple]:
    """Every row between the two day numbers (inclusive), by agent ('' first) and day."""
    cols = ", ".join(f'"{c}"' for c in DAY_COLUMNS)
    return database.execute_sql(
        f'SELECT {cols} FROM "cs_metric_day" WHERE "day" BETWEEN ? AND ? ORDER BY "agent", "day"',
        (first_day, last_day),
    ).fetchall()


def latest_day() -> int | None:
    """The newest day with any figure."""
    row = database.execute_sql('SELECT MAX("day") FROM "cs_metric_day"').fetchone()
    return row[0] if row else None


def hours(first_day: int, last_day: int) -> list[tuple[int, int, int, int]]:
    """(hour, need_human, unreplied_3m, unanswered_30s) summed over the days, by hour."""
    return database.execute_sql(
        'SELECT "hour", SUM("need_human"), SUM("unreplied_3m"), SUM("unanswered_30s") FROM "cs_hour" '
        'WHERE "day" BETWEEN ? AND ? GROUP BY "hour" ORDER BY "hour"',
        (first_day, last_day),
    ).fetchall()


def quick_replies() -> list[tuple[int, str, str | None, str, str, int]]:
    """(id, group, shortcut, title, body, position) by group and position."""
    return database.execute_sql(
        'SELECT "id", "group_name", "shortcut", "title", "body", "position" FROM "quick_reply" '
        'ORDER BY "group_name", "position", "id"'
    ).fetchall()


def shortcut_owner(shortcut: str) -> int | None:
    """The id of the quick reply with this shortcut."""
    row = database.execute_sql('SELECT "id" FROM "quick_reply" WHERE "shortcut" = ?', (shortcut,)).fetchone()
    return row[0] if row else None


def save_quick_reply(reply_id: int | None, values: dict) -> int:
    """Insert (``reply_id`` None) or update a quick reply; caller holds the write transaction."""
    if reply_id is None:
        pos = database.execute_sql(
            'SELECT COALESCE(MAX("position"), 0) + 1 FROM "quick_reply" WHERE "group_name" = ?',
            (values["group_name"],),
        ).fetchone()[0]
        return QuickReply.insert(position=pos, **values).execute()
    values = {k: v for k, v in values.items() if k != "created_at"}
    QuickReply.update(**values).where(QuickReply.id == reply_id).execute()
    return reply_id


def delete_quick_reply(reply_id: int) -> int:
    """Delete one quick reply; the rows deleted."""
    return QuickReply.delete().where(QuickReply.id == reply_id).execute()
