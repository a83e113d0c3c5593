"""The bank of standard demographic questions staff add to a survey in one click.

Every question is a closed equity dimension (``dimension`` set), voluntary, and
offers "Prefer not to answer". Labels and choice labels come in every language of
``BUILT_IN_LANGUAGES``. The translations were written for this bank and still need
review by a speaker from each community before a survey relies on them; the
Portuguese follows European usage, as most Portuguese-speaking Ontarians have roots
in Portugal and the Azores.

Sources:

- Indigenous identity and race follow Ontario's Data Standards for the
  Identification and Monitoring of Systemic Racism (the Anti-Racism Data
  Standards): Indigenous identity is asked before, and separately from, race
  (Standard 16 categories, select all that apply). The Standards also let people
  choose more than one Indigenous identity; here it is a single choice so that
  every respondent falls in one group of the equity analysis.
- Sex at birth and gender follow Statistics Canada's two-step question.
- Disability uses the Washington Group Short Set (WG-SS): six questions, one per
  domain, which ``washington_group_disability_status`` combines into one status.
"""

# Translated texts are not split mid-sentence to fit the line limit: reviewers read
# each one whole, and splitting right-to-left text is error-prone.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from surveys.definition import (
    MULTIPLE_CHOICE,
    PREFER_NOT_TO_ANSWER,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    Texts,
)
from surveys.languages import BUILT_IN_LANGUAGES
from surveys.messages import N_


def _texts(
    *, en: str, fr: str, ar: str, ur: str, pa: str, zh: str, tl: str, es: str, pt: str, ta: str
) -> Texts:
    """Return texts for every built-in language; a missing language is a TypeError."""
    texts = {
        "en": en,
        "fr": fr,
        "ar": ar,
        "ur": ur,
        "pa": pa,
        "zh-Hans": zh,
        "tl": tl,
        "es": es,
        "pt": pt,
        "ta": ta,
    }
    return {language: texts[language] for language in BUILT_IN_LANGUAGES}


def _question(
    name: str,
    kind: str,
    label: Texts,
    choices: Sequence[tuple[str, Texts]],
    *,
    dimension: str | None = None,
    hint: Texts | None = None,
) -> QuestionDefinition:
    """Return a voluntary dimension question that offers "Prefer not to answer"."""
    return QuestionDefinition(
        name=name,
        kind=kind,
        label=label,
        hint=hint or {},
        choices=tuple(ChoiceDefinition(choice, texts) for choice, texts in choices),
        allow_prefer_not=True,
        dimension=dimension or name,
    )


INDIGENOUS_IDENTITY = _question(
    "indigenous",
    SINGLE_CHOICE,
    _texts(
        en="Do you identify as First Nations, Métis or Inuk (Inuit)?",
        fr="Vous identifiez-vous comme membre des Premières Nations, Métis ou Inuk (Inuit)?",
        ar="هل تُعرّف نفسك بأنك من الأمم الأولى أو الميتيس أو الإنويت (إنوك)؟",
        ur="کیا آپ اپنی شناخت فرسٹ نیشنز، میٹس یا انوک (انوئٹ) کے طور پر کرتے ہیں؟",
        pa="ਕੀ ਤੁਸੀਂ ਆਪਣੀ ਪਛਾਣ ਫ਼ਸਟ ਨੇਸ਼ਨਜ਼, ਮੇਟੀ ਜਾਂ ਇਨੁਕ (ਇਨੂਇਟ) ਵਜੋਂ ਕਰਦੇ ਹੋ?",
        zh="您是否认同自己为第一民族、梅蒂人或因纽特人（Inuk/Inuit）？",
        tl="Kinikilala mo ba ang iyong sarili bilang First Nations, Métis o Inuk (Inuit)?",
        es="¿Se identifica como miembro de las Primeras Naciones, métis o inuk (inuit)?",
        pt="Identifica-se como membro das Primeiras Nações, Métis ou Inuk (Inuit)?",
        ta="நீங்கள் உங்களை முதல் தேசங்கள் (First Nations), மெடிஸ் அல்லது இனுக் (இனுயிட்) என அடையாளப்படுத்துகிறீர்களா?",
    ),
    [
        (
            "first_nations",
            _texts(
                en="Yes, First Nations",
                fr="Oui, Premières Nations",
                ar="نعم، من الأمم الأولى",
                ur="ہاں، فرسٹ نیشنز",
                pa="ਹਾਂ, ਫ਼ਸਟ ਨੇਸ਼ਨਜ਼",
                zh="是，第一民族",
                tl="Oo, First Nations",
                es="Sí, Primeras Naciones",
                pt="Sim, Primeiras Nações",
                ta="ஆம், முதல் தேசங்கள்",
            ),
        ),
        (
            "metis",
            _texts(
                en="Yes, Métis",
                fr="Oui, Métis",
                ar="نعم، من الميتيس",
                ur="ہاں، میٹس",
                pa="ਹਾਂ, ਮੇਟੀ",
                zh="是，梅蒂人",
                tl="Oo, Métis",
                es="Sí, métis",
                pt="Sim, Métis",
                ta="ஆம், மெடிஸ்",
            ),
        ),
        (
            "inuit",
            _texts(
                en="Yes, Inuk (Inuit)",
                fr="Oui, Inuk (Inuit)",
                ar="نعم، من الإنويت (إنوك)",
                ur="ہاں، انوک (انوئٹ)",
                pa="ਹਾਂ, ਇਨੁਕ (ਇਨੂਇਟ)",
                zh="是，因纽特人",
                tl="Oo, Inuk (Inuit)",
                es="Sí, inuk (inuit)",
                pt="Sim, Inuk (Inuit)",
                ta="ஆம், இனுக் (இனுயிட்)",
            ),
        ),
        (
            "not_indigenous",
            _texts(
                en="No",
                fr="Non",
                ar="لا",
                ur="نہیں",
                pa="ਨਹੀਂ",
                zh="否",
                tl="Hindi",
                es="No",
                pt="Não",
                ta="இல்லை",
            ),
        ),
    ],
)

