"""An Atom 1.0 feed (RFC 4287) of a survey's updates, written with ElementTree.

Each entry has the elements RFC 4287 requires (``id``, ``title``, ``updated``), the
feed its ``id``, ``title``, ``updated``, an ``author`` and a ``self`` link; entries link
to the results page. Texts that fall back to another language carry their own
``xml:lang``. ElementTree escapes every text, so a title with ``<`` or ``&`` stays text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from xml.etree import ElementTree

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def rfc3339(moment: datetime | date) -> str:
    """Return a date or time as RFC 3339 in UTC, as Atom's date constructs require."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(), tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(
    *,
    feed_id: str,
    title: str,
    language: str,
    author: str,
    self_url: str,
    page_url: str,
    updated: datetime,
    entries: Iterable[Mapping],
) -> bytes:
    """Return the feed document (UTF-8) of ``entries`` (dicts, see ``engage.respond.results``)."""
    ElementTree.register_namespace("", ATOM_NAMESPACE)

    def add(parent: ElementTree.Element, name: str, text: str | None = None, **attributes):
        element = ElementTree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}{name}", attributes)
        if text is not None:
            element.text = text
        return element

    feed = ElementTree.Element(f"{{{ATOM_NAMESPACE}}}feed", {XML_LANG: language})
    add(feed, "id", feed_id)
    add(feed, "title", title)
    add(feed, "updated", rfc3339(updated))
    add(add(feed, "author"), "name", author)
    add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    for entry in entries:
        item = add(feed, "entry")
        add(item, "id", entry["id"])
        title_element = add(item, "title", entry["title"])
        if entry["title_language"] != language:
            title_element.set(XML_LANG, entry["title_language"])
        add(item, "updated", rfc3339(entry["updated"]))
        add(item, "published", rfc3339(entry["published"]))
        add(item, "link", rel="alternate", type="text/html", href=entry["id"])
        add(item, "category", term=entry["status"], label=entry["status_name"])
        summary = entry["status_name"] + (f"\n\n{entry['body']}" if entry["body"] else "")
        content = add(item, "content", summary, type="text")
        if entry["body"] and entry["body_language"] != language:
            content.set(XML_LANG, entry["body_language"])
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
