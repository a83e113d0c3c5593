"""Themes of free-text comments: what residents talk about, per question and language.

The method (``METHOD``) groups one question's comments, each language on its own:

1. Words: lower-cased runs of two or more letters and combining marks (a vowel sign
   is part of its word: ``word_pattern``), lemmatised with simplemma
   (Barbaresi, *Simplemma*, 2.0, the languages in ``simplemma_languages()``; a
   language it does not know keeps its words as written), without stop words: a word
   goes when the word as written or its lemma is one (``stop_words``). Chinese,
   Japanese and Korean are written without spaces between words, so a run of Han,
   Hiragana, Katakana or Hangul characters is cut into overlapping pairs of characters
   instead, as Lucene's ``CJKAnalyzer`` does (its ``CJKBigramFilter``: "公交车晚点" gives
   公交, 交车, 车晚, 晚点; a run of one character is kept as that character; Apache
   Lucene, ``org.apache.lucene.analysis.cjk``). Pairs that straddle two words are noise
   the document-frequency cut below mostly removes; the pairs a topic's comments share
   (公交, 图书, 书馆) are its terms. The language's stop words of two or more characters
   (我们, 因为, 什么) are cut out of the run before pairing, so no pair straddles one, and
   pairs or lone characters that are stop words (的, 是) are dropped after.
2. TF-IDF weights (scikit-learn ``TfidfVectorizer``, sublinear term frequency,
   words in at least two comments and at most 90% of them when there are ten or
   more comments).
3. Non-negative matrix factorisation of the weights into ``k`` themes (Lee & Seung,
   "Learning the parts of objects by non-negative matrix factorization", *Nature*
   401, 1999; scikit-learn ``NMF`` with NNDSVDa initialisation and a fixed
   ``random_state``, so the same comments always give the same themes; see
   scikit-learn's user guide, "Decomposing signals in components", section NMF).
4. Each comment joins the theme with its largest weight; a comment with no word
   left after step 1 (or no weight in any theme) is unassigned, never forced.

``k`` follows ``theme_count``: one theme per 50 comments, at least 2 and at most 8
(fewer when a language has fewer comments or words than that), unless the caller
asks for a number.

A theme shows its top terms (largest weights in its NMF component), its size and
example comments, most representative first. Examples follow the survey's quoting
rule (``QuoteConsent``, as for the report's quotes): every comment, only those whose
author gave a consenting answer, or none. A comment removed under the retention
schedule is not passed here at all.

Stop words (``stop_words``) come from the Stopwords ISO collection (Gene Diaz and
contributors, https://github.com/stopwords-iso; the ``stopwordsiso`` package, whose
lists ship inside it: nothing is downloaded) for every language it has, with these
exceptions, chosen by what the lists hold:

- English keeps scikit-learn's list (318 function words): Stopwords ISO's 1,298 hold
  words residents name topics with ("area", "home", "information", "place", "year",
  "help", "need", "new", "old", "great").
- French keeps the short list here (function words, as lemmas): Stopwords ISO's 691
  hold "personne", "gens", "nouveau", "seul", "moins", "plein", "suivant".
- Urdu adds a short list here to Stopwords ISO's: that list's source text was
  mis-encoded ("اضتعوبل" for "استعمال"), so it lacks "میں", "سے", "کو", "کا", "نہیں"...
- Punjabi and Tamil, which Stopwords ISO does not have, get short lists here:
  postpositions, pronouns, auxiliaries, conjunctions and negation, as the English list
  holds them ("ਨੂੰ", "ਦੇ", "ਹੈ", "ਨਹੀਂ"; "மற்றும்", "இந்த", "இல்லை").

A language with no list keeps all its words; the document-frequency cut removes the
commonest.

scikit-learn, simplemma and stopwordsiso are imported inside ``find_themes`` only: the
web worker's start and the resident's pages never load them
(tests/engage/test_worker_start.py).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from surveys.report_records import QuoteConsent

METHOD = "tfidf-nmf-2"  # 2: CJK character pairs, stop words for more languages
RANDOM_STATE = 0
COMMENTS_PER_THEME = 50
MIN_THEMES = 2
MAX_THEMES = 8
TOP_TERMS = 8
EXAMPLES = 3


@cache
def word_pattern() -> re.Pattern[str]:
    """Return the pattern of a word: a letter, then letters and combining marks (two or more).

    Python's ``\\w`` holds letters but not combining marks (Unicode categories Mn, Mc and
    Me), and the vowel signs of Gurmukhi, Tamil, Devanagari and other Brahmic scripts are
    marks: without them "ਨਹੀਂ" would be cut to "ਨਹ" and Punjabi or Tamil top terms would be
    fragments. The class of marks is read from ``unicodedata`` once per process.
    """
    ranges, start = [], None
    for code in range(sys.maxunicode + 2):
        mark = code <= sys.maxunicode and unicodedata.category(chr(code)).startswith("M")
        if mark and start is None:
            start = code
        elif not mark and start is not None:
            ranges.append(f"\\U{start:08x}-\\U{code - 1:08x}")
            start = None
    return re.compile(rf"[^\W\d_](?:[^\W\d_]|[{''.join(ranges)}])+")


# Common French function words (articles, pronouns, prepositions, auxiliaries), as
# lemmas, since words are lemmatised before this list is applied.
FRENCH_STOP_WORDS = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur
    lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui
    sa se ses son sur ta te tes toi ton tu un une vos votre vous être avoir faire aller
    plus très trop tout tous toute toutes cela ça ici là si non oui bien aussi comme
    donc alors car est sont été était lequel laquelle dont quand chez
    """.split()  # noqa: SIM905 (a list a reader can scan as prose)
)

