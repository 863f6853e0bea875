"""The page of an IETF meeting: where and when, and its sessions with their groups, rooms and materials."""

from __future__ import annotations

from typing import Any

from ietfkg.api.pages.page import Page

TEMPLATE = "meeting.html"


async def context(page: Page) -> dict[str, Any] | None:
    meeting = (await page.rows("page_meeting")).first()
    if not meeting:
        return None
    sessions = await page.rows("page_meeting_sessions")
    rows = [
        {
            **r,
            "value": page.named(r["session"], (r["start"] or "")[:16].replace("T", " ") or None),
            "group_value": page.named(r["group"], r["acronym"]),
            "agenda_value": page.named(r["agenda"], "agenda"),
            "minutes_value": page.named(r["minutes"], "minutes"),
        }
        for r in sessions.rows
    ]
    return {
        "title": f"IETF {meeting['number']}",
        "meeting": meeting,
        "sessions": rows,
        "groups": len({r["group"] for r in sessions.rows if r["status"] != "canceled"}),
        "bofs": [r for r in rows if r["bof"] == "true"],
        "sessions_truncated": sessions.truncated,
    }
