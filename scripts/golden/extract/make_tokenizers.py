"""Trains small tokenizer.json files for the tokenizer equivalence test of @xling/extract.

Each tokenizer is trained with the real algorithm on UD word forms of every treebank in the UD
directory and laid out the way Hugging Face lays out the model family it stands for:

- bert-cased, bert-uncased: WordPiece (tokenizers' BertWordPieceTokenizer trainer), BertNormalizer
  (uncased lowercases and strips accents, like bert-base-multilingual-uncased), BertPreTokenizer.
- xlmr-unigram: SentencePiece Unigram (spm_train, nmt_nfkc rules) converted by transformers'
  XLMRobertaConverter: Precompiled charsmap normalizer, Metaspace pre-tokenizer.
- llama-bpe: SentencePiece BPE with byte fallback (<0xNN> pieces, identity rules, split digits)
  converted by transformers' LlamaConverter: Prepend + Replace normalizer, no pre-tokenizer.
- gpt2-bytelevel: byte-level BPE (tokenizers' BpeTrainer, byte alphabet) in GPT2Converter's layout.
- qwen2-bytelevel: the same trainer behind Qwen2Converter's layout (NFC, Split regex, ByteLevel).
- unigram-nmt: tokenizers' own SentencePieceUnigramTokenizer (Nmt + NFKC normalizers).

Needs tokenizers 0.23.2 (the version of the npm `tokenizers` binding), sentencepiece, protobuf and
transformers (its converters), in a virtual environment (about 5 minutes on 2 cores):
    python3 -m venv "$VENV"          # any folder outside the repository
    "$VENV/bin/pip" install tokenizers==0.23.2 sentencepiece==0.2.2 transformers==5.17.0 protobuf
    "$VENV/bin/python" scripts/golden/extract/make_tokenizers.py [UD_DIR]
Writes packages/extract/src/__fixtures__/tokenizers/<name>.json.gz and manifest.json. The corpus
is a fixed prefix of each file and SentencePiece runs on one thread; tokenizers' own trainers may
still break frequency ties differently from run to run, so a rerun can change a few pieces (then
rerun the equivalence test, tokenize/tokenizer-equivalence.test.ts, and update its known words).
"""
import gzip
import json
import os
import sys
import tempfile

import sentencepiece as spm
import tokenizers
import transformers
from tokenizers import AddedToken
from tokenizers.implementations import (
    BertWordPieceTokenizer,
    ByteLevelBPETokenizer,
    SentencePieceUnigramTokenizer,
)
from transformers.convert_slow_tokenizer import (
    GPT2Converter,
    LlamaConverter,
    Qwen2Converter,
    SentencePieceExtractor,
    XLMRobertaConverter,
    generate_merges,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "packages", "extract", "src", "__fixtures__", "tokenizers")
UD_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "ud")
SENTENCES_PER_TREEBANK = 1500
BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BERT_CONFIG = {
    "cls_token": "[CLS]",
    "sep_token": "[SEP]",
    "pad_token": "[PAD]",
    "unk_token": "[UNK]",
    "mask_token": "[MASK]",
}


def read_sentences(path, limit):
    """Word forms (syntactic words, not multiword-token lines) of the first `limit` sentences."""
    sentences, words = [], []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if words:
                    sentences.append(" ".join(words))
                    words = []
                    if len(sentences) >= limit:
                        break
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    words.append(cols[1])
    if words and len(sentences) < limit:
        sentences.append(" ".join(words))
    return sentences


def training_corpus():
    """Train and dev sentences of each treebank (test ones where a treebank has only test)."""
    corpus = []
    for treebank in sorted(os.listdir(UD_DIR)):
        folder = os.path.join(UD_DIR, treebank)
        if not os.path.isdir(folder):
            continue
        files = sorted(f for f in os.listdir(folder) if f.endswith(".conllu.gz"))
        chosen = [f for f in files if "-ud-train" in f or "-ud-dev" in f] or files
        sentences = []
        for name in chosen:
            sentences += read_sentences(os.path.join(folder, name), SENTENCES_PER_TREEBANK - len(sentences))
            if len(sentences) >= SENTENCES_PER_TREEBANK:
                break
        corpus += sentences
    return corpus


def special(content, lstrip=False):
    return AddedToken(content, lstrip=lstrip, normalized=False, special=True)


class SpmOriginal:
    """The few attributes of a slow tokenizer that XLMRobertaConverter and LlamaConverter read."""

    def __init__(self, vocab_file, specials):
        self.vocab_file = vocab_file
        self.specials = specials
        self.legacy = True
        self.add_prefix_space = True

    def convert_tokens_to_ids(self, token):
        return self.specials.index(token)

    def convert_ids_to_tokens(self, index):
        return self.specials[index]