# Ontario Anti-Racism Data Standards, Standard 16: the race categories, each with
# the examples of descent the Standards give, and "Another race category".
RACE = _question(
    "race",
    MULTIPLE_CHOICE,
    _texts(
        en="Which race category best describes you? Select all that apply.",
        fr="Quelle catégorie raciale vous décrit le mieux? Cochez toutes les réponses qui s’appliquent.",
        ar="ما فئة العِرق التي تصفك على أفضل وجه؟ اختر كل ما ينطبق.",
        ur="کون سا نسلی زمرہ آپ کو سب سے بہتر بیان کرتا ہے؟ جتنے لاگو ہوں سب منتخب کریں۔",
        pa="ਕਿਹੜੀ ਨਸਲੀ ਸ਼੍ਰੇਣੀ ਤੁਹਾਨੂੰ ਸਭ ਤੋਂ ਵਧੀਆ ਢੰਗ ਨਾਲ ਬਿਆਨ ਕਰਦੀ ਹੈ? ਜੋ ਵੀ ਲਾਗੂ ਹੋਣ, ਸਾਰੇ ਚੁਣੋ।",
        zh="以下哪个种族类别最能描述您？请选择所有适用项。",
        tl="Aling kategorya ng lahi ang pinakamahusay na naglalarawan sa iyo? Piliin ang lahat ng naaangkop.",
        es="¿Qué categoría racial le describe mejor? Seleccione todas las que correspondan.",
        pt="Que categoria racial melhor o/a descreve? Selecione todas as opções que se aplicam.",
        ta="எந்த இனப் பிரிவு உங்களை மிகச் சிறப்பாக விவரிக்கிறது? பொருந்தும் அனைத்தையும் தேர்ந்தெடுக்கவும்.",
    ),
    [
        (
            "black",
            _texts(
                en="Black (for example, African, Afro-Caribbean, African Canadian descent)",
                fr="Noire (par exemple, d’origine africaine, afro-caribéenne ou afro-canadienne)",
                ar="أسود (مثلًا: من أصل أفريقي أو أفريقي كاريبي أو أفريقي كندي)",
                ur="سیاہ فام (مثلاً افریقی، افریقی کیریبین، افریقی کینیڈین نسل)",
                pa="ਕਾਲੇ (ਉਦਾਹਰਨ ਲਈ ਅਫ਼ਰੀਕੀ, ਅਫ਼ਰੋ-ਕੈਰੇਬੀਅਨ, ਅਫ਼ਰੀਕੀ-ਕੈਨੇਡੀਅਨ ਮੂਲ)",
                zh="黑人（例如非洲、非裔加勒比、非裔加拿大血统）",
                tl="Itim (halimbawa, may lahing African, Afro-Caribbean, African Canadian)",
                es="Negra (por ejemplo, de ascendencia africana, afrocaribeña o afrocanadiense)",
                pt="Negra (por exemplo, de ascendência africana, afro-caribenha ou afro-canadiana)",
                ta="கறுப்பினத்தவர் (எ.கா. ஆப்பிரிக்க, ஆப்ரோ-கரீபிய, ஆப்பிரிக்க-கனடிய வம்சாவளி)",
            ),
        ),
        (
            "east_asian",
            _texts(
                en="East Asian (for example, Chinese, Korean, Japanese, Taiwanese descent)",
                fr="Asiatique de l’Est (par exemple, d’origine chinoise, coréenne, japonaise ou taïwanaise)",
                ar="من شرق آسيا (مثلًا: من أصل صيني أو كوري أو ياباني أو تايواني)",
                ur="مشرقی ایشیائی (مثلاً چینی، کوریائی، جاپانی، تائیوانی نسل)",
                pa="ਪੂਰਬੀ ਏਸ਼ੀਆਈ (ਉਦਾਹਰਨ ਲਈ ਚੀਨੀ, ਕੋਰੀਆਈ, ਜਪਾਨੀ, ਤਾਇਵਾਨੀ ਮੂਲ)",
                zh="东亚裔（例如中国、韩国、日本、台湾血统）",
                tl="East Asian (halimbawa, may lahing Chinese, Korean, Japanese, Taiwanese)",
                es="Asiática oriental (por ejemplo, de ascendencia china, coreana, japonesa o taiwanesa)",
                pt="Asiática oriental (por exemplo, de ascendência chinesa, coreana, japonesa ou taiwanesa)",
                ta="கிழக்கு ஆசியர் (எ.கா. சீன, கொரிய, ஜப்பானிய, தைவானிய வம்சாவளி)",
            ),
        ),
        (
            "indigenous",
            _texts(
                en="Indigenous (First Nations, Métis, Inuk/Inuit descent)",
                fr="Autochtone (d’origine Premières Nations, Métis ou Inuk/Inuit)",
                ar="من السكان الأصليين (من أصل الأمم الأولى أو الميتيس أو الإنويت)",
                ur="مقامی باشندے (فرسٹ نیشنز، میٹس، انوک/انوئٹ نسل)",
                pa="ਮੂਲ ਨਿਵਾਸੀ (ਫ਼ਸਟ ਨੇਸ਼ਨਜ਼, ਮੇਟੀ, ਇਨੁਕ/ਇਨੂਇਟ ਮੂਲ)",
                zh="原住民（第一民族、梅蒂人、因纽特人血统）",
                tl="Katutubo (may lahing First Nations, Métis, Inuk/Inuit)",
                es="Indígena (de ascendencia de las Primeras Naciones, métis o inuk/inuit)",
                pt="Indígena (de ascendência das Primeiras Nações, Métis ou Inuk/Inuit)",
                ta="பூர்வகுடியினர் (முதல் தேசங்கள், மெடிஸ், இனுக்/இனுயிட் வம்சாவளி)",
            ),
        ),
        (
            "latino",
            _texts(
                en="Latino (for example, Latin American, Hispanic descent)",
                fr="Latino (par exemple, d’origine latino-américaine ou hispanique)",
                ar="لاتيني (مثلًا: من أصل أمريكي لاتيني أو هسباني)",
                ur="لاطینی (مثلاً لاطینی امریکی، ہسپانوی نسل)",
                pa="ਲਾਤੀਨੀ (ਉਦਾਹਰਨ ਲਈ ਲਾਤੀਨੀ ਅਮਰੀਕੀ, ਹਿਸਪੈਨਿਕ ਮੂਲ)",
                zh="拉丁裔（例如拉丁美洲、西班牙语裔血统）",
                tl="Latino (halimbawa, may lahing Latin American, Hispanic)",
                es="Latina (por ejemplo, de ascendencia latinoamericana o hispana)",
                pt="Latina (por exemplo, de ascendência latino-americana ou hispânica)",
                ta="லத்தீனோ (எ.கா. லத்தீன் அமெரிக்க, ஹிஸ்பானிக் வம்சாவளி)",
            ),
        ),
        (
            "middle_eastern",
            _texts(
                en=(
                    "Middle Eastern (for example, Arab, Persian, West Asian descent such as "
                    "Afghan, Egyptian, Iranian, Lebanese, Turkish, Kurdish)"
                ),
                fr=(
                    "Moyen-Orientale (par exemple, d’origine arabe, perse ou ouest-asiatique : "
                    "afghane, égyptienne, iranienne, libanaise, turque, kurde)"
                ),
                ar=(
                    "من الشرق الأوسط (مثلًا: من أصل عربي أو فارسي أو من غرب آسيا، مثل الأفغان "
                    "والمصريين والإيرانيين واللبنانيين والأتراك والأكراد)"
                ),
                ur=(
                    "مشرق وسطیٰ (مثلاً عرب، فارسی، مغربی ایشیائی نسل جیسے افغان، مصری، ایرانی، "
                    "لبنانی، ترک، کرد)"
                ),
                pa=(
                    "ਮੱਧ ਪੂਰਬੀ (ਉਦਾਹਰਨ ਲਈ ਅਰਬ, ਫ਼ਾਰਸੀ, ਪੱਛਮੀ ਏਸ਼ੀਆਈ ਮੂਲ ਜਿਵੇਂ ਅਫ਼ਗਾਨ, ਮਿਸਰੀ, "
                    "ਈਰਾਨੀ, ਲੇਬਨਾਨੀ, ਤੁਰਕ, ਕੁਰਦ)"
                ),
                zh="中东裔（例如阿拉伯、波斯、西亚血统，如阿富汗、埃及、伊朗、黎巴嫩、土耳其、库尔德）",
                tl=(
                    "Middle Eastern (halimbawa, may lahing Arabo, Persian, West Asian gaya ng "
                    "Afghan, Egyptian, Iranian, Lebanese, Turkish, Kurdish)"
                ),
                es=(
                    "De Oriente Medio (por ejemplo, de ascendencia árabe, persa o de Asia "
                    "occidental, como afgana, egipcia, iraní, libanesa, turca o kurda)"
                ),
                pt=(
                    "Do Médio Oriente (por exemplo, de ascendência árabe, persa ou da Ásia "
                    "Ocidental, como afegã, egípcia, iraniana, libanesa, turca ou curda)"
                ),
                ta=(
                    "மத்திய கிழக்கு (எ.கா. அரபு, பாரசீக, மேற்கு ஆசிய வம்சாவளி — ஆப்கானிய, "
                    "எகிப்திய, ஈரானிய, லெபனானிய, துருக்கிய, குர்திய)"
                ),
            ),
        ),
        (
            "south_asian",
            _texts(
                en=(
                    "South Asian (for example, East Indian, Pakistani, Bangladeshi, Sri Lankan, "
                    "Indo-Caribbean descent)"
                ),
                fr=(
                    "Sud-Asiatique (par exemple, d’origine indienne, pakistanaise, bangladaise, "
                    "sri-lankaise ou indo-caribéenne)"
                ),
                ar=(
                    "من جنوب آسيا (مثلًا: من أصل هندي أو باكستاني أو بنغلاديشي أو سريلانكي أو "
                    "هندي كاريبي)"
                ),
                ur="جنوبی ایشیائی (مثلاً ہندوستانی، پاکستانی، بنگلہ دیشی، سری لنکن، انڈو کیریبین نسل)",
                pa="ਦੱਖਣੀ ਏਸ਼ੀਆਈ (ਉਦਾਹਰਨ ਲਈ ਭਾਰਤੀ, ਪਾਕਿਸਤਾਨੀ, ਬੰਗਲਾਦੇਸ਼ੀ, ਸ੍ਰੀਲੰਕਾਈ, ਇੰਡੋ-ਕੈਰੇਬੀਅਨ ਮੂਲ)",
                zh="南亚裔（例如印度、巴基斯坦、孟加拉国、斯里兰卡、印度裔加勒比血统）",
                tl=(
                    "South Asian (halimbawa, may lahing East Indian, Pakistani, Bangladeshi, "
                    "Sri Lankan, Indo-Caribbean)"
                ),
                es=(
                    "Sudasiática (por ejemplo, de ascendencia india, pakistaní, bangladesí, "
                    "esrilanquesa o indocaribeña)"
                ),
                pt=(
                    "Sul-asiática (por exemplo, de ascendência indiana, paquistanesa, "
                    "bengalesa, cingalesa ou indo-caribenha)"
                ),
                ta="தெற்காசியர் (எ.கா. இந்திய, பாகிஸ்தானிய, வங்காளதேச, இலங்கை, இந்தோ-கரீபிய வம்சாவளி)",
            ),
        ),
        (
            "southeast_asian",
            _texts(
                en=(
                    "Southeast Asian (for example, Filipino, Vietnamese, Cambodian, Thai, "
                    "Indonesian descent)"
                ),
                fr=(
                    "Asiatique du Sud-Est (par exemple, d’origine philippine, vietnamienne, "
                    "cambodgienne, thaïlandaise ou indonésienne)"
                ),
                ar=(
                    "من جنوب شرق آسيا (مثلًا: من أصل فلبيني أو فيتنامي أو كمبودي أو تايلاندي "
                    "أو إندونيسي)"
                ),
                ur="جنوب مشرقی ایشیائی (مثلاً فلپائنی، ویتنامی، کمبوڈین، تھائی، انڈونیشیائی نسل)",
                pa="ਦੱਖਣ-ਪੂਰਬੀ ਏਸ਼ੀਆਈ (ਉਦਾਹਰਨ ਲਈ ਫ਼ਿਲਪੀਨੀ, ਵੀਅਤਨਾਮੀ, ਕੰਬੋਡੀਆਈ, ਥਾਈ, ਇੰਡੋਨੇਸ਼ੀਆਈ ਮੂਲ)",
                zh="东南亚裔（例如菲律宾、越南、柬埔寨、泰国、印度尼西亚血统）",
                tl=(
                    "Southeast Asian (halimbawa, may lahing Pilipino, Vietnamese, Cambodian, "
                    "Thai, Indonesian)"
                ),
                es=(
                    "Del Sudeste Asiático (por ejemplo, de ascendencia filipina, vietnamita, "
                    "camboyana, tailandesa o indonesia)"
                ),
                pt=(
                    "Do Sudeste Asiático (por exemplo, de ascendência filipina, vietnamita, "
                    "cambojana, tailandesa ou indonésia)"
                ),
                ta="தென்கிழக்கு ஆசியர் (எ.கா. பிலிப்பைன்ஸ், வியட்நாமிய, கம்போடிய, தாய், இந்தோனேசிய வம்சாவளி)",
            ),
        ),
        (
            "white",
            _texts(
                en="White (European descent)",
                fr="Blanche (d’origine européenne)",
                ar="أبيض (من أصل أوروبي)",
                ur="سفید فام (یورپی نسل)",
                pa="ਗੋਰੇ (ਯੂਰਪੀ ਮੂਲ)",
                zh="白人（欧洲血统）",
                tl="Puti (may lahing European)",
                es="Blanca (de ascendencia europea)",
                pt="Branca (de ascendência europeia)",
                ta="வெள்ளையினத்தவர் (ஐரோப்பிய வம்சாவளி)",
            ),
        ),
        (
            "another_race",
            _texts(
                en="Another race category",
                fr="Autre catégorie raciale",
                ar="فئة عرقية أخرى",
                ur="کوئی اور نسلی زمرہ",
                pa="ਕੋਈ ਹੋਰ ਨਸਲੀ ਸ਼੍ਰੇਣੀ",
                zh="其他种族类别",
                tl="Ibang kategorya ng lahi",
                es="Otra categoría racial",
                pt="Outra categoria racial",
                ta="வேறு இனப் பிரிவு",
            ),
        ),
    ],
    hint=_texts(
        en=(
            "In our society, people are often described by their race or racial background. "
            "These categories are not based in science, but your race may influence how you "
            "are treated by individuals and institutions."
        ),
        fr=(
            "Dans notre société, les gens sont souvent décrits selon leur race ou leur origine "
            "raciale. Ces catégories ne reposent pas sur la science, mais votre race peut "
            "influencer la façon dont les personnes et les institutions vous traitent."
        ),
        ar=(
            "في مجتمعنا، كثيرًا ما يُوصف الناس بحسب عِرقهم أو خلفيتهم العرقية. هذه الفئات لا "
            "تستند إلى العلم، لكن عِرقك قد يؤثر في طريقة معاملة الأفراد والمؤسسات لك."
        ),
        ur=(
            "ہمارے معاشرے میں لوگوں کو اکثر ان کی نسل یا نسلی پس منظر سے بیان کیا جاتا ہے۔ یہ "
            "زمرے سائنس پر مبنی نہیں ہیں، لیکن آپ کی نسل اس بات پر اثر ڈال سکتی ہے کہ افراد اور "
            "ادارے آپ کے ساتھ کیسا سلوک کرتے ہیں۔"
        ),
        pa=(
            "ਸਾਡੇ ਸਮਾਜ ਵਿੱਚ ਲੋਕਾਂ ਨੂੰ ਅਕਸਰ ਉਨ੍ਹਾਂ ਦੀ ਨਸਲ ਜਾਂ ਨਸਲੀ ਪਿਛੋਕੜ ਨਾਲ ਬਿਆਨ ਕੀਤਾ ਜਾਂਦਾ "
            "ਹੈ। ਇਹ ਸ਼੍ਰੇਣੀਆਂ ਵਿਗਿਆਨ ’ਤੇ ਅਧਾਰਤ ਨਹੀਂ ਹਨ, ਪਰ ਤੁਹਾਡੀ ਨਸਲ ਇਸ ਗੱਲ ’ਤੇ ਅਸਰ ਪਾ ਸਕਦੀ "
            "ਹੈ ਕਿ ਲੋਕ ਅਤੇ ਸੰਸਥਾਵਾਂ ਤੁਹਾਡੇ ਨਾਲ ਕਿਵੇਂ ਪੇਸ਼ ਆਉਂਦੇ ਹਨ।"
        ),
        zh=(
            "在我们的社会中，人们常常按种族或种族背景被描述。这些类别并非基于科学，"
            "但您的种族可能会影响个人和机构对待您的方式。"
        ),
        tl=(
            "Sa ating lipunan, madalas ilarawan ang mga tao ayon sa kanilang lahi o pinagmulang "
            "lahi. Hindi nakabatay sa agham ang mga kategoryang ito, ngunit maaaring makaapekto "
            "ang iyong lahi sa pagtrato sa iyo ng mga tao at institusyon."
        ),
        es=(
            "En nuestra sociedad, a menudo se describe a las personas por su raza u origen "
            "racial. Estas categorías no tienen base científica, pero su raza puede influir en "
            "cómo le tratan las personas y las instituciones."
        ),
        pt=(
            "Na nossa sociedade, as pessoas são muitas vezes descritas pela sua raça ou origem "
            "racial. Estas categorias não têm base científica, mas a sua raça pode influenciar "
            "a forma como as pessoas e as instituições o/a tratam."
        ),
        ta=(
            "நமது சமூகத்தில் மக்கள் பெரும்பாலும் அவர்களின் இனம் அல்லது இனப் பின்னணியால் "
            "விவரிக்கப்படுகிறார்கள். இந்தப் பிரிவுகள் அறிவியல் அடிப்படையிலானவை அல்ல, ஆனால் "
            "தனிநபர்களும் நிறுவனங்களும் உங்களை நடத்தும் விதத்தில் உங்கள் இனம் தாக்கம் "
            "செலுத்தக்கூடும்."
        ),
    ),
)

