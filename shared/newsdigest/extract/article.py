"""First-cut extractor: enough for the pipeline to run end to end (improved under the extraction issue)."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from newsdigest.errors import InputError
from newsdigest.models import Article

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def _decode(html: bytes) -> tuple[str, str]:
    if html.startswith(b"\xef\xbb\xbf"):
        return html[3:].decode("utf-8", "replace"), "utf-8"
    match = _META_CHARSET.search(html[:4096])
    encoding = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        return html.decode(encoding, "replace"), encoding
    except LookupError:
        return html.decode("utf-8", "replace"), "utf-8"


def extract_article(html: bytes | str, url: str | None = None) -> Article:
    if isinstance(html, bytes):
        text, encoding = _decode(html)
    else:
        text, encoding = html, None
    if not text.strip():
        raise InputError("the page is empty", reason="empty")
    soup = BeautifulSoup(text, "lxml")
    title = None
    og = soup.find("meta", property="og:title")
    if og and og.get("content"):
        title = str(og["content"]).strip()
    elif soup.title and soup.title.string:
        title = soup.title.string.strip()
    body = None
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("articleBody"):
            body = str(data["articleBody"])
    if body is None:
        container = soup.find("article") or soup.body or soup
        body = "\n\n".join(p.get_text(" ", strip=True) for p in container.find_all("p"))
    body = body.strip()
    lang_attr = soup.html.get("lang") if soup.html else None
    return Article(
        title=title,
        text=body,
        url=url,
        language=str(lang_attr).split("-")[0].lower() if lang_attr else None,
        encoding=encoding,
        status="ok" if body else "empty",
        reason=None if body else "no main text found",
    )
