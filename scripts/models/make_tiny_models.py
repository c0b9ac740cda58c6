"""Make the tiny random test models of @xling/extract and their golden hidden states.

Run with Debian's interpreter (torch 1.13 + onnx):

    /usr/bin/python3 scripts/models/make_tiny_models.py

Writes, under packages/extract/src/__fixtures__/:
  models/tiny-bert/     BERT-style post-LN encoder, WordPiece tokenizer.json, ONNX that
                        exposes ONLY last_hidden_state (so graph surgery is exercised):
                        onnx/model.onnx (opset 17, fused LayerNormalization) and
                        onnx/model_opset14.onnx (decomposed LayerNorm).
  models/tiny-llama/    LLaMA-style pre-norm decoder (RMSNorm, RoPE, SiLU-gated MLP), BPE
                        tokenizer.json with a Metaspace pre-tokenizer; onnx/model.onnx exposes
                        only last_hidden_state, onnx/model_with_hidden_states.onnx exposes
                        hidden_states.0 .. hidden_states.L as well.
  tiny-bert.golden.json, tiny-llama.golden.json
                        per-layer word vectors (first/last/mean pooling) and the per-sentence
                        [CLS]/BOS vector from an independent plain-torch forward pass of each
                        sentence alone (no padding), plus the token ids of each word.

No transformers or tokenizers library is used: the models are plain torch modules, the
tokenizer.json files are written as JSON in the Hugging Face tokenizers format, and the
reference tokenisation (WordPiece greedy longest match; BPE by merge rank) is done here by hand.
"""

import json
import math
import os
import sys
import unicodedata

import numpy as np
import onnx
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "packages", "extract", "src", "__fixtures__")

# Sentences of the golden files: UD-style pre-tokenised words (punctuation as separate words,
# words that split into several pieces, an unknown character).
SENTENCES = [
    ["The", "cats", "sat", "on", "the", "mat", "."],
    ["Dogs", "don't", "run", "quickly", "!"],
    ["A", "zebra", "ran", "."],
    ["Running", "dogs", "and", "sleeping", "cats", "sat", "together", "on", "mats", "today", "."],
]

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
PUNCT = ".,!?'\"-:;()"
DIGITS = "0123456789"


# --------------------------------------------------------------------------- tokenizers


def is_punctuation(ch):
    cp = ord(ch)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(ch).startswith("P")


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def bert_clean(text):
    out = []
    for ch in text:
        if ord(ch) == 0 or ord(ch) == 0xFFFD or is_control(ch):
            continue
        out.append(" " if ch.isspace() else ch)
    return "".join(out)


def bert_pre_tokenize(text):
    pieces, cur = [], ""
    for ch in text:
        if ch.isspace():
            if cur:
                pieces.append(cur)
            cur = ""
        elif is_punctuation(ch):
            if cur:
                pieces.append(cur)
            pieces.append(ch)
            cur = ""
        else:
            cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def wordpiece(word, vocab, unk="[UNK]"):
    tokens, start = [], 0
    while start < len(word):
        end, cur = len(word), None
        while start < end:
            sub = word[start:end]
            if start > 0:
                sub = "##" + sub
            if sub in vocab:
                cur = sub
                break
            end -= 1
        if cur is None:
            return [unk]
        tokens.append(cur)
        start = end
    return tokens


def bert_tokenize_word(word, vocab):
    out = []
    for piece in bert_pre_tokenize(bert_clean(word)):
        out.extend(wordpiece(piece, vocab))
    return [vocab[t] for t in out]


def make_wordpiece_vocab():
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokens += list(PUNCT) + list(DIGITS) + list(LETTERS)
    tokens += ["##" + c for c in LETTERS.lower()]
    words = ["the", "The", "cat", "dog", "sat", "on", "mat", "run", "and", "to", "day", "sleep", "Run", "A", "don", "quick", "zebra"]
    suffixes = ["##s", "##ning", "##ing", "##ly", "##ther", "##ge"]
    for t in words + suffixes:
        if t not in tokens:
            tokens.append(t)
    tokens = list(dict.fromkeys(tokens))
    return {t: i for i, t in enumerate(tokens)}


