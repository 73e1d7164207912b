"""Readers that turn the shared German NER corpora into spaCy DocBin files.

Every reader yields ``Sent`` records: a token list plus one BIO tag per token over the
labels PER, LOC, ORG and MISC. A tag of ``None`` means "missing": the token is left
unannotated so spaCy neither rewards nor punishes any prediction on it.

Label mapping (all corpora):

* GermEval 2014: outer column only; PER, LOC, ORG kept; OTH -> MISC; every ``*deriv`` and
  ``*part`` tag -> O. The inner (nested) column is ignored.
* LER (court decisions): PER, RR, AN -> PER; LD, ST, STR, LDS -> LOC; ORG, UN, INN, GRT -> ORG.
  Only sentences with at least one such entity and no legal-type entity (GS, VO, EUN, VS, VT,
  RS, LIT) are used (the "PER/LOC/ORG subset", 6,894 sentences).
* SmartData and MobIE: person -> PER; organization(-company) -> ORG; location, -city, -stop,
  -street -> LOC; location-route -> missing (GermEval has no such type); every other type -> O.
* Corpora without a MISC type (LER, SmartData, MobIE): MISC cannot be told from O there, so
  O tokens that look like names (STTS tag NE where POS tags exist, or a capitalised token that
  the name lexicon lists as NE-only) are set to missing instead of O.

De-duplication of the DFKI corpora (SmartData and MobIE share many documents): documents are
compared by their text with all whitespace removed. Priority: SmartData v3 dev/test (newest
annotation, CoreNLP tokens) first, then MobIE train/dev/test, then the SmartData v1 pool (v1
train + test, minus every v3 id). A document whose text was already seen is dropped.

GermEval split (fixed): test sentences 0-4599 are training data, test sentences 4600-5099 are
the checkpoint-selection set, and the whole dev file (2,200 sentences) is the evaluation set.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("PER", "LOC", "ORG", "MISC")
GERMEVAL_TRAIN_END = 4600
LER_MAP = {
    "PER": "PER",
    "RR": "PER",
    "AN": "PER",
    "LD": "LOC",
    "ST": "LOC",
    "STR": "LOC",
    "LDS": "LOC",
    "ORG": "ORG",
    "UN": "ORG",
    "INN": "ORG",
    "GRT": "ORG",
}
DFKI_MAP = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-stop": "LOC",
    "location-street": "LOC",
    "location-route": None,
}
_ADDRESS = re.compile(r"http|www|@|/|\.(com|de|at|ch|net|org|eu|info|ly|co)\b", re.I)
LER_FILES = ("bag", "bfh", "bgh", "bpatg", "bsg", "bverfg", "bverwg")


@dataclass
class Sent:
    """One training unit: tokens, BIO tags (None = missing) and optional STTS POS tags."""

    words: list[str]
    tags: list[str | None]
    pos: list[str] = field(default_factory=list)


def _lines(path: Path) -> Iterator[str]:
    """Yield the lines of a gzip or plain text file without their line ends."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n").rstrip("\r")


def _blocks(lines: Iterable[str]) -> Iterator[list[str]]:
    """Group lines into blank-line separated blocks."""
    block: list[str] = []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _germeval_tag(tag: str) -> str:
    """Map a GermEval outer tag to PER/LOC/ORG/MISC BIO (deriv/part -> O)."""
    if tag == "O" or tag.endswith("deriv") or tag.endswith("part"):
        return "O"
    prefix, label = tag.split("-", 1)
    return f"{prefix}-{'MISC' if label == 'OTH' else label}"


def read_germeval(path: Path) -> list[Sent]:
    """Read a GermEval 2014 4-column file (``#`` comment line per sentence)."""
    sents = []
    for block in _blocks(_lines(path)):
        rows = [line.split("\t") for line in block if not line.startswith("#\t")]
        words = [row[1] for row in rows]
        tags = _repair_bio([_germeval_tag(row[2]) for row in rows])
        sents.append(Sent(words, tags))
    return sents


