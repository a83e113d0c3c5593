"""Built-in option labels in Engage's ten languages: the Likert scale and "Prefer not to answer".

The builder copies them into a survey's own texts, where staff may reword them; the
resident page, the paper form and XLSForm export fall back to them.
"""

from __future__ import annotations

# Default Likert labels; the builder copies them into a survey's own texts, where
# staff may reword them. Keyed by BCP 47 tag, then choice name.
LIKERT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "strongly_disagree": "Strongly disagree",
        "disagree": "Disagree",
        "neutral": "Neither agree nor disagree",
        "agree": "Agree",
        "strongly_agree": "Strongly agree",
    },
    "fr": {
        "strongly_disagree": "Fortement en désaccord",
        "disagree": "En désaccord",
        "neutral": "Ni d’accord ni en désaccord",
        "agree": "D’accord",
        "strongly_agree": "Tout à fait d’accord",
    },
    "ar": {
        "strongly_disagree": "أعارض بشدة",
        "disagree": "أعارض",
        "neutral": "لا أوافق ولا أعارض",
        "agree": "أوافق",
        "strongly_agree": "أوافق بشدة",
    },
    "ur": {
        "strongly_disagree": "بالکل متفق نہیں",
        "disagree": "متفق نہیں",
        "neutral": "نہ متفق نہ غیر متفق",
        "agree": "متفق",
        "strongly_agree": "بالکل متفق",
    },
    "pa": {
        "strongly_disagree": "ਬਿਲਕੁਲ ਅਸਹਿਮਤ",
        "disagree": "ਅਸਹਿਮਤ",
        "neutral": "ਨਾ ਸਹਿਮਤ ਨਾ ਅਸਹਿਮਤ",
        "agree": "ਸਹਿਮਤ",
        "strongly_agree": "ਬਿਲਕੁਲ ਸਹਿਮਤ",
    },
    "zh-Hans": {
        "strongly_disagree": "非常不同意",
        "disagree": "不同意",
        "neutral": "既不同意也不反对",
        "agree": "同意",
        "strongly_agree": "非常同意",
    },
    "tl": {
        "strongly_disagree": "Lubos na hindi sumasang-ayon",
        "disagree": "Hindi sumasang-ayon",
        "neutral": "Hindi sumasang-ayon o tumututol",
        "agree": "Sumasang-ayon",
        "strongly_agree": "Lubos na sumasang-ayon",
    },
    "es": {
        "strongly_disagree": "Muy en desacuerdo",
        "disagree": "En desacuerdo",
        "neutral": "Ni de acuerdo ni en desacuerdo",
        "agree": "De acuerdo",
        "strongly_agree": "Muy de acuerdo",
    },
    "pt": {
        "strongly_disagree": "Discordo totalmente",
        "disagree": "Discordo",
        "neutral": "Não concordo nem discordo",
        "agree": "Concordo",
        "strongly_agree": "Concordo totalmente",
    },
    "ta": {
        "strongly_disagree": "முற்றிலும் உடன்படவில்லை",
        "disagree": "உடன்படவில்லை",
        "neutral": "உடன்படவும் இல்லை, மறுக்கவும் இல்லை",
        "agree": "உடன்படுகிறேன்",
        "strongly_agree": "முற்றிலும் உடன்படுகிறேன்",
    },
}

# Default label of the reserved "Prefer not to answer" option, offered when a
# question's ``allow_prefer_not`` is set; it is never one of ``question.choices``.
PREFER_NOT_LABELS: dict[str, str] = {
    "en": "Prefer not to answer",
    "fr": "Je préfère ne pas répondre",
    "ar": "أفضّل عدم الإجابة",
    "ur": "جواب نہیں دینا چاہتے",
    "pa": "ਜਵਾਬ ਨਹੀਂ ਦੇਣਾ ਚਾਹੁੰਦੇ",
    "zh-Hans": "不愿回答",
    "tl": "Mas gusto kong hindi sumagot",
    "es": "Prefiero no responder",
    "pt": "Prefiro não responder",
    "ta": "பதிலளிக்க விரும்பவில்லை",
}