# Statistics Canada's two-step question: sex at birth, then current gender.
SEX_AT_BIRTH = _question(
    "sex_at_birth",
    SINGLE_CHOICE,
    _texts(
        en="What was your sex at birth?",
        fr="Quel était votre sexe à la naissance?",
        ar="ما جنسك عند الولادة؟",
        ur="پیدائش کے وقت آپ کی جنس کیا تھی؟",
        pa="ਜਨਮ ਸਮੇਂ ਤੁਹਾਡਾ ਲਿੰਗ ਕੀ ਸੀ?",
        zh="您出生时的性别是什么？",
        tl="Ano ang iyong kasarian noong ipinanganak ka?",
        es="¿Cuál fue su sexo al nacer?",
        pt="Qual era o seu sexo ao nascer?",
        ta="பிறப்பின்போது உங்களுக்குப் பதிவுசெய்யப்பட்ட பாலினம் என்ன?",
    ),
    [
        (
            "male",
            _texts(
                en="Male",
                fr="Masculin",
                ar="ذكر",
                ur="مذکر",
                pa="ਪੁਰਸ਼",
                zh="男",
                tl="Lalaki",
                es="Masculino",
                pt="Masculino",
                ta="ஆண்",
            ),
        ),
        (
            "female",
            _texts(
                en="Female",
                fr="Féminin",
                ar="أنثى",
                ur="مؤنث",
                pa="ਇਸਤਰੀ",
                zh="女",
                tl="Babae",
                es="Femenino",
                pt="Feminino",
                ta="பெண்",
            ),
        ),
    ],
    hint=_texts(
        en="Sex refers to the sex assigned at birth.",
        fr="Il s’agit du sexe assigné à la naissance.",
        ar="المقصود هو الجنس المُسجَّل عند الولادة.",
        ur="اس سے مراد پیدائش کے وقت درج کی گئی جنس ہے۔",
        pa="ਇਸਦਾ ਮਤਲਬ ਜਨਮ ਸਮੇਂ ਦਰਜ ਕੀਤਾ ਗਿਆ ਲਿੰਗ ਹੈ।",
        zh="指出生时登记的性别。",
        tl="Tumutukoy ito sa kasariang itinalaga noong kapanganakan.",
        es="Se refiere al sexo asignado al nacer.",
        pt="Refere-se ao sexo atribuído ao nascer.",
        ta="இது பிறப்பின்போது பதிவுசெய்யப்பட்ட பாலினத்தைக் குறிக்கிறது.",
    ),
)