def bert_tokenizer_json(vocab):
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for t in specials
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": False, "lowercase": False},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [
                {"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 1}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 1}},
            ],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [vocab["[CLS]"]], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [vocab["[SEP]"]], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab},
    }


SPACE = "\u2581"


def bpe_apply(symbols, ranks):
    symbols = list(symbols)
    while len(symbols) > 1:
        best, best_rank = None, None
        for i in range(len(symbols) - 1):
            r = ranks.get((symbols[i], symbols[i + 1]))
            if r is not None and (best_rank is None or r < best_rank):
                best, best_rank = i, r
        if best is None:
            break
        pair = (symbols[best], symbols[best + 1])
        merged, i = [], 0
        while i < len(symbols):
            if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == pair:
                merged.append(symbols[i] + symbols[i + 1])
                i += 2
            else:
                merged.append(symbols[i])
                i += 1
        symbols = merged
    return symbols


def make_bpe(corpus_words, n_merges):
    """Learn BPE merges on the words (each prefixed with the metaspace), most frequent pair first."""
    alphabet = [SPACE] + list(LETTERS) + list(DIGITS) + list(PUNCT)
    words = {}
    for w in corpus_words:
        key = tuple(SPACE + w)
        words[key] = words.get(key, 0) + 1
    merges = []
    for _ in range(n_merges):
        counts = {}
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + c
        if not counts:
            break
        pair = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        merges.append(pair)
        new_words = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i < len(w) - 1 and (w[i], w[i + 1]) == pair:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] = new_words.get(tuple(out), 0) + c
        words = new_words
    tokens = ["<unk>", "<s>", "</s>"] + alphabet
    for a, b in merges:
        if a + b not in tokens:
            tokens.append(a + b)
    vocab = {t: i for i, t in enumerate(tokens)}
    return vocab, merges


def bpe_tokenize_word(word, vocab, ranks):
    pieces = bpe_apply(list(SPACE + word), ranks)
    return [vocab.get(p, vocab["<unk>"]) for p in pieces]


def bpe_tokenizer_json(vocab, merges):
    specials = ["<unk>", "<s>", "</s>"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for t in specials
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": SPACE, "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [vocab["<s>"]], "tokens": ["<s>"]}},
        },
        "decoder": {"type": "Metaspace", "replacement": SPACE, "prepend_scheme": "always", "split": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }


# --------------------------------------------------------------------------- models


class BertLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.ff1, self.ff2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)

    def forward(self, x, bias):
        b, t, d = x.shape
        hd = d // self.heads

        def split(z):
            return z.view(b, t, self.heads, hd).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = self.ln1(x + self.o(ctx))
        h = self.ff2(torch.nn.functional.gelu(self.ff1(x)))
        return self.ln2(x + h)


class TinyBert(nn.Module):
    """Post-LN BERT encoder: hidden_states[0] = embedding LayerNorm, [i] = block i's output."""

    def __init__(self, vocab, d, layers, heads, ffn, max_pos):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.token_type = nn.Embedding(2, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.layers = nn.ModuleList([BertLayer(d, heads, ffn) for _ in range(layers)])

    def hidden_states(self, input_ids, attention_mask, token_type_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t).unsqueeze(0)
        x = self.ln(self.word(input_ids) + self.pos(pos) + self.token_type(token_type_ids))
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
        out = [x]
        for layer in self.layers:
            x = layer(x, bias)
            out.append(x)
        return out

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.hidden_states(input_ids, attention_mask, token_type_ids)[-1]


class RmsNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class LlamaLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.norm1 = RmsNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d, bias=False) for _ in range(4))
        self.norm2 = RmsNorm(d)
        self.gate, self.up, self.down = nn.Linear(d, ffn, bias=False), nn.Linear(d, ffn, bias=False), nn.Linear(ffn, d, bias=False)

    def forward(self, x, bias, cos, sin):
        b, t, d = x.shape
        hd = d // self.heads
        h = self.norm1(x)

        def split(z):
            return z.view(b, t, self.heads, hd).transpose(1, 2)

        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.o(ctx)
        h = self.norm2(x)
        return x + self.down(torch.nn.functional.silu(self.gate(h)) * self.up(h))