class BpeOriginal:
    """The attributes of a GPT-2 style slow tokenizer that GPT2Converter and Qwen2Converter read."""

    def __init__(self, trained):
        model = json.loads(trained.to_str())["model"]
        self.encoder = model["vocab"]
        self.bpe_ranks = {tuple(m): i for i, m in enumerate(model["merges"])}
        self.add_prefix_space = False


class ScoreOrderedMerges(SentencePieceExtractor):
    """SpmConverter's BPE merges ordered by piece score; transformers 5.17's own extractor no
    longer takes the scores that SpmConverter passes it."""

    def extract(self, vocab_scores):
        vocab = {piece.piece: i for i, piece in enumerate(self.proto.pieces)}
        return vocab, generate_merges(vocab, vocab_scores)


class LlamaBpeConverter(LlamaConverter):
    SpmExtractor = ScoreOrderedMerges


def train_spm(corpus, workdir, name, **options):
    text = os.path.join(workdir, "corpus.txt")
    if not os.path.exists(text):
        with open(text, "w", encoding="utf-8") as f:
            f.write("\n".join(corpus) + "\n")
    prefix = os.path.join(workdir, name)
    spm.SentencePieceTrainer.train(
        input=text,
        model_prefix=prefix,
        num_threads=1,
        minloglevel=2,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        **options,
    )
    return prefix + ".model"


def bert(corpus, lowercase):
    trainer = BertWordPieceTokenizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=lowercase
    )
    trainer.train_from_iterator(corpus, vocab_size=6000, min_frequency=2, special_tokens=BERT_SPECIALS)
    return trainer._tokenizer, {**BERT_CONFIG, "do_lower_case": lowercase}


def xlmr_unigram(corpus, workdir):
    model = train_spm(
        corpus, workdir, "xlmr", model_type="unigram", vocab_size=8000, character_coverage=0.9995,
        normalization_rule_name="nmt_nfkc",
    )
    # Like fairseq's XLM-R: the spm model has <unk> <s> </s> first, the converter puts the four
    # fairseq specials in their place.
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    converted = XLMRobertaConverter(SpmOriginal(model, specials)).converted()
    # XLMRobertaTokenizerFast adds the rest, <mask> eating the space before it.
    converted.add_special_tokens([special("<pad>"), special("<unk>"), special("<mask>", lstrip=True)])
    config = {"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
              "pad_token": "<pad>", "unk_token": "<unk>", "mask_token": "<mask>"}
    return converted, config


def llama_bpe(corpus, workdir):
    model = train_spm(
        corpus, workdir, "llama", model_type="bpe", vocab_size=4000, character_coverage=0.9995,
        byte_fallback=True, split_digits=True, normalization_rule_name="identity",
        remove_extra_whitespaces=False, allow_whitespace_only_pieces=True,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
    )
    specials = ["<unk>", "<s>", "</s>"]
    converted = LlamaBpeConverter(SpmOriginal(model, specials)).converted()
    converted.add_special_tokens([special("<unk>")])  # as LlamaTokenizerFast does
    return converted, {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}


def byte_level(corpus, converter):
    trainer = ByteLevelBPETokenizer(add_prefix_space=False)
    trainer.train_from_iterator(corpus, vocab_size=5000, min_frequency=2, special_tokens=["<|endoftext|>"])
    converted = converter(BpeOriginal(trainer)).converted()
    converted.add_special_tokens(["<|endoftext|>"])
    return converted, {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>"}


def unigram_nmt(corpus):
    trainer = SentencePieceUnigramTokenizer()
    trainer.train_from_iterator(corpus, vocab_size=8000, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>")
    return trainer._tokenizer, {"eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}


def main():
    corpus = training_corpus()
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        made = {
            "bert-cased": bert(corpus, lowercase=False),
            "bert-uncased": bert(corpus, lowercase=True),
            "xlmr-unigram": xlmr_unigram(corpus, workdir),
            "llama-bpe": llama_bpe(corpus, workdir),
            "gpt2-bytelevel": byte_level(corpus, GPT2Converter),
            "qwen2-bytelevel": byte_level(corpus, Qwen2Converter),
            "unigram-nmt": unigram_nmt(corpus),
        }
    manifest = {
        "generator": "scripts/golden/extract/make_tokenizers.py",
        "versions": {
            "python": sys.version.split()[0],
            "tokenizers": tokenizers.__version__,
            "sentencepiece": spm.__version__,
            "transformers": transformers.__version__,
        },
        "training_sentences": len(corpus),
        "tokenizers": {},
    }
    for name, (tokenizer, config) in made.items():
        data = tokenizer.to_str().encode("utf-8")
        # mtime=0 keeps the gzip bytes the same from run to run.
        with open(os.path.join(OUT, f"{name}.json.gz"), "wb") as f:
            f.write(gzip.compress(data, compresslevel=9, mtime=0))
        manifest["tokenizers"][name] = {"vocab_size": tokenizer.get_vocab_size(), "tokenizer_config": config}
        print(f"{name}: vocab {tokenizer.get_vocab_size()}, {len(data)} bytes")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
