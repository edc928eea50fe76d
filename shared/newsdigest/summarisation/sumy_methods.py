"""sumy's summarisers behind one function that returns a full ranking of the sentences.

Everything from sumy is imported inside functions: importing any sumy summariser imports NLTK (through
``sumy.nlp.stemmers``), which only callers who pick one of these methods should pay for.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from typing import Any

from newsdigest.errors import SummariseError
from newsdigest.summarisation.document import Document
from newsdigest.summarisation.tokenizer import OfflineTokenizer, words

#: method name -> (module, class) inside ``sumy.summarizers``.
SUMY_CLASSES: dict[str, tuple[str, str]] = {
    "lexrank": ("lex_rank", "LexRankSummarizer"),
    "textrank": ("text_rank", "TextRankSummarizer"),
    "lsa": ("lsa", "LsaSummarizer"),
    "luhn": ("luhn", "LuhnSummarizer"),
    "edmundson": ("edmundson", "EdmundsonSummarizer"),
    "kl": ("kl", "KLSummarizer"),
    "sumbasic": ("sum_basic", "SumBasicSummarizer"),
    "reduction": ("reduction", "ReductionSummarizer"),
}

#: sumy methods that compute with NumPy matrices.
NUMPY_METHODS = frozenset({"lexrank", "textrank", "lsa"})

#: Edmundson's key method needs "bonus" words; without a title, the document's most frequent content
#: words stand in for them.
_EDMUNDSON_KEY_WORDS = 10


class _RankRecorder:
    """Passed to sumy as the sentence count: sumy hands it every sentence sorted best-first, and it
    keeps that order, so one sumy call yields a ranking usable for any length."""

    def __init__(self) -> None:
        self.order: list[int] = []

    def __call__(self, infos: Any) -> Any:
        self.order = [info.order for info in infos]
        return infos


#: What a deployment needs for the sumy methods (template.yaml attaches these layers by condition).
DEPLOY_HINT = (
    "deploy with SummaryMethod set to it or AllSummaryMethods=true (which attach the layers it needs), "
    "or install it locally (pip install 'newsdigest[methods]')"
)


def require_numpy(method: str) -> None:
    if method in NUMPY_METHODS and importlib.util.find_spec("numpy") is None:
        raise SummariseError(
            f"method {method!r} needs NumPy, which is not installed here; {DEPLOY_HINT}",
            reason="missing_dependency",
        )


def load_sumy_method(method: str) -> Any:
    """The sumy summariser class of ``method``, with everything it imports; a clear
    :class:`SummariseError` (``missing_dependency``) when something is missing."""
    require_numpy(method)
    module_name, class_name = SUMY_CLASSES[method]
    try:
        module = importlib.import_module(f"sumy.summarizers.{module_name}")
        importlib.import_module("sumy.models.dom")
        if method in NUMPY_METHODS:
            importlib.import_module("numpy.linalg")
    except ImportError as exc:
        # The default layer ships sumy without NLTK, pycountry and requests, which its summarisers
        # and document model import at module level; only "default" and "lead" work there.
        raise SummariseError(
            f"method {method!r} needs sumy's dependencies ({exc.name or exc} is missing); {DEPLOY_HINT}",
            reason="missing_dependency",
        ) from exc
    return getattr(module, class_name)


def _sumy_document(document: Document) -> Any:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = OfflineTokenizer(document.profile.name, document.vocabulary)
    paragraphs = []
    for i, sentences in enumerate(document.paragraphs):
        objects = [Sentence(s, tokenizer) for s in sentences]
        if i == 0 and document.title:
            # sumy reads headings as the title (Edmundson's title and location methods use them).
            objects.insert(0, Sentence(document.title, tokenizer, is_heading=True))
        paragraphs.append(Paragraph(objects))
    return ObjectDocumentModel(paragraphs)


def _configure_edmundson(summariser: Any, document: Document) -> None:
    stop_words = document.profile.stop_words
    # sumy refuses empty word sets; a set holding only the empty string changes no score.
    summariser.null_words = stop_words or {""}
    bonus: list[str] = (
        [w for w in words(document.title) if w.lower() not in stop_words] if document.title else []
    )
    if not bonus:
        counts = Counter(w.lower() for ws in document.words for w in ws if w.lower() not in stop_words)
        bonus = [w for w, _ in counts.most_common(_EDMUNDSON_KEY_WORDS)]
    summariser.bonus_words = bonus or [""]


def rank_with_sumy(method: str, document: Document) -> list[int]:
    """Sentence indices of ``document`` best first, as sumy's ``method`` rates them."""
    cls = load_sumy_method(method)
    sumy_document = _sumy_document(document)
    stemmer = document.profile.stemmer
    if method == "edmundson":
        summariser = cls(stemmer, cue_weight=0.0, key_weight=1.0, title_weight=1.0, location_weight=1.0)
        _configure_edmundson(summariser, document)
    else:
        summariser = cls(stemmer)
        summariser.stop_words = document.profile.stop_words
    recorder = _RankRecorder()
    try:
        summariser(sumy_document, recorder)
    except ValueError as exc:  # sumy reports a missing NumPy this way
        if "NumPy" in str(exc):
            raise SummariseError(str(exc), reason="missing_dependency") from exc
        raise SummariseError(f"sumy's {method} summariser failed: {exc}") from exc
    except (ArithmeticError, LookupError, TypeError) as exc:
        # Callers handle NewsdigestError per item; a third-party failure must not escape as a crash.
        raise SummariseError(f"sumy's {method} summariser failed: {exc!r}") from exc
    seen = set(recorder.order)
    # Some summarisers skip degenerate input (e.g. no words at all): fall back to document order.
    return recorder.order + [i for i in range(len(document.sentences)) if i not in seen]