class TinyLlama(nn.Module):
    """Pre-norm decoder. hidden_states follow Hugging Face: [0] = embeddings, [i] (0 < i < L) =
    residual stream after block i, [L] = final norm of the last block's output."""

    def __init__(self, vocab, d, layers, heads, ffn):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([LlamaLayer(d, heads, ffn) for _ in range(layers)])
        self.norm = RmsNorm(d)

    def hidden_states(self, input_ids, attention_mask):
        t = input_ids.shape[1]
        hd = self.embed.weight.shape[1] // self.heads
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2).float() / hd))
        freqs = torch.arange(t).float()[:, None] * inv[None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        causal = torch.ones(t, t).tril()
        allowed = causal[None, None] * attention_mask[:, None, None, :].to(torch.float32)
        bias = (1.0 - allowed) * -10000.0
        x = self.embed(input_ids)
        out = [x]
        for layer in self.layers:
            x = layer(x, bias, cos, sin)
            out.append(x)
        out[-1] = self.norm(x)
        return out

    def forward(self, input_ids, attention_mask):
        return self.hidden_states(input_ids, attention_mask)[-1]


class WithHiddenStates(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, input_ids, attention_mask):
        hs = self.inner.hidden_states(input_ids, attention_mask)
        return tuple([hs[-1]] + hs)


# --------------------------------------------------------------------------- export + golden


def init_weights(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "ln" in name or "norm" in name:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g) if p.dim() == 1 and name.endswith("weight") else 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_((1.0 if "embed" in name or "word" in name or "pos" in name or "type" in name else 0.15) * torch.randn(p.shape, generator=g))


def export(model, args, input_names, output_names, path, opset=17):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in input_names}
    for n in output_names:
        axes[n] = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(model, args, path, input_names=input_names, output_names=output_names, dynamic_axes=axes, opset_version=opset, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def pool(vectors, span, mode):
    a, b = span
    if mode == "first":
        return vectors[a]
    if mode == "last":
        return vectors[b - 1]
    return vectors[a:b].mean(0)


def golden(name, model, call, tokenize, start_ids, end_ids, n_layers):
    sentences = []
    for words in SENTENCES:
        word_ids = [tokenize(w) for w in words]
        ids = list(start_ids)
        spans = []
        for piece_ids in word_ids:
            spans.append((len(ids), len(ids) + len(piece_ids)))
            ids.extend(piece_ids)
        ids.extend(end_ids)
        with torch.no_grad():
            hs = call(torch.tensor([ids]))
        layers = {}
        for layer in range(n_layers + 1):
            h = hs[layer][0].double().numpy()
            layers[str(layer)] = {
                "root": [round(float(v), 7) for v in h[0]] if start_ids else None,
                **{mode: [[round(float(v), 7) for v in pool(h, s, mode)] for s in spans] for mode in ("first", "last", "mean")},
            }
        sentences.append({"words": words, "tokenIds": word_ids, "inputIds": ids, "layers": layers})
    out = {
        "producedBy": "scripts/models/make_tiny_models.py",
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "onnx": onnx.__version__, "numpy": np.__version__},
        "model": name,
        "numLayers": n_layers,
        "sentences": sentences,
    }
    with open(os.path.join(FIXTURES, f"{name}.golden.json"), "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def make_bert():
    folder = os.path.join(FIXTURES, "models", "tiny-bert")
    vocab = make_wordpiece_vocab()
    d, layers, heads, ffn, max_pos = 32, 3, 4, 64, 40
    torch.manual_seed(0)
    model = TinyBert(len(vocab), d, layers, heads, ffn, max_pos).eval()
    init_weights(model, 1)
    write_json(os.path.join(folder, "config.json"), {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": len(vocab), "hidden_size": d,
        "num_hidden_layers": layers, "num_attention_heads": heads, "intermediate_size": ffn,
        "max_position_embeddings": max_pos, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
        "pad_token_id": 0, "_comment": "tiny random test model made by scripts/models/make_tiny_models.py",
    })
    write_json(os.path.join(folder, "tokenizer.json"), bert_tokenizer_json(vocab))
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": False, "cls_token": "[CLS]", "sep_token": "[SEP]",
        "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]", "model_max_length": max_pos,
    })
    write_json(os.path.join(folder, "special_tokens_map.json"), {"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]"})
    ids = torch.tensor([[2, 10, 11, 3], [2, 12, 3, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    types = torch.zeros_like(ids)
    export(model, (ids, mask, types), ["input_ids", "attention_mask", "token_type_ids"], ["last_hidden_state"], os.path.join(folder, "onnx", "model.onnx"))
    # Below opset 17 torch decomposes LayerNorm (ReduceMean, Sub, Pow, Sqrt, Div, Mul, Add).
    export(model, (ids, mask, types), ["input_ids", "attention_mask", "token_type_ids"], ["last_hidden_state"], os.path.join(folder, "onnx", "model_opset14.onnx"), opset=14)
    golden("tiny-bert", model, lambda x: model.hidden_states(x, torch.ones_like(x), torch.zeros_like(x)),
           lambda w: bert_tokenize_word(w, vocab), [vocab["[CLS]"]], [vocab["[SEP]"]], layers)


def make_llama():
    folder = os.path.join(FIXTURES, "models", "tiny-llama")
    corpus = " ".join(" ".join(s) for s in SENTENCES).split() + "the cat the dog the mat runs running sleeps sleeping quick quickly together today and on".split()
    vocab, merges = make_bpe(corpus, 60)
    ranks = {m: i for i, m in enumerate(merges)}
    d, layers, heads, ffn, max_pos = 32, 2, 4, 64, 48
    torch.manual_seed(0)
    model = TinyLlama(len(vocab), d, layers, heads, ffn).eval()
    init_weights(model, 2)
    write_json(os.path.join(folder, "config.json"), {
        "architectures": ["LlamaModel"], "model_type": "llama", "vocab_size": len(vocab), "hidden_size": d,
        "num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": heads, "intermediate_size": ffn,
        "max_position_embeddings": max_pos, "rms_norm_eps": 1e-6, "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": 2,
        "_comment": "tiny random test model made by scripts/models/make_tiny_models.py",
    })
    write_json(os.path.join(folder, "tokenizer.json"), bpe_tokenizer_json(vocab, merges))
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "LlamaTokenizerFast", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
        "add_bos_token": True, "add_eos_token": False, "model_max_length": max_pos,
    })
    ids = torch.tensor([[1, 10, 11, 12], [1, 13, 14, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    export(model, (ids, mask), ["input_ids", "attention_mask"], ["last_hidden_state"], os.path.join(folder, "onnx", "model.onnx"))
    hs_names = ["last_hidden_state"] + [f"hidden_states.{i}" for i in range(layers + 1)]
    export(WithHiddenStates(model), (ids, mask), ["input_ids", "attention_mask"], hs_names, os.path.join(folder, "onnx", "model_with_hidden_states.onnx"))
    golden("tiny-llama", model, lambda x: model.hidden_states(x, torch.ones_like(x)),
           lambda w: bpe_tokenize_word(w, vocab, ranks), [vocab["<s>"]], [], layers)


if __name__ == "__main__":
    make_bert()
    make_llama()
    for root, _, files in os.walk(os.path.join(FIXTURES, "models")):
        for f in files:
            p = os.path.join(root, f)
            print(f"{os.path.relpath(p, FIXTURES)}  {os.path.getsize(p)} bytes")