GENDER = _question(
    "gender",
    SINGLE_CHOICE,
    _texts(
        en="What is your gender?",
        fr="Quel est votre genre?",
        ar="ما هو نوعك الاجتماعي؟",
        ur="آپ کی صنف کیا ہے؟",
        pa="ਤੁਹਾਡੀ ਲਿੰਗ ਪਛਾਣ ਕੀ ਹੈ?",
        zh="您的社会性别是什么？",
        tl="Ano ang iyong kasarian (gender)?",
        es="¿Cuál es su género?",
        pt="Qual é o seu género?",
        ta="உங்கள் பாலின அடையாளம் என்ன?",
    ),
    [
        (
            "man",
            _texts(
                en="Man",
                fr="Homme",
                ar="رجل",
                ur="مرد",
                pa="ਆਦਮੀ",
                zh="男性",
                tl="Lalaki",
                es="Hombre",
                pt="Homem",
                ta="ஆண்",
            ),
        ),
        (
            "woman",
            _texts(
                en="Woman",
                fr="Femme",
                ar="امرأة",
                ur="عورت",
                pa="ਔਰਤ",
                zh="女性",
                tl="Babae",
                es="Mujer",
                pt="Mulher",
                ta="பெண்",
            ),
        ),
        (
            "another_gender",
            _texts(
                en="Another gender",
                fr="Autre genre",
                ar="نوع اجتماعي آخر",
                ur="کوئی اور صنف",
                pa="ਕੋਈ ਹੋਰ ਲਿੰਗ ਪਛਾਣ",
                zh="其他性别",
                tl="Ibang kasarian",
                es="Otro género",
                pt="Outro género",
                ta="வேறு பாலின அடையாளம்",
            ),
        ),
    ],
    hint=_texts(
        en=(
            "Gender refers to your current gender, which may be different from your sex at "
            "birth and from what is on your legal documents."
        ),
        fr=(
            "Il s’agit de votre genre actuel, qui peut être différent de votre sexe à la "
            "naissance et de celui qui figure sur vos documents officiels."
        ),
        ar=(
            "المقصود هو نوعك الاجتماعي الحالي، وقد يختلف عن جنسك عند الولادة وعمّا هو مُدوَّن "
            "في وثائقك الرسمية."
        ),
        ur=(
            "اس سے مراد آپ کی موجودہ صنف ہے، جو پیدائش کے وقت کی جنس اور آپ کی قانونی دستاویزات "
            "میں درج صنف سے مختلف ہو سکتی ہے۔"
        ),
        pa=(
            "ਇਸਦਾ ਮਤਲਬ ਤੁਹਾਡੀ ਮੌਜੂਦਾ ਲਿੰਗ ਪਛਾਣ ਹੈ, ਜੋ ਜਨਮ ਸਮੇਂ ਦੇ ਲਿੰਗ ਅਤੇ ਤੁਹਾਡੇ ਕਾਨੂੰਨੀ "
            "ਦਸਤਾਵੇਜ਼ਾਂ ਵਿੱਚ ਦਰਜ ਲਿੰਗ ਤੋਂ ਵੱਖਰੀ ਹੋ ਸਕਦੀ ਹੈ।"
        ),
        zh="指您目前的社会性别，可能与您出生时的性别以及法律证件上的性别不同。",
        tl=(
            "Tumutukoy ito sa iyong kasalukuyang kasarian, na maaaring iba sa iyong kasarian "
            "noong ipinanganak ka at sa nakasulat sa iyong mga legal na dokumento."
        ),
        es=(
            "Se refiere a su género actual, que puede ser diferente de su sexo al nacer y del "
            "que figura en sus documentos oficiales."
        ),
        pt=(
            "Refere-se ao seu género atual, que pode ser diferente do seu sexo ao nascer e do "
            "que consta dos seus documentos oficiais."
        ),
        ta=(
            "இது உங்களின் தற்போதைய பாலின அடையாளத்தைக் குறிக்கிறது; இது பிறப்பின்போது பதிவான "
            "பாலினத்திலிருந்தும் உங்கள் சட்ட ஆவணங்களில் உள்ளதிலிருந்தும் வேறுபடலாம்."
        ),
    ),
)


def _age_band_label(low: int | None, high: int | None) -> Texts:
    """Return an age band's label: under ``high``, ``low`` to ``high``, or ``low`` and over."""
    if low is None:
        return _texts(
            en=f"Under {high}",
            fr=f"Moins de {high} ans",
            ar=f"أقل من {high} سنة",
            ur=f"{high} سال سے کم",
            pa=f"{high} ਸਾਲ ਤੋਂ ਘੱਟ",
            zh=f"{high}岁以下",
            tl=f"Wala pang {high}",
            es=f"Menos de {high} años",
            pt=f"Menos de {high} anos",
            ta=f"{high} வயதுக்குக் குறைவு",
        )
    if high is None:
        return _texts(
            en=f"{low} or older",
            fr=f"{low} ans ou plus",
            ar=f"{low} سنة أو أكثر",
            ur=f"{low} سال یا زیادہ",
            pa=f"{low} ਸਾਲ ਜਾਂ ਵੱਧ",
            zh=f"{low}岁及以上",
            tl=f"{low} pataas",
            es=f"{low} años o más",
            pt=f"{low} anos ou mais",
            ta=f"{low} வயது அல்லது அதற்கு மேல்",
        )
    return _texts(
        en=f"{low} to {high}",
        fr=f"{low} à {high} ans",
        ar=f"من {low} إلى {high} سنة",
        ur=f"{low} سے {high} سال",
        pa=f"{low} ਤੋਂ {high} ਸਾਲ",
        zh=f"{low}至{high}岁",
        tl=f"{low} hanggang {high}",
        es=f"De {low} a {high} años",
        pt=f"{low} a {high} anos",
        ta=f"{low} முதல் {high} வயது",
    )


_AGE_BANDS = (
    (None, 18),
    (18, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 74),
    (75, None),
)

