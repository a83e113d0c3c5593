"""The dashboard's filters as query parameters, for every API address that takes them."""

from __future__ import annotations

import marshmallow as ma

from surveys.models import CHANNELS
from surveys.report_records import Filters


class FilterQuerySchema(ma.Schema):
    """The dashboard's filters."""

    start = ma.fields.Date(metadata={"description": "first day collected (UTC), included"})
    end = ma.fields.Date(metadata={"description": "last day collected (UTC), included"})
    channel = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(CHANNELS)))
    language = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=35)))
    area = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=100)))

    @ma.validates_schema
    def check_days(self, data: dict, **_kwargs) -> None:
        """Refuse a range whose last day comes before its first."""
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ma.ValidationError("The last day comes before the first.", "end")


def query_filters(query: dict) -> Filters:
    """Return the filters of a query loaded by ``FilterQuerySchema`` (or one built on it)."""
    return Filters(
        start=query.get("start"),
        end=query.get("end"),
        channels=tuple(query.get("channel", ())),
        languages=tuple(query.get("language", ())),
        areas=tuple(query.get("area", ())),
    )