def germeval_splits(shared: Path) -> dict[str, list[Sent]]:
    """Return the fixed GermEval train / select / eval split described in the module doc."""
    base = shared / "data" / "ner" / "germeval2014"
    test = read_germeval(base / "test.tsv.gz")
    return {
        "train": test[:GERMEVAL_TRAIN_END],
        "select": test[GERMEVAL_TRAIN_END:],
        "eval": read_germeval(base / "dev.tsv.gz"),
    }


def _repair_bio(tags: list[str | None]) -> list[str | None]:
    """Turn an I- tag that does not continue an entity of its type into B-."""
    out: list[str | None] = []
    prev: str | None = "O"
    for tag in tags:
        if tag and tag.startswith("I-") and prev not in (f"B-{tag[2:]}", f"I-{tag[2:]}"):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def _map_bio(tag: str, mapping: dict[str, str | None]) -> str | None:
    """Map a corpus-specific BIO tag through ``mapping``; unknown types become O."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    if label not in mapping:
        return "O"
    target = mapping[label]
    return None if target is None else f"{prefix.upper()}-{target}"


def read_ler_subset(shared: Path) -> list[Sent]:
    """Read the LER PER/LOC/ORG subset (sentences with such entities and no legal entity)."""
    sents = []
    for name in LER_FILES:
        path = shared / "data" / "ner" / "ler-de" / f"{name}.conll.gz"
        for block in _blocks(_lines(path)):
            rows = [line.rsplit(" ", 1) for line in block]
            types = {tag.split("-", 1)[1] for _, tag in rows if tag != "O"}
            if not types or not types <= LER_MAP.keys():
                continue
            words = [word for word, _ in rows]
            sents.append(Sent(words, _repair_bio([_map_bio(t, LER_MAP) for _, t in rows])))
    return sents


def _mobie_docs(shared: Path) -> Iterator[Sent]:
    """Yield MobIE documents (all splits) as one Sent each, with POS tags."""
    path = shared / "data" / "ner" / "mobie-de" / "ner_conll03_formatted.zip"
    with zipfile.ZipFile(path) as archive:
        for member in ("train.conll2003", "dev.conll2003", "test.conll2003"):
            text = io.TextIOWrapper(archive.open(member), encoding="utf-8")
            yield from _mobie_split(text)


def _mobie_split(lines: Iterable[str]) -> Iterator[Sent]:
    """Parse one MobIE CoNLL file into documents (sentence starts repaired to B-)."""
    doc = Sent([], [], [])
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            if doc.words:
                yield doc
            doc = Sent([], [], [])
            continue
        if not line.strip():
            doc.tags.append("SENT_BREAK")
            continue
        word, pos, _, tag = line.split("\t")
        doc.words.append(word)
        doc.pos.append(pos)
        doc.tags.append(_map_bio(tag, DFKI_MAP))
    if doc.words:
        yield doc


def _finish_mobie(doc: Sent) -> Sent:
    """Drop sentence-break markers, repairing I- tags that start a sentence."""
    tags: list[str | None] = []
    prev: str | None = "O"
    for tag in doc.tags:
        if tag == "SENT_BREAK":
            prev = "O"
            continue
        if tag and tag.startswith("I-") and prev in ("O", None):
            tag = "B-" + tag[2:]
        tags.append(tag)
        prev = tag
    return Sent(doc.words, _repair_bio(tags), doc.pos)


def _avro_docs(path: Path) -> Iterator[dict]:
    """Yield the concatenated pretty-printed JSON objects of a SmartData file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        obj, pos = decoder.raw_decode(text, pos)
        yield obj


def _unwrap(value: object) -> object:
    """Remove the one-key Avro union wrapper ({"string": x}, {"array": x})."""
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


def _v3_doc(obj: dict) -> Sent:
    """Convert a SmartData v3 document (CoreNLP tokens) to a Sent."""
    tokens = _unwrap(obj["tokens"]) or []
    words, tags, pos, prev = [], [], [], "O"
    for tok in tokens:
        words.append(_unwrap(obj["text"])[tok["span"]["start"] : tok["span"]["end"]])
        pos.append(_unwrap(tok["posTag"]) or "")
        tag = _map_bio(_v3_tag(_unwrap(tok["ner"]) or "O"), DFKI_MAP)
        tags.append(tag)
    del prev
    return Sent(words, _repair_bio(tags), pos)