AGE_BAND = _question(
    "age_band",
    SINGLE_CHOICE,
    _texts(
        en="Which age group are you in?",
        fr="À quel groupe d’âge appartenez-vous?",
        ar="ما فئتك العمرية؟",
        ur="آپ کس عمر کے گروپ میں ہیں؟",
        pa="ਤੁਸੀਂ ਕਿਸ ਉਮਰ ਸਮੂਹ ਵਿੱਚ ਹੋ?",
        zh="您属于哪个年龄段？",
        tl="Saang pangkat ng edad ka kabilang?",
        es="¿En qué grupo de edad se encuentra?",
        pt="Em que faixa etária se encontra?",
        ta="நீங்கள் எந்த வயதுப் பிரிவில் உள்ளீர்கள்?",
    ),
    [
        (
            "age_under_18"
            if low is None
            else f"age_{low}_plus"
            if high is None
            else f"age_{low}_{high}",
            _age_band_label(low, high),
        )
        for low, high in _AGE_BANDS
    ],
)

# Washington Group Short Set: one question per domain, all answered on the same
# four-point difficulty scale.
WG_NO_DIFFICULTY = "no_difficulty"
WG_SOME_DIFFICULTY = "some_difficulty"
WG_A_LOT_OF_DIFFICULTY = "a_lot_of_difficulty"
WG_CANNOT_DO_AT_ALL = "cannot_do_at_all"

_WG_ANSWERS = (
    (
        WG_NO_DIFFICULTY,
        _texts(
            en="No, no difficulty",
            fr="Non, aucune difficulté",
            ar="لا، لا توجد صعوبة",
            ur="نہیں، کوئی دشواری نہیں",
            pa="ਨਹੀਂ, ਕੋਈ ਮੁਸ਼ਕਲ ਨਹੀਂ",
            zh="没有困难",
            tl="Hindi, walang hirap",
            es="No, ninguna dificultad",
            pt="Não, nenhuma dificuldade",
            ta="இல்லை, சிரமம் இல்லை",
        ),
    ),
    (
        WG_SOME_DIFFICULTY,
        _texts(
            en="Yes, some difficulty",
            fr="Oui, un peu de difficulté",
            ar="نعم، بعض الصعوبة",
            ur="ہاں، کچھ دشواری",
            pa="ਹਾਂ, ਕੁਝ ਮੁਸ਼ਕਲ",
            zh="有些困难",
            tl="Oo, may kaunting hirap",
            es="Sí, alguna dificultad",
            pt="Sim, alguma dificuldade",
            ta="ஆம், சிறிது சிரமம்",
        ),
    ),
    (
        WG_A_LOT_OF_DIFFICULTY,
        _texts(
            en="Yes, a lot of difficulty",
            fr="Oui, beaucoup de difficulté",
            ar="نعم، صعوبة كبيرة",
            ur="ہاں، بہت زیادہ دشواری",
            pa="ਹਾਂ, ਬਹੁਤ ਮੁਸ਼ਕਲ",
            zh="有很大困难",
            tl="Oo, labis na nahihirapan",
            es="Sí, mucha dificultad",
            pt="Sim, muita dificuldade",
            ta="ஆம், மிகுந்த சிரமம்",
        ),
    ),
    (
        WG_CANNOT_DO_AT_ALL,
        _texts(
            en="Cannot do at all",
            fr="Incapable de le faire",
            ar="لا أستطيع القيام بذلك على الإطلاق",
            ur="بالکل نہیں کر سکتے",
            pa="ਬਿਲਕੁਲ ਨਹੀਂ ਕਰ ਸਕਦੇ",
            zh="完全做不到",
            tl="Hindi talaga magawa",
            es="No puede hacerlo en absoluto",
            pt="Não consegue de todo",
            ta="செய்யவே முடியாது",
        ),
    ),
)

_WG_INTRODUCTION = _texts(
    en=(
        "The next questions ask about difficulties you may have doing certain activities "
        "because of a health problem."
    ),
    fr=(
        "Les questions suivantes portent sur les difficultés que vous pourriez avoir à faire "
        "certaines activités en raison d’un problème de santé."
    ),
    ar="تتعلق الأسئلة التالية بالصعوبات التي قد تواجهها في القيام ببعض الأنشطة بسبب مشكلة صحية.",
    ur=(
        "اگلے سوالات ان مشکلات کے بارے میں ہیں جو صحت کے کسی مسئلے کی وجہ سے آپ کو کچھ کام "
        "کرنے میں پیش آ سکتی ہیں۔"
    ),
    pa="ਅਗਲੇ ਸਵਾਲ ਉਨ੍ਹਾਂ ਮੁਸ਼ਕਲਾਂ ਬਾਰੇ ਹਨ ਜੋ ਕਿਸੇ ਸਿਹਤ ਸਮੱਸਿਆ ਕਾਰਨ ਤੁਹਾਨੂੰ ਕੁਝ ਕੰਮ ਕਰਨ ਵਿੱਚ ਆ ਸਕਦੀਆਂ ਹਨ।",
    zh="以下问题询问您因健康问题在进行某些活动时可能遇到的困难。",
    tl=(
        "Ang mga susunod na tanong ay tungkol sa mga hirap na maaaring nararanasan mo sa "
        "paggawa ng ilang gawain dahil sa isang problema sa kalusugan."
    ),
    es=(
        "Las siguientes preguntas tratan sobre las dificultades que usted podría tener para "
        "realizar ciertas actividades debido a un problema de salud."
    ),
    pt=(
        "As perguntas seguintes referem-se a dificuldades que possa ter em realizar certas "
        "atividades devido a um problema de saúde."
    ),
    ta=(
        "அடுத்த கேள்விகள், ஒரு உடல்நலப் பிரச்சினை காரணமாகச் சில செயல்களைச் செய்வதில் "
        "உங்களுக்கு ஏற்படக்கூடிய சிரமங்களைப் பற்றியவை."
    ),
)

