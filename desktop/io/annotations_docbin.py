"""Annotated texts as a spaCy DocBin, the training format of spaCy and Prodigy."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.io.annotations import AnnotatedText


def docbin_bytes(items: Iterable[AnnotatedText], lang: str) -> bytes:
    """Serialize annotated texts as a DocBin (``.spacy``), entity spans set as ``doc.ents``.

    Args:
        items: The texts with their spans.
        lang: Language code of the tokenizer to use ("de", "en", or "xx" for mixed).

    Returns:
        The DocBin bytes; spans that do not fit token boundaries are widened to whole tokens.
    """
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank(lang)
    docbin = DocBin(store_user_data=False)
    for item in items:
        doc = nlp.make_doc(item.text)
        spans = [doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
                 for s in item.spans]
        doc.ents = filter_spans([span for span in spans if span is not None])
        docbin.add(doc)
    return docbin.to_bytes()


def read_docbin(data: bytes, lang: str) -> list[AnnotatedText]:
    """Read a DocBin back into annotated texts (its entities become the spans)."""
    import spacy
    from spacy.tokens import DocBin

    from desktop.io.annotations import AnnotatedSpan

    nlp = spacy.blank(lang)
    return [
        AnnotatedText(doc.text, tuple(AnnotatedSpan(e.start_char, e.end_char, e.label_)
                                      for e in doc.ents))
        for doc in DocBin().from_bytes(data).get_docs(nlp.vocab)
    ]