# Common Punjabi (Gurmukhi) function words: postpositions, pronouns, auxiliaries,
# conjunctions, negation. Stopwords ISO has no Punjabi list.
PUNJABI_STOP_WORDS = frozenset(
    """
    ਦਾ ਦੀ ਦੇ ਦੀਆਂ ਨੂੰ ਨੇ ਵਿੱਚ ਵਿਚ ਤੋਂ ਤੇ ਨਾਲ ਲਈ ਵਾਲਾ ਵਾਲੀ ਵਾਲੇ ਬਾਰੇ ਅਤੇ ਜਾਂ ਪਰ ਕਿ ਕਿਉਂਕਿ ਜਦੋਂ ਤਾਂ
    ਵੀ ਹੀ ਜੋ ਹੈ ਹਨ ਸੀ ਸਨ ਹੋ ਹਾਂ ਹੋਵੇ ਹੁੰਦਾ ਹੁੰਦੀ ਹੁੰਦੇ ਰਿਹਾ ਰਹੀ ਰਹੇ ਗਿਆ ਗਈ ਗਏ ਜਾਂਦਾ ਜਾਂਦੀ ਜਾਂਦੇ
    ਕਰ ਕਰਦਾ ਕਰਦੀ ਕਰਦੇ ਸਕਦਾ ਸਕਦੀ ਸਕਦੇ ਚਾਹੀਦਾ ਚਾਹੀਦੀ ਚਾਹੀਦੇ ਇਹ ਉਹ ਇਸ ਉਸ ਇਨ੍ਹਾਂ ਉਨ੍ਹਾਂ ਮੈਂ ਮੇਰਾ
    ਮੇਰੀ ਮੇਰੇ ਅਸੀਂ ਸਾਡਾ ਸਾਡੀ ਸਾਡੇ ਤੁਸੀਂ ਤੁਹਾਡਾ ਤੁਹਾਡੀ ਤੁਹਾਡੇ ਕੋਈ ਕੁਝ ਹੋਰ ਬਹੁਤ ਇੱਕ ਕੀ ਕਿਵੇਂ
    ਕਿੱਥੇ ਇੱਥੇ ਉੱਥੇ ਜੀ ਨਹੀਂ ਨਾ
    """.split()  # noqa: SIM905
)

# Common Tamil function words, as for Punjabi. Stopwords ISO has no Tamil list.
TAMIL_STOP_WORDS = frozenset(
    """
    மற்றும் ஒரு இது அது இந்த அந்த இங்கே அங்கே என்று என்ற என்பது உள்ள உள்ளது இருக்கிறது
    இருந்து இருந்தது இல்லை ஆனால் மேலும் அல்லது போது பற்றி வரை தான் கூட போல் மிகவும் ரொம்ப
    எப்போதும் நான் நாங்கள் நாம் நீங்கள் நீ அவர் அவர்கள் அவள் அவன் எங்கள் உங்கள் என் எனது
    வேண்டும் முடியும் செய்ய ஆகும் ஆக
    """.split()  # noqa: SIM905
)

# Common Urdu function words missing from Stopwords ISO's Urdu list (see above).
URDU_STOP_WORDS = frozenset(
    """
    کا کی کے کو سے میں نے پر تک اور یا لیکن کہ بھی ہی جو ہے ہیں تھا تھی تھے ہو ہوں ہوتا ہوتی
    ہوتے گیا گئی گئے رہا رہی رہے یہ وہ اس ان ہم ہمارا ہماری ہمارے آپ آپکا میرا میری میرے کوئی
    کچھ بہت لیے لئے ساتھ بارے نہیں نہ
    """.split()  # noqa: SIM905
)

