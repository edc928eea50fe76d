"""Month names, and the day and month of a yearless date ("May 11", "11 мая").

Apart from :mod:`.dates` because the summariser's dateline parser (:mod:`.dateline`) needs only this:
a Summarise cold start then compiles none of the full-date patterns (about 11 M instructions,
``benchmarks/coldstart.py --instructions``).
"""

from __future__ import annotations

import re

# Month names and common abbreviations in the languages news pages are mostly written in.
_MONTH_WORDS: dict[int, str] = {
    1: "january jan janvier janv januar jänner jaenner enero ene gennaio gen janeiro januari januar "
    "stycznia styczeń styczen leden ledna январь января ianuarie tammikuu ocak",
    2: "february feb février fevrier févr fevr februar febrero febbraio fevereiro fev februari luty "
    "lutego únor února февраль февраля februarie helmikuu şubat",
    3: "march mar mars märz maerz marzo março marco maart marzec marca březen března март марта martie "
    "maaliskuu mart",
    4: "april apr avril abril aprile kwiecień kwietnia duben dubna апрель апреля aprilie huhtikuu nisan",
    5: "may mai mayo maggio maio mei maj maja květen května май мая toukokuu mayıs",
    6: "june jun juin juni junio giugno giu junho czerwiec czerwca červen června июнь июня iunie "
    "kesäkuu haziran",
    7: "july jul juillet juil juli julio luglio lug julho lipiec lipca červenec července июль июля "
    "iulie heinäkuu temmuz",
    8: "august aug août aout agosto ago augustus sierpień sierpnia srpen srpna август августа elokuu ağustos",
    9: "september sep sept septembre setiembre septiembre settembre set setembro wrzesień września září "
    "сентябрь сентября septembrie syyskuu eylül",
    10: "october oct octobre oktober okt octubre ottobre ott outubro out październik października říjen "
    "října октябрь октября octombrie lokakuu ekim",
    11: "november nov novembre noviembre novembro listopad listopada ноябрь ноября noiembrie marraskuu kasım",
    12: "december dec décembre decembre déc dezember dez diciembre dic dicembre dezembro grudzień "
    "grudnia prosinec prosince декабрь декабря decembrie joulukuu aralık",
}
MONTHS: dict[str, int] = {w: m for m, words in _MONTH_WORDS.items() for w in words.split()}
# Any word of month-name length; a match counts only when the word is in MONTHS. An alternation of
# all the names under re.IGNORECASE takes ~20 ms to compile, paid on every cold start.
MONTH_WORD = r"[^\W\d_]{3,12}"
_MONTH_DAY = re.compile(rf"({MONTH_WORD})\.?\s+(\d{{1,2}})")
_DAY_MONTH = re.compile(rf"(\d{{1,2}})\.?\s+({MONTH_WORD})")


def month_day(text: str) -> tuple[int, int] | None:
    """``(month, day)`` from a yearless date such as ``May 11`` or ``11 May``."""
    text = text.strip().rstrip(".")
    match = _MONTH_DAY.fullmatch(text)
    if match and match.group(1).lower() in MONTHS:
        return MONTHS[match.group(1).lower()], int(match.group(2))
    match = _DAY_MONTH.fullmatch(text)
    if match and match.group(2).lower() in MONTHS:
        return MONTHS[match.group(2).lower()], int(match.group(1))
    return None
