"""Rebuild the shipped German NER pipeline (resources/models/de_casedesk_ner) end to end.

Steps: convert the shared corpora to DocBin files, optionally (``--vectors N``, needs gensim)
train static word vectors on their raw text plus name-lexicon columns, train tok2vec + ner
with training/de_ner.cfg, score the result on the held-out GermEval dev set, and package it
with a filled-in meta.json. The defaults rebuild the shipped model (no static vectors).

Usage (from the repository root)::

    .venv/bin/python scripts/train_de_ner.py [--shared ../shared] [--out resources/models/...]

Scratch files (DocBins, vectors, checkpoints, logs) go to ``--work`` (default /tmp/de_ner).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_de_model  # noqa: E402
import ner_data as nd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "training" / "de_ner.cfg"
LEXICON = ROOT / "training" / "de_name_lexicon.tsv"
SOURCES = [
    {
        "name": "GermEval 2014 NER (NoSta-D), test split",
        "license": "CC BY 4.0",
        "author": "D. Benikova, C. Biemann, M. Reznicek, M. Kisselew, S. Pado",
    },
    {
        "name": "German Legal Entity Recognition (LER), PER/LOC/ORG subset",
        "license": "CC BY 4.0",
        "author": "E. Leitner, G. Rehm, J. Moreno-Schneider",
    },
    {
        "name": "DFKI SmartData Corpus (v1 pool, v3 dev/test)",
        "license": "CC BY 4.0",
        "author": "M. Schiersch, V. Mironova, M. Schmitt, P. Thomas, A. Gabryszak, L. Hennig",
    },
    {
        "name": "DFKI MobIE Corpus",
        "license": "CC BY 4.0",
        "author": "L. Hennig, P. T. Truong, A. Gabryszak",
    },
]
EUROPEANA = {
    "name": "Europeana Newspapers NER corpora, German (raw text for the static vectors)",
    "license": "CC0 1.0",
    "author": "Europeana Newspapers Project; C. Neudecker",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "resources/models/de_casedesk_ner")
    parser.add_argument("--work", type=Path, default=Path("/tmp/de_ner"))
    parser.add_argument("--run", default="final", help="name of the scratch run folder")
    parser.add_argument(
        "--extra",
        default="ler,dfki,europeana",
        help="comma list of extra corpora: ler, dfki, europeana (or none)",
    )
    parser.add_argument("--germeval-copies", type=int, default=2)
    parser.add_argument("--vectors", type=int, default=20000,
                        help="static vector rows (0 = none)")
    parser.add_argument("--vector-dim", type=int, default=100)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra spaCy config override, e.g. training.max_steps=8000",
    )
    parser.add_argument("--skip-package", action="store_true")
    parser.add_argument(
        "--from-checkpoint",
        type=Path,
        default=None,
        help="skip conversion and training: score and package this model dir",
    )
    return parser.parse_args(argv)


def convert(args: argparse.Namespace) -> tuple[Path, Path]:
    """Write the train DocBins and the selection DocBin for this run; return their paths."""
    import spacy

    nlp = spacy.blank("de")
    splits = nd.germeval_splits(args.shared)
    extra = _extra_corpora(args, nlp)
    train_dir = args.work / args.run / "train"
    train_dir.mkdir(parents=True, exist_ok=True)
    for copy in range(args.germeval_copies):
        nd.to_docbin(splits["train"], nlp.vocab).to_disk(train_dir / f"germeval{copy}.spacy")
    for name, sents in extra.items():
        nd.to_docbin(sents, nlp.vocab).to_disk(train_dir / f"{name}.spacy")
    select = args.work / args.run / "select.spacy"
    nd.to_docbin(splits["select"], nlp.vocab).to_disk(select)
    return train_dir, select


def raw_corpus(shared: Path) -> list[list[str]]:
    """Token lists of all raw text usable for vectors (everything except GermEval dev)."""
    import spacy

    splits = nd.germeval_splits(shared)
    raw = [s.words for s in splits["train"] + splits["select"]]
    raw += list(nd.read_ler_all_tokens(shared))
    raw += [s.words for s in nd.dfki_docs(shared, spacy.blank("de"))]
    raw += [s.words for s in nd.read_europeana(shared)]
    return raw


def _extra_corpora(args: argparse.Namespace, nlp: object) -> dict[str, list[nd.Sent]]:
    """Load the requested extra corpora with MISC marked missing where it is not annotated."""
    wanted = {w for w in args.extra.split(",") if w and w != "none"}
    names = nd.read_name_lexicon(LEXICON) if LEXICON.exists() else set()
    out: dict[str, list[nd.Sent]] = {}
    if "ler" in wanted:
        out["ler"] = nd.read_ler_subset(args.shared)
    if "dfki" in wanted:
        out["dfki"] = nd.dfki_docs(args.shared, nlp)
    if "europeana" in wanted:
        out["europeana"] = nd.read_europeana(args.shared)
    return {k: [nd.mark_misc_missing(s, names) for s in v] for k, v in out.items()}


def build_vectors(raw: list[list[str]], out: Path, rows: int, dim: int) -> Path:
    """Train fastText vectors on ``raw`` and save a spaCy vocab with the top ``rows`` words.

    Each row is the fastText vector followed by the name-lexicon features of
    ``lexicon_features`` (so the shipped pipeline needs no custom code for them).
    """
    import numpy
    import spacy
    from gensim.models import FastText
    from spacy.vectors import Vectors

    model = FastText(vector_size=dim, window=5, min_count=2, sg=1, epochs=5, workers=1, seed=1)
    model.build_vocab(corpus_iterable=raw)
    model.train(corpus_iterable=raw, total_examples=len(raw), epochs=model.epochs)
    words = model.wv.index_to_key[:rows]
    feats = lexicon_features(words, raw)
    data = numpy.hstack([model.wv[words], feats]).astype("float32")
    nlp = spacy.blank("de")
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=data, keys=words)
    nlp.to_disk(out)
    return out


def lexicon_features(words: list[str], raw: list[list[str]]) -> object:
    """Name-lexicon columns per word: NE share, NN share (STTS lexicon) and lowercase share.

    The lowercase share is how often the lower-cased form occurs in mid-sentence in ``raw``
    (German names are almost never written in lower case, nouns' derivatives often are).
    """
    import numpy

    lex = nd.read_lexicon_counts(LEXICON) if LEXICON.exists() else {}
    lower, total = nd.case_counts(raw)
    rows = []
    for word in words:
        ne, nn = lex.get(word, (0, 0))
        seen = total.get(word.lower(), 0)
        rows.append(
            [
                ne / (ne + nn + 1),
                nn / (ne + nn + 1),
                lower.get(word.lower(), 0) / seen if seen else 0.0,
            ]
        )
    return numpy.asarray(rows, dtype="float32") * 2.0


def train(args: argparse.Namespace, train_dir: Path, select: Path, vectors: Path | None) -> Path:
    """Run spaCy training; return the model-best directory."""
    from spacy.cli.train import train as spacy_train

    overrides = {
        "paths.train": str(train_dir),
        "paths.dev": str(select),
        "paths.vectors": None if vectors is None else str(vectors),
        "components.tok2vec.model.embed.include_static_vectors": vectors is not None,
    }
    for item in args.set:
        key, value = item.split("=", 1)
        overrides[key] = json.loads(value) if value[:1] in "0123456789-[tf" else value
    out = args.work / args.run / "model"
    spacy_train(CONFIG, out, use_gpu=-1, overrides=overrides)
    return out / "model-best"


def package(best: Path, out: Path, scores: dict, info: dict) -> None:
    """Copy the selected checkpoint to ``out`` and write the Casedesk meta.json."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(best, out)
    _clear_paths(out / "config.cfg")
    _strip_strings(out / "vocab" / "strings.json")
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(_meta_fields(scores, info))
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _clear_paths(config_path: Path) -> None:
    """Blank the scratch paths in the packaged config (they are not needed to load)."""
    from spacy.util import load_config

    config = load_config(config_path, interpolate=False)
    for key in ("train", "dev", "vectors", "init_tok2vec"):
        config["paths"][key] = None
    config.to_disk(config_path)


def _strip_strings(path: Path) -> None:
    """Keep only the label strings in the string store.

    Loading and prediction work on hashes, so the ~100k training tokens the checkpoint
    remembers (tweets, addresses, handles) need not be shipped.
    """
    path.write_text(json.dumps(sorted(nd.LABELS)), encoding="utf-8")


def _meta_fields(scores: dict, info: dict) -> dict:
    """The Casedesk-specific meta.json fields (name, license, sources, performance)."""
    uses_europeana = info["vector_rows"] or "europeana" in info["extra"]
    sources = SOURCES + ([EUROPEANA] if uses_europeana else [])
    return {
        "name": "de_casedesk_ner",
        "version": "0.2.0",
        "lang": "de",
        "description": "Casedesk German NER (PER, LOC, ORG, MISC): tok2vec + ner trained on "
        "openly licensed corpora; scored on the held-out GermEval 2014 dev set.",
        "author": "Casedesk",
        "license": "CC BY 4.0",
        "sources": sources,
        "labels": {"ner": list(nd.LABELS)},
        "performance": scores,
        "casedesk_training": info,
    }


def _convert_and_train(args: argparse.Namespace) -> Path:
    """Convert the data, build the vectors if asked for, train; return model-best."""
    train_dir, select = convert(args)
    vectors = None
    if args.vectors:
        vectors = args.work / f"vectors_{args.vectors}x{args.vector_dim}"
        if not (vectors / "vocab").exists():
            build_vectors(raw_corpus(args.shared), vectors, args.vectors, args.vector_dim)
    return train(args, train_dir, select, vectors)


def main(argv: list[str] | None = None) -> None:
    """Run the whole pipeline."""
    args = parse_args(argv)
    started = time.time()
    best = args.from_checkpoint or _convert_and_train(args)
    scores = eval_de_model.evaluate(best, args.shared)
    eval_de_model.print_table(scores)
    info = {
        "extra": args.extra,
        "germeval_copies": args.germeval_copies,
        "vector_rows": args.vectors,
        "vector_dim": args.vector_dim,
        "overrides": args.set,
        "train_minutes": None if args.from_checkpoint else round((time.time() - started) / 60, 1),
        "held_out": "GermEval 2014 dev (all 2,200 sentences) for evaluation; GermEval "
        "test sentences 4600-5099 (0-based, last 500) for checkpoint selection",
    }
    if not args.skip_package:
        package(best, args.out, scores, info)
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