_WG_DOMAINS = (
    (
        "wg_seeing",
        _texts(
            en="Do you have difficulty seeing, even if wearing glasses?",
            fr="Avez-vous de la difficulté à voir, même avec des lunettes?",
            ar="هل تجد صعوبة في الرؤية حتى مع ارتداء النظارات؟",
            ur="کیا آپ کو دیکھنے میں دشواری ہوتی ہے، چاہے آپ عینک پہنے ہوں؟",
            pa="ਕੀ ਤੁਹਾਨੂੰ ਐਨਕਾਂ ਲਾ ਕੇ ਵੀ ਦੇਖਣ ਵਿੱਚ ਮੁਸ਼ਕਲ ਆਉਂਦੀ ਹੈ?",
            zh="即使戴眼镜，您看东西是否有困难？",
            tl="Nahihirapan ka bang makakita, kahit nakasuot ng salamin?",
            es="¿Tiene dificultad para ver, incluso si usa anteojos o lentes?",
            pt="Tem dificuldade em ver, mesmo usando óculos?",
            ta="கண்ணாடி அணிந்திருந்தாலும் பார்ப்பதில் உங்களுக்குச் சிரமம் உள்ளதா?",
        ),
    ),
    (
        "wg_hearing",
        _texts(
            en="Do you have difficulty hearing, even if using a hearing aid?",
            fr="Avez-vous de la difficulté à entendre, même avec un appareil auditif?",
            ar="هل تجد صعوبة في السمع حتى مع استخدام سماعة الأذن؟",
            ur="کیا آپ کو سننے میں دشواری ہوتی ہے، چاہے آپ سماعت کا آلہ استعمال کرتے ہوں؟",
            pa="ਕੀ ਤੁਹਾਨੂੰ ਸੁਣਨ ਵਾਲੀ ਮਸ਼ੀਨ ਵਰਤ ਕੇ ਵੀ ਸੁਣਨ ਵਿੱਚ ਮੁਸ਼ਕਲ ਆਉਂਦੀ ਹੈ?",
            zh="即使使用助听器，您听声音是否有困难？",
            tl="Nahihirapan ka bang makarinig, kahit gumagamit ng hearing aid?",
            es="¿Tiene dificultad para oír, incluso si usa un audífono?",
            pt="Tem dificuldade em ouvir, mesmo usando aparelho auditivo?",
            ta="காது கேட்கும் கருவியைப் பயன்படுத்தினாலும் கேட்பதில் உங்களுக்குச் சிரமம் உள்ளதா?",
        ),
    ),
    (
        "wg_walking",
        _texts(
            en="Do you have difficulty walking or climbing steps?",
            fr="Avez-vous de la difficulté à marcher ou à monter des marches?",
            ar="هل تجد صعوبة في المشي أو صعود الدرج؟",
            ur="کیا آپ کو چلنے یا سیڑھیاں چڑھنے میں دشواری ہوتی ہے؟",
            pa="ਕੀ ਤੁਹਾਨੂੰ ਤੁਰਨ ਜਾਂ ਪੌੜੀਆਂ ਚੜ੍ਹਨ ਵਿੱਚ ਮੁਸ਼ਕਲ ਆਉਂਦੀ ਹੈ?",
            zh="您走路或上台阶是否有困难？",
            tl="Nahihirapan ka bang maglakad o umakyat ng hagdan?",
            es="¿Tiene dificultad para caminar o subir escalones?",
            pt="Tem dificuldade em andar ou subir degraus?",
            ta="நடப்பதில் அல்லது படிகளில் ஏறுவதில் உங்களுக்குச் சிரமம் உள்ளதா?",
        ),
    ),
    (
        "wg_remembering",
        _texts(
            en="Do you have difficulty remembering or concentrating?",
            fr="Avez-vous de la difficulté à vous souvenir ou à vous concentrer?",
            ar="هل تجد صعوبة في التذكّر أو التركيز؟",
            ur="کیا آپ کو یاد رکھنے یا توجہ مرکوز کرنے میں دشواری ہوتی ہے؟",
            pa="ਕੀ ਤੁਹਾਨੂੰ ਯਾਦ ਰੱਖਣ ਜਾਂ ਧਿਆਨ ਲਗਾਉਣ ਵਿੱਚ ਮੁਸ਼ਕਲ ਆਉਂਦੀ ਹੈ?",
            zh="您记忆或集中注意力是否有困难？",
            tl="Nahihirapan ka bang makaalala o mag-concentrate?",
            es="¿Tiene dificultad para recordar o concentrarse?",
            pt="Tem dificuldade em lembrar-se de coisas ou em concentrar-se?",
            ta="நினைவில் வைத்துக்கொள்வதில் அல்லது கவனம் செலுத்துவதில் உங்களுக்குச் சிரமம் உள்ளதா?",
        ),
    ),
    (
        "wg_self_care",
        _texts(
            en="Do you have difficulty with self-care, such as washing all over or dressing?",
            fr=(
                "Avez-vous de la difficulté à prendre soin de vous, par exemple à vous laver "
                "entièrement ou à vous habiller?"
            ),
            ar="هل تجد صعوبة في العناية الذاتية، مثل الاستحمام أو ارتداء الملابس؟",
            ur="کیا آپ کو اپنی دیکھ بھال، جیسے پورا جسم دھونے یا کپڑے پہننے میں دشواری ہوتی ہے؟",
            pa="ਕੀ ਤੁਹਾਨੂੰ ਆਪਣੀ ਦੇਖਭਾਲ, ਜਿਵੇਂ ਪੂਰਾ ਨਹਾਉਣ ਜਾਂ ਕੱਪੜੇ ਪਾਉਣ ਵਿੱਚ ਮੁਸ਼ਕਲ ਆਉਂਦੀ ਹੈ?",
            zh="您在自我照顾方面（例如全身洗浴或穿衣）是否有困难？",
            tl="Nahihirapan ka bang alagaan ang iyong sarili, gaya ng paliligo o pagbibihis?",
            es="¿Tiene dificultad para cuidarse, como lavarse todo el cuerpo o vestirse?",
            pt="Tem dificuldade em cuidar de si, por exemplo, lavar-se ou vestir-se?",
            ta=(
                "முழுமையாகக் குளிப்பது அல்லது உடை அணிவது போன்ற தன்னைத்தானே "
                "கவனித்துக்கொள்வதில் உங்களுக்குச் சிரமம் உள்ளதா?"
            ),
        ),
    ),
    (
        "wg_communicating",
        _texts(
            en=(
                "Using your usual language, do you have difficulty communicating, for "
                "example understanding or being understood?"
            ),
            fr=(
                "En utilisant votre langue habituelle, avez-vous de la difficulté à "
                "communiquer, par exemple à comprendre les autres ou à vous faire comprendre?"
            ),
            ar=(
                "هل تجد صعوبة في التواصل باستخدام لغتك المعتادة، مثل أن تفهم الآخرين أو أن يفهموك؟"
            ),
            ur=(
                "اپنی معمول کی زبان استعمال کرتے ہوئے، کیا آپ کو بات چیت کرنے میں دشواری ہوتی "
                "ہے، مثلاً دوسروں کو سمجھنے یا اپنی بات سمجھانے میں؟"
            ),
            pa=(
                "ਆਪਣੀ ਆਮ ਬੋਲੀ ਵਰਤਦਿਆਂ, ਕੀ ਤੁਹਾਨੂੰ ਗੱਲਬਾਤ ਕਰਨ ਵਿੱਚ ਮੁਸ਼ਕਲ ਆਉਂਦੀ ਹੈ, ਜਿਵੇਂ "
                "ਦੂਜਿਆਂ ਨੂੰ ਸਮਝਣ ਜਾਂ ਆਪਣੀ ਗੱਲ ਸਮਝਾਉਣ ਵਿੱਚ?"
            ),
            zh="使用您惯用的语言时，您在沟通方面（例如理解他人或让他人理解您）是否有困难？",
            tl=(
                "Gamit ang wikang karaniwan mong ginagamit, nahihirapan ka bang makipag-usap, "
                "halimbawa ang umunawa o maunawaan ng iba?"
            ),
            es=(
                "Usando su idioma habitual, ¿tiene dificultad para comunicarse, por ejemplo, "
                "para entender a los demás o para que le entiendan?"
            ),
            pt=(
                "Usando a sua língua habitual, tem dificuldade em comunicar, por exemplo, em "
                "compreender os outros ou em fazer-se compreender?"
            ),
            ta=(
                "உங்கள் வழக்கமான மொழியைப் பயன்படுத்தும்போது, பிறரைப் புரிந்துகொள்வது அல்லது "
                "பிறரால் புரிந்துகொள்ளப்படுவது போன்ற தொடர்புகொள்வதில் உங்களுக்குச் சிரமம் உள்ளதா?"
            ),
        ),
    ),
)

DISABILITY_DIMENSION = "disability"

# The six share the ``disability`` dimension: the analysis must not break results
# down by each domain but by the one status ``washington_group_disability_status``
# derives from all six (see ``DERIVED_DIMENSIONS``).
WASHINGTON_GROUP_QUESTIONS = tuple(
    _question(
        name,
        SINGLE_CHOICE,
        label,
        _WG_ANSWERS,
        dimension=DISABILITY_DIMENSION,
        hint=_WG_INTRODUCTION if index == 0 else None,
    )
    for index, (name, label) in enumerate(_WG_DOMAINS)
)

WITH_DISABILITY = "with_disability"
WITHOUT_DISABILITY = "without_disability"

# Choices of the derived disability dimension, for reports.
DISABILITY_STATUS_CHOICES = (
    ChoiceDefinition(
        WITH_DISABILITY,
        _texts(
            en="With a disability",
            fr="Avec une incapacité",
            ar="من ذوي الإعاقة",
            ur="معذوری کے ساتھ",
            pa="ਅਪੰਗਤਾ ਵਾਲੇ",
            zh="有残疾",
            tl="May kapansanan",
            es="Con discapacidad",
            pt="Com deficiência",
            ta="மாற்றுத்திறன் உடையவர்",
        ),
    ),
    ChoiceDefinition(
        WITHOUT_DISABILITY,
        _texts(
            en="Without a disability",
            fr="Sans incapacité",
            ar="بدون إعاقة",
            ur="بغیر معذوری",
            pa="ਬਿਨਾਂ ਅਪੰਗਤਾ",
            zh="无残疾",
            tl="Walang kapansanan",
            es="Sin discapacidad",
            pt="Sem deficiência",
            ta="மாற்றுத்திறன் இல்லாதவர்",
        ),
    ),
)


