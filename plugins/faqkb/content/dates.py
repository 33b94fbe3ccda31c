"""What day it is for the shop: "today" in the shop's time zone, never the machine's.

CI runners keep UTC. From 00:00 to 08:00 in Beijing an entry checked "today" would otherwise carry
tomorrow's date as far as the runner knows, and be rejected as a future date.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


class UnknownTimezone(ValueError):
    """A time zone name that the IANA database does not know (the message is for content staff)."""


@functools.lru_cache(maxsize=16)
def shop_timezone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone called `name`, e.g. Asia/Shanghai."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise UnknownTimezone(f"时区“{name}”不存在：请写 IANA 时区名，例如 Asia/Shanghai、Asia/Hong_Kong。") from None


def shop_today(timezone: str = DEFAULT_TIMEZONE, now: dt.datetime | None = None) -> dt.date:
    """The date in the shop's time zone at `now` (an aware datetime; default: this moment)."""
    zone = shop_timezone(timezone)
    if now is None:
        now = dt.datetime.now(dt.timezone.utc)
    elif now.tzinfo is None:
        raise ValueError("now must carry its time zone")
    return now.astimezone(zone).date()


def parse_day(text: str) -> dt.date:
    """YYYY-MM-DD as typed on a command line (the error is for content staff)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期，请写成 年-月-日，例如 2026-11-01") from None