def _v3_tag(tag: str) -> str:
    """Rewrite a v3 tag such as B-ORGANIZATION_COMPANY in the v1/MobIE spelling."""
    if tag == "O":
        return tag
    prefix, label = tag.split("-", 1)
    return f"{prefix}-{label.lower().replace('_', '-')}"


def _squash(text: str) -> str:
    """Text with all whitespace removed, used as the de-duplication key."""
    return re.sub(r"\s+", "", text)


def dfki_docs(shared: Path, tokenizer: object) -> list[Sent]:
    """Return de-duplicated SmartData v3 + MobIE + SmartData v1-pool documents.

    Args:
        shared: The shared folder (holding ``data/ner``).
        tokenizer: A spaCy ``Language`` used to tokenize the v1 texts.

    Returns:
        One Sent per distinct document (see the module docstring for the priority order).
    """
    base = shared / "data" / "ner" / "smartdata-de"
    seen: set[str] = set()
    out: list[Sent] = []
    v3_ids = set()
    for name in ("v3_dev.json.gz", "v3_test.json.gz"):
        for obj in _avro_docs(base / name):
            v3_ids.add(obj["id"])
            _keep(_v3_doc(obj), _squash(_unwrap(obj["text"])), seen, out)
    for doc in _mobie_docs(shared):
        _keep(_finish_mobie(doc), _squash("".join(doc.words)), seen, out)
    for name in ("v1_train.json.gz", "v1_test.json.gz"):
        for obj in _avro_docs(base / name):
            if obj["id"] not in v3_ids:
                text = _unwrap(obj["text"])
                _keep_v1(obj, text, seen, out, tokenizer)
    return out


def _keep(doc: Sent, key: str, seen: set[str], out: list[Sent]) -> None:
    """Append ``doc`` unless its de-duplication key was seen before."""
    if key and key not in seen:
        seen.add(key)
        out.append(doc)


def _keep_v1(obj: dict, text: str, seen: set[str], out: list[Sent], nlp: object) -> None:
    """Tokenize a v1 document, project its character-offset mentions, keep if new."""
    key = _squash(text)
    if not key or key in seen:
        return
    doc = nlp.make_doc(text)
    tags: list[str | None] = ["O"] * len(doc)
    for mention in _unwrap(obj["conceptMentions"]) or []:
        label = DFKI_MAP.get(mention["type"], "O")
        span = doc.char_span(
            mention["span"]["start"], mention["span"]["end"], alignment_mode="expand"
        )
        if span is None or label == "O":
            continue
        for i in range(span.start, span.end):
            tags[i] = None if label is None else ("B-" if i == span.start else "I-") + label
    words = [t.text for t in doc]
    keep = [i for i, t in enumerate(doc) if not t.is_space]
    seen.add(key)
    out.append(Sent([words[i] for i in keep], _repair_bio([tags[i] for i in keep])))


def mark_misc_missing(sent: Sent, names: set[str]) -> Sent:
    """Set O tokens that are probably MISC-like names to missing.

    A token counts as a probable name when its STTS tag is NE, or (without POS tags) when it
    is capitalised, not sentence-initial and listed in ``names`` (forms tagged NE but never NN).
    """
    tags = list(sent.tags)
    for i, (word, tag) in enumerate(zip(sent.words, tags, strict=False)):
        if tag != "O":
            continue
        if sent.pos and sent.pos[i] == "NE":
            tags[i] = None
        elif not sent.pos and i > 0 and word[:1].isupper() and word in names:
            tags[i] = None
    return Sent(sent.words, tags, sent.pos)