def washington_group_disability_status(answers: Mapping[str, str]) -> str | None:
    """Derive one disability status from a respondent's six Washington Group answers.

    ``answers`` maps question names (``wg_seeing`` ...) to the chosen choice name.
    This is the Washington Group's recommended cut-off for comparing people with and
    without disabilities: ``with_disability`` when at least one domain is "a lot of
    difficulty" or "cannot do at all"; otherwise ``without_disability`` when at least
    one domain was answered ("some difficulty" does not reach the cut-off). A
    respondent who answered no domain gets None (missing), or
    ``prefer_not_to_answer`` if they chose that for every domain they were shown.
    """
    return disability_status_of_choices(
        answers.get(question.name) for question in WASHINGTON_GROUP_QUESTIONS
    )


def disability_status_of_choices(chosen: Iterable[str | None]) -> str | None:
    """Derive the Washington Group status from the choices given in any of the domains."""
    chosen = set(chosen)
    if chosen & {WG_A_LOT_OF_DIFFICULTY, WG_CANNOT_DO_AT_ALL}:
        return WITH_DISABILITY
    if chosen & {WG_NO_DIFFICULTY, WG_SOME_DIFFICULTY}:
        return WITHOUT_DISABILITY
    if PREFER_NOT_TO_ANSWER in chosen:
        return PREFER_NOT_TO_ANSWER
    return None


# Dimensions computed from several questions rather than read from one answer.
# The function takes a respondent's answers (question name -> choice name).
DERIVED_DIMENSIONS: dict[str, Callable[[Mapping[str, str]], str | None]] = {
    DISABILITY_DIMENSION: washington_group_disability_status,
}

HOME_LANGUAGE = _question(
    "home_language",
    SINGLE_CHOICE,
    _texts(
        en="What language do you speak most often at home?",
        fr="Quelle langue parlez-vous le plus souvent à la maison?",
        ar="ما اللغة التي تتحدثها في أغلب الأحيان في المنزل؟",
        ur="آپ گھر پر سب سے زیادہ کون سی زبان بولتے ہیں؟",
        pa="ਤੁਸੀਂ ਘਰ ਵਿੱਚ ਸਭ ਤੋਂ ਵੱਧ ਕਿਹੜੀ ਭਾਸ਼ਾ ਬੋਲਦੇ ਹੋ?",
        zh="您在家中最常说哪种语言？",
        tl="Anong wika ang pinakamadalas mong ginagamit sa bahay?",
        es="¿Qué idioma habla con más frecuencia en casa?",
        pt="Que língua fala com mais frequência em casa?",
        ta="வீட்டில் நீங்கள் பெரும்பாலும் எந்த மொழியைப் பேசுகிறீர்கள்?",
    ),
    [
        (
            "english",
            _texts(
                en="English",
                fr="Anglais",
                ar="الإنجليزية",
                ur="انگریزی",
                pa="ਅੰਗਰੇਜ਼ੀ",
                zh="英语",
                tl="Ingles",
                es="Inglés",
                pt="Inglês",
                ta="ஆங்கிலம்",
            ),
        ),
        (
            "french",
            _texts(
                en="French",
                fr="Français",
                ar="الفرنسية",
                ur="فرانسیسی",
                pa="ਫ਼ਰਾਂਸੀਸੀ",
                zh="法语",
                tl="Pranses",
                es="Francés",
                pt="Francês",
                ta="பிரெஞ்சு",
            ),
        ),
        (
            "punjabi",
            _texts(
                en="Punjabi",
                fr="Pendjabi",
                ar="البنجابية",
                ur="پنجابی",
                pa="ਪੰਜਾਬੀ",
                zh="旁遮普语",
                tl="Punjabi",
                es="Panyabí",
                pt="Panjabi",
                ta="பஞ்சாபி",
            ),
        ),
        (
            "urdu",
            _texts(
                en="Urdu",
                fr="Ourdou",
                ar="الأردية",
                ur="اردو",
                pa="ਉਰਦੂ",
                zh="乌尔都语",
                tl="Urdu",
                es="Urdu",
                pt="Urdu",
                ta="உருது",
            ),
        ),
        (
            "arabic",
            _texts(
                en="Arabic",
                fr="Arabe",
                ar="العربية",
                ur="عربی",
                pa="ਅਰਬੀ",
                zh="阿拉伯语",
                tl="Arabe",
                es="Árabe",
                pt="Árabe",
                ta="அரபு",
            ),
        ),
        (
            "chinese",
            _texts(
                en="Chinese (Mandarin, Cantonese)",
                fr="Chinois (mandarin, cantonais)",
                ar="الصينية (الماندرين، الكانتونية)",
                ur="چینی (مینڈرن، کینٹونیز)",
                pa="ਚੀਨੀ (ਮੈਂਡਰਿਨ, ਕੈਂਟੋਨੀਜ਼)",
                zh="中文（普通话、粤语）",
                tl="Chinese (Mandarin, Cantonese)",
                es="Chino (mandarín, cantonés)",
                pt="Chinês (mandarim, cantonês)",
                ta="சீனம் (மாண்டரின், கண்டோனீஸ்)",
            ),
        ),
        (
            "tagalog",
            _texts(
                en="Tagalog (Filipino)",
                fr="Tagalog (filipino)",
                ar="التاغالوغية (الفلبينية)",
                ur="ٹیگالوگ (فلپینو)",
                pa="ਤਾਗਾਲੋਗ (ਫ਼ਿਲਪੀਨੋ)",
                zh="他加禄语（菲律宾语）",
                tl="Tagalog (Filipino)",
                es="Tagalo (filipino)",
                pt="Tagalo (filipino)",
                ta="டகலாக் (பிலிப்பினோ)",
            ),
        ),
        (
            "spanish",
            _texts(
                en="Spanish",
                fr="Espagnol",
                ar="الإسبانية",
                ur="ہسپانوی",
                pa="ਸਪੈਨਿਸ਼",
                zh="西班牙语",
                tl="Espanyol",
                es="Español",
                pt="Espanhol",
                ta="ஸ்பானிஷ்",
            ),
        ),
        (
            "portuguese",
            _texts(
                en="Portuguese",
                fr="Portugais",
                ar="البرتغالية",
                ur="پرتگالی",
                pa="ਪੁਰਤਗਾਲੀ",
                zh="葡萄牙语",
                tl="Portuges",
                es="Portugués",
                pt="Português",
                ta="போர்த்துகீசியம்",
            ),
        ),
        (
            "tamil",
            _texts(
                en="Tamil",
                fr="Tamoul",
                ar="التاميلية",
                ur="تمل",
                pa="ਤਮਿਲ",
                zh="泰米尔语",
                tl="Tamil",
                es="Tamil",
                pt="Tâmil",
                ta="தமிழ்",
            ),
        ),
        (
            "indigenous_language",
            _texts(
                en="An Indigenous language",
                fr="Une langue autochtone",
                ar="إحدى لغات السكان الأصليين",
                ur="کوئی مقامی (انڈیجینس) زبان",
                pa="ਕੋਈ ਮੂਲ ਨਿਵਾਸੀ ਭਾਸ਼ਾ",
                zh="一种原住民语言",
                tl="Isang katutubong wika",
                es="Una lengua indígena",
                pt="Uma língua indígena",
                ta="ஒரு பூர்வகுடி மொழி",
            ),
        ),
        (
            "another_language",
            _texts(
                en="Another language",
                fr="Une autre langue",
                ar="لغة أخرى",
                ur="کوئی اور زبان",
                pa="ਕੋਈ ਹੋਰ ਭਾਸ਼ਾ",
                zh="其他语言",
                tl="Ibang wika",
                es="Otro idioma",
                pt="Outra língua",
                ta="வேறு மொழி",
            ),
        ),
    ],
)