# Han (with its iteration mark), Hiragana, Katakana (and its half-width forms) and
# Hangul: the scripts Lucene's CJKBigramFilter pairs.
CJK_RUN = re.compile(
    "(["
    "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
    "]+)"
)


@dataclass(frozen=True)
class Comment:
    """One comment: its answer's id, text and language, and its author's consent answers.

    ``consent_choices`` are the author's answers to the survey's consent question
    (``QuoteConsent.question``); they matter only under the consent-question rule.
    """

    id: int
    text: str
    language: str
    consent_choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """A group of comments: its language, top terms, size, examples and members."""

    language: str
    number: int  # 1, 2, ... within the language, largest theme first
    terms: tuple[str, ...]
    size: int
    examples: tuple[str, ...]
    comment_ids: tuple[int, ...]
    weights: tuple[float, ...] = ()  # each comment's weight in the theme, as comment_ids


@dataclass(frozen=True)
class Themes:
    """A question's themes, and the comments no theme could take."""

    method: str
    themes: tuple[Theme, ...]
    unassigned: tuple[int, ...]


def theme_count(comments: int) -> int:
    """Return how many themes ``comments`` comments get: one per 50, from 2 to 8."""
    return min(MAX_THEMES, max(MIN_THEMES, comments // COMMENTS_PER_THEME))


def may_quote(consent: QuoteConsent, comment: Comment) -> bool:
    """Return whether the survey's quoting rule lets a page show the comment."""
    if consent.policy == "all":
        return True
    if consent.policy == "consent_question":
        return any(choice in consent.choices for choice in comment.consent_choices)
    return False


def find_themes(
    comments: Sequence[Comment],
    consent: QuoteConsent,
    count: int | None = None,
    examples: int = EXAMPLES,
) -> Themes:
    """Group one question's comments into themes, each language on its own."""
    by_language: dict[str, list[Comment]] = {}
    for comment in comments:
        by_language.setdefault(comment.language or "", []).append(comment)
    themes: list[Theme] = []
    unassigned: list[int] = []
    for language in sorted(by_language):
        # By id, so the same comments give the same themes in whatever order they come.
        group = sorted(by_language[language], key=lambda comment: comment.id)
        found, left = _language_themes(group, language, consent, count, examples)
        themes.extend(found)
        unassigned.extend(left)
    return Themes(METHOD, tuple(themes), tuple(sorted(unassigned)))


def simplemma_languages() -> frozenset[str]:
    """Return the language codes simplemma lemmatises."""
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return frozenset(SUPPORTED_LANGUAGES)


def base_language(language: str) -> str:
    """Return a language tag's base code: "zh" for "zh_Hans", "pa" for "pa-IN"."""
    return language.split("-")[0].split("_")[0].lower()


@cache
def stop_words(language: str) -> frozenset[str]:
    """Return the language's stop words, NFC-normalised and lower-cased (module docstring)."""
    base = base_language(language)
    if base == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        listed: frozenset[str] | set[str] = ENGLISH_STOP_WORDS
    elif base == "fr":
        listed = FRENCH_STOP_WORDS
    elif base == "pa":
        listed = PUNJABI_STOP_WORDS
    elif base == "ta":
        listed = TAMIL_STOP_WORDS
    else:
        import stopwordsiso

        listed = stopwordsiso.stopwords(base) if stopwordsiso.has_lang(base) else set()
        if base == "ur":
            listed |= URDU_STOP_WORDS
    return frozenset(unicodedata.normalize("NFC", word).lower() for word in listed)


@cache
def _cjk_stop_pattern(language: str) -> re.Pattern[str] | None:
    """Return the pattern of the language's stop words of two or more CJK characters."""
    long = sorted(
        (word for word in stop_words(language) if len(word) > 1 and CJK_RUN.fullmatch(word)),
        key=lambda word: (-len(word), word),
    )
    return re.compile("|".join(map(re.escape, long))) if long else None


def _bigrams(run: str, language: str) -> list[str]:
    """Return a CJK run's overlapping character pairs (a lone character alone), no stop words."""
    stop = stop_words(language)
    pattern = _cjk_stop_pattern(language)
    pieces = pattern.split(run) if pattern else [run]
    terms = []
    for piece in pieces:
        grams = [piece] if len(piece) == 1 else [piece[i : i + 2] for i in range(len(piece) - 1)]
        terms.extend(gram for gram in grams if unicodedata.normalize("NFC", gram) not in stop)
    return terms


def words(text: str, language: str) -> list[str]:
    """Return the comment's words as lemmas (CJK runs as character pairs), without stop words."""
    import simplemma

    base = base_language(language)
    lemmatise = base in simplemma_languages()
    stop = stop_words(language)
    terms = []
    # re.split with a group: even items are the text between CJK runs, odd items the runs.
    for position, part in enumerate(CJK_RUN.split(text)):
        if position % 2:
            terms.extend(_bigrams(part, language))
            continue
        for token in word_pattern().findall(part):
            token = token.lower()
            lemma = simplemma.lemmatize(token, lang=base).lower() if lemmatise else token
            written = {unicodedata.normalize("NFC", form) for form in (token, lemma)}
            if len(lemma) > 1 and not written & stop:
                terms.append(lemma)
    return terms


def _language_themes(
    comments: list[Comment],
    language: str,
    consent: QuoteConsent,
    count: int | None,
    examples: int,
) -> tuple[list[Theme], list[int]]:
    """Return one language's themes and the ids of its unassigned comments."""
    import numpy
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    documents = [words(comment.text, language) for comment in comments]
    usable = [index for index, document in enumerate(documents) if document]
    unassigned = [
        comment.id for comment, document in zip(comments, documents, strict=True) if not document
    ]
    if len(usable) < 2:
        return [], sorted(unassigned + [comments[index].id for index in usable])
    vectorizer = TfidfVectorizer(
        analyzer=lambda document: document,
        sublinear_tf=True,
        min_df=2 if len(usable) >= 10 else 1,
        max_df=0.9 if len(usable) >= 10 else 1.0,
    )
    try:
        weights = vectorizer.fit_transform([documents[index] for index in usable])
    except ValueError:  # no word is left after the document-frequency cut
        return [], sorted(comment.id for comment in comments)
    terms = vectorizer.get_feature_names_out()
    wanted = count if count is not None else theme_count(len(usable))
    k = max(1, min(wanted, len(usable), len(terms)))
    model = NMF(n_components=k, init="nndsvda", random_state=RANDOM_STATE, max_iter=400)
    membership = model.fit_transform(weights)
    best = membership.argmax(axis=1)
    strength = membership.max(axis=1)
    groups: dict[int, list[int]] = {}
    for row, index in enumerate(usable):
        if strength[row] <= 0:
            unassigned.append(comments[index].id)
        else:
            groups.setdefault(int(best[row]), []).append(row)
    built = []
    for component, rows in groups.items():
        top = numpy.argsort(-model.components_[component], kind="stable")[:TOP_TERMS]
        top_terms = tuple(str(terms[j]) for j in top if model.components_[component, j] > 0)
        ordered = sorted(rows, key=lambda row: (-membership[row, component], usable[row]))
        members = [comments[usable[row]] for row in ordered]
        shown = tuple(c.text for c in members if may_quote(consent, c))[:examples]
        weight = {comments[usable[row]].id: float(membership[row, component]) for row in rows}
        ids = tuple(sorted(weight))
        built.append((top_terms, shown, ids, tuple(round(weight[i], 6) for i in ids)))
    built.sort(key=lambda theme: (-len(theme[2]), theme[2][0]))
    themes = [
        Theme(language, number, top_terms, len(ids), shown, ids, weights)
        for number, (top_terms, shown, ids, weights) in enumerate(built, start=1)
    ]
    return themes, sorted(unassigned)


@dataclass(frozen=True)
class EditedTheme:
    """A stored theme staff edited: its key, language, terms, name and pinned comments."""

    key: int
    language: str
    terms: tuple[str, ...]
    label: str | None
    pinned: tuple[int, ...] = ()


def term_overlap(first: Sequence[str], second: Sequence[str]) -> float:
    """Return the Jaccard overlap of two themes' top terms (0 to 1)."""
    union = set(first) | set(second)
    return len(set(first) & set(second)) / len(union) if union else 0.0


def match_edited(edited: Sequence[EditedTheme], themes: Sequence[Theme]) -> dict[int, int | None]:
    """Return, per edited theme's key, the index of the new theme that inherits its edits.

    Each new theme inherits from at most one edited theme: pairs of the same language
    are taken greediest first (most shared top terms, then the older key, then the
    larger new theme); an edited theme sharing no term with any free new theme gets
    None, and its caller keeps it as it was.
    """
    pairs = sorted(
        (
            (-term_overlap(old.terms, new.terms), old.key, index)
            for old in edited
            for index, new in enumerate(themes)
            if new.language == old.language and term_overlap(old.terms, new.terms) > 0
        )
    )
    matched: dict[int, int | None] = {old.key: None for old in edited}
    taken: set[int] = set()
    for _overlap, key, index in pairs:
        if matched[key] is None and index not in taken:
            matched[key] = index
            taken.add(index)
    return matched