def read_europeana(shared: Path) -> list[Sent]:
    """Read Europeana German (PER/LOC/ORG only), split into pseudo-sentences at . ! ?."""
    sents: list[Sent] = []
    for name in ("enp_DE.lft.bio.gz", "enp_DE.onb.bio.gz", "enp_DE.sbb.bio.gz"):
        words, tags = [], []
        for line in _lines(shared / "data" / "ner" / "europeana-de" / name):
            parts = line.split(" ")
            if len(parts) != 2 or line.startswith("#"):
                continue
            words.append(parts[0])
            tags.append(_europeana_tag(parts[1]))
            if parts[0] in (".", "!", "?") and len(words) > 3:
                sents.append(Sent(words, _repair_bio(tags)))
                words, tags = [], []
        if words:
            sents.append(Sent(words, _repair_bio(tags)))
    return sents


def _europeana_tag(tag: str) -> str:
    """Normalise the Europeana tag typos (B-PEr, B-BER, B-LOCer, ...) to clean BIO."""
    tag = tag.upper()
    match = re.fullmatch(r"([BI])-(PER|BER|LOC|ORG)\w*", tag)
    if not match:
        return "O"
    label = "PER" if match.group(2) == "BER" else match.group(2)
    return f"{match.group(1)}-{label}"


def to_docbin(sents: Iterable[Sent], vocab: object) -> object:
    """Build a spaCy DocBin; None tags become missing entity annotation."""
    from spacy.tokens import Doc, DocBin

    bin_ = DocBin(store_user_data=False)
    for sent in sents:
        if sent.words:
            bin_.add(Doc(vocab, words=sent.words, ents=list(sent.tags)))
    return bin_


def raw_sentences(sents: Iterable[Sent]) -> Iterator[list[str]]:
    """Yield the token lists of ``sents`` (for training static vectors)."""
    for sent in sents:
        if sent.words:
            yield sent.words


def read_ler_all_tokens(shared: Path) -> Iterator[list[str]]:
    """Yield every LER sentence as a token list (raw text for static vectors)."""
    for name in LER_FILES:
        path = shared / "data" / "ner" / "ler-de" / f"{name}.conll.gz"
        for block in _blocks(_lines(path)):
            yield [line.rsplit(" ", 1)[0] for line in block]


def name_lexicon_counts(shared: Path) -> dict[str, tuple[int, int]]:
    """Count STTS NE and NN tags per word form in SmartData v3 and MobIE (all splits).

    Tokens that look like web addresses, handles or paths are left out.
    """
    counts: dict[str, list[int]] = {}
    docs = [
        _v3_doc(o)
        for n in ("v3_dev.json.gz", "v3_test.json.gz")
        for o in _avro_docs(shared / "data" / "ner" / "smartdata-de" / n)
    ]
    for doc in docs + list(_mobie_docs(shared)):
        for word, pos in zip(doc.words, doc.pos, strict=False):
            if pos in ("NE", "NN") and not _ADDRESS.search(word):
                counts.setdefault(word, [0, 0])[pos == "NN"] += 1
    return {w: (c[0], c[1]) for w, c in counts.items()}


def write_lexicon(counts: dict[str, tuple[int, int]], path: Path) -> None:
    """Write the NE/NN lexicon as a sorted TSV (word, NE count, NN count)."""
    lines = ["# word\tNE\tNN (STTS tag counts in DFKI SmartData v3 dev/test + MobIE)"]
    lines += [f"{w}\t{ne}\t{nn}" for w, (ne, nn) in sorted(counts.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_lexicon_counts(path: Path) -> dict[str, tuple[int, int]]:
    """Read the TSV written by ``write_lexicon``."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("# "):
            word, ne, nn = line.split("\t")
            out[word] = (int(ne), int(nn))
    return out


def read_name_lexicon(path: Path) -> set[str]:
    """Word forms tagged NE but never NN (used to mark probable MISC names as missing)."""
    return {w for w, (ne, nn) in read_lexicon_counts(path).items() if ne and not nn}


def case_counts(raw: Iterable[list[str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Count mid-sentence lower-case occurrences and all occurrences per lower-cased form."""
    lower: dict[str, int] = {}
    total: dict[str, int] = {}
    for words in raw:
        for word in words[1:]:
            key = word.lower()
            total[key] = total.get(key, 0) + 1
            if word[:1].islower():
                lower[key] = lower.get(key, 0) + 1
    return lower, total