_AREA_LABEL = _texts(
    en="Which ward or area do you live in?",
    fr="Dans quel quartier ou secteur habitez-vous?",
    ar="في أي دائرة أو منطقة تسكن؟",
    ur="آپ کس وارڈ یا علاقے میں رہتے ہیں؟",
    pa="ਤੁਸੀਂ ਕਿਸ ਵਾਰਡ ਜਾਂ ਇਲਾਕੇ ਵਿੱਚ ਰਹਿੰਦੇ ਹੋ?",
    zh="您住在哪个选区或地区？",
    tl="Saang ward o lugar ka nakatira?",
    es="¿En qué distrito o zona vive?",
    pt="Em que distrito municipal ou zona vive?",
    ta="நீங்கள் எந்த வார்டு அல்லது பகுதியில் வசிக்கிறீர்கள்?",
)

PLACEHOLDER_WARD_COUNT = 10


def _ward_label(number: int) -> Texts:
    """Return "Ward <number>" in every built-in language."""
    return _texts(
        en=f"Ward {number}",
        fr=f"Quartier {number}",
        ar=f"الدائرة {number}",
        ur=f"وارڈ {number}",
        pa=f"ਵਾਰਡ {number}",
        zh=f"第{number}选区",
        tl=f"Ward {number}",
        es=f"Distrito {number}",
        pt=f"Distrito {number}",
        ta=f"வார்டு {number}",
    )


def area_question(areas: Sequence[str] | None = None) -> QuestionDefinition:
    """Return the ward-or-area question for a municipality's own ``areas``.

    Without ``areas`` the choices are placeholders, "Ward 1" to "Ward 10"
    (``ward_1`` ... ``ward_10``), which staff edit to match their municipality.
    Given names (place names, shown as written in every language) are stored as
    ``area_1``, ``area_2`` ... in the order given.
    """
    if areas is None:
        choices = [
            (f"ward_{number}", _ward_label(number))
            for number in range(1, PLACEHOLDER_WARD_COUNT + 1)
        ]
    else:
        choices = [
            (f"area_{index}", dict.fromkeys(BUILT_IN_LANGUAGES, area))
            for index, area in enumerate(areas, start=1)
        ]
    return _question("area", SINGLE_CHOICE, _AREA_LABEL, choices)


def _dollars(language: str, amount: int) -> str:
    """Return a whole-dollar amount as written in ``language``."""
    if language in ("fr", "pt"):
        return f"{amount:,}".replace(",", "\u00a0") + "\u00a0$"
    if language == "ar":
        return f"{amount:,} دولار"
    if language == "ur":
        return f"{amount:,} ڈالر"
    if language == "zh-Hans":
        return f"{amount:,}加元"
    return f"${amount:,}"


def _income_band_label(low: int | None, high: int | None) -> Texts:
    """Return an income band's label: under ``high``, ``low``-``high``, or ``low`` and over."""
    amounts = {
        language: (_dollars(language, low or 0), _dollars(language, high or 0))
        for language in BUILT_IN_LANGUAGES
    }
    if low is None:
        return _texts(
            en=f"Under {amounts['en'][1]}",
            fr=f"Moins de {amounts['fr'][1]}",
            ar=f"أقل من {amounts['ar'][1]}",
            ur=f"{amounts['ur'][1]} سے کم",
            pa=f"{amounts['pa'][1]} ਤੋਂ ਘੱਟ",
            zh=f"低于{amounts['zh-Hans'][1]}",
            tl=f"Mas mababa sa {amounts['tl'][1]}",
            es=f"Menos de {amounts['es'][1]}",
            pt=f"Menos de {amounts['pt'][1]}",
            ta=f"{amounts['ta'][1]}-க்குக் குறைவு",
        )
    if high is None:
        return _texts(
            en=f"{amounts['en'][0]} and over",
            fr=f"{amounts['fr'][0]} et plus",
            ar=f"{amounts['ar'][0]} أو أكثر",
            ur=f"{amounts['ur'][0]} یا زیادہ",
            pa=f"{amounts['pa'][0]} ਜਾਂ ਵੱਧ",
            zh=f"{amounts['zh-Hans'][0]}及以上",
            tl=f"{amounts['tl'][0]} pataas",
            es=f"{amounts['es'][0]} o más",
            pt=f"{amounts['pt'][0]} ou mais",
            ta=f"{amounts['ta'][0]} அல்லது அதற்கு மேல்",
        )
    return _texts(
        en=f"{amounts['en'][0]} to {amounts['en'][1]}",
        fr=f"{amounts['fr'][0]} à {amounts['fr'][1]}",
        ar=f"من {amounts['ar'][0]} إلى {amounts['ar'][1]}",
        ur=f"{amounts['ur'][0]} سے {amounts['ur'][1]}",
        pa=f"{amounts['pa'][0]} ਤੋਂ {amounts['pa'][1]}",
        zh=f"{amounts['zh-Hans'][0]}至{amounts['zh-Hans'][1]}",
        tl=f"{amounts['tl'][0]} hanggang {amounts['tl'][1]}",
        es=f"De {amounts['es'][0]} a {amounts['es'][1]}",
        pt=f"{amounts['pt'][0]} a {amounts['pt'][1]}",
        ta=f"{amounts['ta'][0]} முதல் {amounts['ta'][1]} வரை",
    )


_INCOME_BANDS = (
    (None, 20_000),
    (20_000, 39_999),
    (40_000, 59_999),
    (60_000, 79_999),
    (80_000, 99_999),
    (100_000, 149_999),
    (150_000, None),
)

HOUSEHOLD_INCOME = _question(
    "household_income",
    SINGLE_CHOICE,
    _texts(
        en="What was your household’s total income before taxes last year?",
        fr="Quel était le revenu total de votre ménage avant impôts l’an dernier?",
        ar="ما إجمالي دخل أسرتك قبل الضرائب في العام الماضي؟",
        ur="پچھلے سال ٹیکس سے پہلے آپ کے گھرانے کی کل آمدنی کتنی تھی؟",
        pa="ਪਿਛਲੇ ਸਾਲ ਟੈਕਸ ਤੋਂ ਪਹਿਲਾਂ ਤੁਹਾਡੇ ਘਰ ਦੀ ਕੁੱਲ ਆਮਦਨ ਕਿੰਨੀ ਸੀ?",
        zh="去年您家庭的税前总收入是多少？",
        tl="Magkano ang kabuuang kita ng inyong sambahayan bago ang buwis noong nakaraang taon?",
        es="¿Cuál fue el ingreso total de su hogar antes de impuestos el año pasado?",
        pt="Qual foi o rendimento total do seu agregado familiar antes de impostos no ano passado?",
        ta="கடந்த ஆண்டு வரிகளுக்கு முன் உங்கள் குடும்பத்தின் மொத்த வருமானம் எவ்வளவு?",
    ),
    [
        (
            "income_under_20000"
            if low is None
            else f"income_{low}_plus"
            if high is None
            else f"income_{low}_{high}",
            _income_band_label(low, high),
        )
        for low, high in _INCOME_BANDS
    ],
)


@dataclass(frozen=True)
class BankEntry:
    """One item staff can add: a title (an ``N_`` string) and its questions."""

    id: str
    title: str
    questions: tuple[QuestionDefinition, ...]


_BANK_ENTRIES = (
    BankEntry("indigenous", N_("Indigenous identity"), (INDIGENOUS_IDENTITY,)),
    BankEntry("race", N_("Race (Ontario Anti-Racism Data Standards)"), (RACE,)),
    BankEntry("gender", N_("Sex at birth and gender (two questions)"), (SEX_AT_BIRTH, GENDER)),
    BankEntry("age_band", N_("Age group"), (AGE_BAND,)),
    BankEntry(
        "disability",
        N_("Disability (Washington Group Short Set, six questions)"),
        WASHINGTON_GROUP_QUESTIONS,
    ),
    BankEntry("home_language", N_("Language spoken most often at home"), (HOME_LANGUAGE,)),
    BankEntry("area", N_("Ward or area"), (area_question(),)),
    BankEntry("household_income", N_("Household income"), (HOUSEHOLD_INCOME,)),
)

# Bank entry id -> the questions it adds, in the order they are asked (Indigenous
# identity comes before race, as the Anti-Racism Data Standards require).
DEMOGRAPHIC_BANK: dict[str, tuple[QuestionDefinition, ...]] = {
    entry.id: entry.questions for entry in _BANK_ENTRIES
}


def bank_entries() -> tuple[BankEntry, ...]:
    """Return the bank's entries in the order the builder lists them."""
    return _BANK_ENTRIES
