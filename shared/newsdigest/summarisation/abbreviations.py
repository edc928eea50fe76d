"""Per-language abbreviations for the sentence splitter (lower-case, without the final dot).

Two kinds, because they fail in different ways:

* ``TITLES`` stand before a name or a number ("Mr. Smith", "Dr. Weber", "проф. Иванов"), so a dot
  after them never ends a sentence.
* ``ABBREVIATIONS`` may end a sentence too ("Apple Inc. said" vs "... of Apple Inc. The firm"):
  the splitter breaks after them only when the next word is one that typically opens a sentence
  (a stop word of the language), and never before a number ("Jan. 5", "No. 10").

Abbreviations built of one- or two-letter parts ("U.S.", "a.m.", "z.B.", "т.е.") and single
capital letters (initials) are recognised by pattern and treated like ``ABBREVIATIONS``.
"""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EN_MONTHS_DAYS = (
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun"
)

TITLES: dict[str, frozenset[str]] = {
    "english": _set(
        "mr mrs ms messrs mmes dr prof st sen sens rep reps gov gen lt col sgt capt cmdr cmdt adm maj "
        "brig rev hon pres supt det insp mt ft fr"
    ),
    "german": _set("hr hrn fr frl dr prof dipl ing mag st sr"),
    "french": _set("mm mme mmes mlle mlles dr pr me st ste mgr"),
    "spanish": _set("sr sres sra sras srta dr dra dña lic ing prof sto sta gral"),
    "italian": _set("sig sigg dott dr prof avv ing on sen geom mons"),
    "portuguese": _set("sr srs sra srta dr dra prof eng exmo exma"),
    "dutch": _set("dhr mevr mr dr prof ir ing drs st"),
    "danish": _set("hr fr dr prof"),
    "norwegian": _set("hr fr dr prof"),
    "swedish": _set("hr fr dr prof"),
    "finnish": _set("prof tri hra rva nti"),
    "hungarian": _set("dr prof id özv"),
    "romanian": _set("dl dna dra dr prof sf"),
    "russian": _set("проф акад доц гн г-н г-жа"),
    "ukrainian": _set("проф акад доц п пан"),
    "czech": _set("p pí ing mgr mudr judr phdr doc prof bc sv"),
    "slovak": _set("p pí ing mgr mudr judr phdr doc prof bc sv"),
    "polish": _set("p dr prof inż mgr ks hab św"),
    "greek": _set("κ κα δρ καθ"),
    "arabic": _set("د"),
}

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "english": _set(
        "inc corp ltd co plc llc bros jr etc vs v no nos art fig figs approx est dept univ assn ave "
        "blvd rd hwy ca cf al ed eds vol vols pp p op gov't intl natl " + _EN_MONTHS_DAYS
    ),
    "german": _set(
        "bzw ca vgl usw etc evtl ggf inkl sog mio mrd tsd jh jhd str abs abt bd bsp ff gegr geb gest "
        "zzgl nr engl lat jan feb märz apr aug sept sep okt nov dez s"
    ),
    "french": _set("etc cf env av apr janv févr avr juil sept oct nov déc p ex vol no n° boul"),
    "spanish": _set(
        "etc pág págs núm vol art cía ud uds vd vds aprox ej av avda ene feb abr jun jul ago sept oct nov dic"
    ),
    "italian": _set("ecc etc pag art ca vol n gen feb mar apr mag giu lug ago sett ott nov dic"),
    "portuguese": _set("etc pág art nº vol av jan fev mar abr mai jun jul ago set out nov dez"),
    "dutch": _set("bijv bv enz etc ca nr blz jl vs resp jan feb mrt apr jun jul aug sep sept okt nov dec"),
    "danish": _set("ca kr mht nr osv etc dvs jf bl mfl pga"),
    "norwegian": _set("ca kr mht nr osv etc dvs jf bl mfl pga"),
    "swedish": _set("ca kr nr osv etc dvs jfr bl mfl pga tex"),
    "finnish": _set("esim mm jne tms ns ym ks vrt ts n"),
    "hungarian": _set("stb kb pl ún ill ld vö sz"),
    "romanian": _set("etc nr pag str ian feb mart apr aug sept oct noi dec"),
    "russian": _set("г гг т др пр им ул д руб млн млрд тыс коп св ст стр см рис напр долл ок"),
    "ukrainian": _set("ім о вул просп бул пров пл г р див п с м млн млрд тис грн ін ст"),
    "czech": _set("tj atd apod např tzv resp mil mld tis kč str č ul"),
    "slovak": _set("tj atď napr tzv resp mil mld tis str č ul"),
    "polish": _set("tzn np itd itp tj ok ul godz mln mld tys zł al r w ds"),
    "greek": _set(
        "π.χ κ.α α.ε ο.ε κ.λπ κ.τ.λ λ.χ χμ χλμ υ.γ τηλ π.χ μ.χ π.μ μ.μ δηλ βλ κ.ο.κ σελ κεφ χιλ αρ"
    ),
}

#: Languages that write ordinal numbers with a dot ("am 3. Oktober"), so "3." rarely ends a sentence.
ORDINAL_DOT: frozenset[str] = frozenset(
    {"german", "danish", "norwegian", "finnish", "hungarian", "czech", "slovak", "polish"}
)
