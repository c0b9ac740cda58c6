"""Masked-LM training of xling's default encoder with PyTorch on CPU (a development tool: users
never train the default model). Reads the corpus that `train-cli.ts --export-corpus` writes (the
TypeScript tool's vocabulary, held-out split and encoding), trains a post-norm BERT with Hugging
Face BertForMaskedLM tensor names, and writes model.safetensors, config.json, the training log
and golden hidden states that `check-onnx` compares xling's ONNX graph against.

Why PyTorch: the TypeScript trainer (tfjs wasm) runs a step of this model several times slower on
the same two cores (see the model card), too slow to reach the target within the time budget.

Run: /usr/bin/python3 tools/mini-encoder/torch/train_mlm.py --work DIR --out models/xling-mini-encoder
     [--seed 1 --steps N --batch-size 64 --lr 1e-3 --layers 4 --hidden 128 --threads 2]
     [--init-embeddings DIR/ppmi-embeddings.npy]  (from ppmi_embeddings.py)
Resume: the same command again continues from DIR/torch-checkpoint.pt. Continue a finished model with a
new schedule: --init-from <its folder>, a new --work folder and --corpus <the first run's DIR>/corpus.
"""
import argparse
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def trainer_arguments(p, corpus_from, **defaults):
    """The flags both trainers share (this one and train_clm.py), with each script's defaults."""
    p.add_argument("--work", required=True, help=f"work folder holding corpus/ ({corpus_from})")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--steps", type=int, default=defaults["steps"])
    p.add_argument("--batch-size", type=int, default=defaults["batch_size"], help=defaults.get("batch_help"))
    p.add_argument("--lr", type=float, default=defaults["lr"])
    p.add_argument("--warmup", type=int, default=defaults["warmup"])
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--intermediate", type=int, default=defaults["intermediate"])
    p.add_argument("--threads", type=int, default=defaults["threads"])
    p.add_argument("--log-every", type=int, default=defaults["log_every"])
    p.add_argument("--eval-every", type=int, default=defaults["eval_every"])
    p.add_argument("--checkpoint-every", type=int, default=defaults["checkpoint_every"])
    p.add_argument("--stop-after", type=int, default=0, help="stop (resumably) after this many steps")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    trainer_arguments(p, "from --export-corpus", steps=20000, batch_size=64, lr=1e-3, warmup=1000, intermediate=512,
                      threads=2, log_every=100, eval_every=2000, checkpoint_every=500)
    p.add_argument("--corpus", help="corpus folder (default: WORK/corpus), so a continued run can read an earlier "
                   "run's corpus from its own work folder")
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--bf16", action="store_true",
                   help="mixed precision: the training steps' products in bfloat16 (CPU autocast; weights and "
                   "optimiser float32, the loss computed in float32 from bf16 logits, every evaluation float32); "
                   "about twice the steps per second where the CPU has AVX512-BF16")
    p.add_argument("--storage", choices=["fp32", "fp16"], default="fp32",
                   help="dtype of model.safetensors; fp16 halves the folder (the weights are rounded before the "
                   "golden states and the final held-out evaluation, so both describe the shipped weights)")
    p.add_argument("--init-from", help="a model folder this script exported: start from all its weights (a fresh "
                   "optimiser and schedule; the step count starts at 0)")
    p.add_argument("--init-embeddings", help="float32 .npy [vocab, hidden] to start the piece embeddings from "
                   "(ppmi_embeddings.py writes one)")
    p.add_argument("--whole-word-masking", action="store_true",
                   help="train on whole-word masking: draw words, not pieces, and mask every piece of a drawn word "
                   "(the held-out evaluation keeps piece masking, so accuracies stay comparable)")
    return p.parse_args()


def log(line):
    print(f"[{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}] {line}", flush=True)


def read_split(folder, name):
    read = lambda part: np.fromfile(os.path.join(folder, f"{name}.{part}.i32"), dtype="<i4")
    tokens, offsets, languages = read("tokens"), read("offsets"), read("languages")
    sentences = [tokens[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
    return sentences, languages


class Layer(nn.Module):
    """One post-norm BERT layer (attention, add & norm, GELU feed-forward, add & norm)."""

    def __init__(self, h, heads, inter, dropout):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attn_out, self.attn_norm = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        self.inter, self.out, self.out_norm = nn.Linear(h, inter), nn.Linear(inter, h), nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(h // self.heads) + bias
        ctx = self.drop(scores.softmax(-1)) @ v
        x = self.attn_norm(x + self.drop(self.attn_out(ctx.transpose(1, 2).reshape(b, t, h))))
        return self.out_norm(x + self.drop(self.out(F.gelu(self.inter(x)))))


class MiniBert(nn.Module):
    """BERT encoder with a tied masked-LM head; parameter names map to BertForMaskedLM's."""

    def __init__(self, vocab, a):
        super().__init__()
        h = a.hidden
        self.word, self.position, self.token_type = nn.Embedding(vocab, h), nn.Embedding(a.max_length, h), nn.Embedding(2, h)
        self.emb_norm, self.drop = nn.LayerNorm(h, eps=1e-12), nn.Dropout(a.dropout)
        self.layers = nn.ModuleList(Layer(h, a.heads, a.intermediate, a.dropout) for _ in range(a.layers))
        self.head, self.head_norm = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        self.head_bias = nn.Parameter(torch.zeros(vocab))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def encode(self, ids, mask):
        t = ids.shape[1]
        x = self.word(ids) + self.position.weight[:t] + self.token_type.weight[0]
        x = self.drop(self.emb_norm(x))
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).to(x.dtype)
        states = [x]
        for layer in self.layers:
            x = layer(x, bias)
            states.append(x)
        return states

    def logits(self, x):
        # .float(): under CPU bf16 autocast (torch 1.13) LayerNorm refuses a bf16 input.
        return self.head_norm(F.gelu(self.head(x)).float()) @ self.word.weight.T + self.head_bias

    def hf_parameters(self):
        """The parameters under Hugging Face BertForMaskedLM names (Linear weights are [out, in] in both)."""
        t = {
            "bert.embeddings.word_embeddings.weight": self.word.weight,
            "bert.embeddings.position_embeddings.weight": self.position.weight,
            "bert.embeddings.token_type_embeddings.weight": self.token_type.weight,
            "bert.embeddings.LayerNorm.weight": self.emb_norm.weight,
            "bert.embeddings.LayerNorm.bias": self.emb_norm.bias,
            "cls.predictions.transform.dense.weight": self.head.weight,
            "cls.predictions.transform.dense.bias": self.head.bias,
            "cls.predictions.transform.LayerNorm.weight": self.head_norm.weight,
            "cls.predictions.transform.LayerNorm.bias": self.head_norm.bias,
            "cls.predictions.bias": self.head_bias,
        }
        names = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
                 "attn_out": "attention.output.dense", "attn_norm": "attention.output.LayerNorm",
                 "inter": "intermediate.dense", "out": "output.dense", "out_norm": "output.LayerNorm"}
        for i, layer in enumerate(self.layers):
            for attr, hf in names.items():
                module = getattr(layer, attr)
                t[f"bert.encoder.layer.{i}.{hf}.weight"] = module.weight
                t[f"bert.encoder.layer.{i}.{hf}.bias"] = module.bias
        return t

    def hf_tensors(self):
        return {k: v.detach().float().contiguous().numpy() for k, v in self.hf_parameters().items()}

    @torch.no_grad()
    def load_hf_folder(self, folder):
        """Every parameter from a model folder this script exported (model.safetensors, F32 or F16)."""
        tensors = read_safetensors(os.path.join(folder, "model.safetensors"))
        for name, parameter in self.hf_parameters().items():
            if name not in tensors or tuple(tensors[name].shape) != tuple(parameter.shape):
                raise SystemExit(f"{folder}: tensor {name} missing or of another shape than {tuple(parameter.shape)}")
            parameter.copy_(torch.from_numpy(tensors[name].astype(np.float32)))


def continuation_flags(folder, meta):
    """Boolean per piece id: does the piece continue a word (WordPiece '##' prefix)?"""
    model = json.load(open(os.path.join(folder, "tokenizer.json"), encoding="utf-8"))["model"]
    prefix, flags = model.get("continuing_subword_prefix", "##"), np.zeros(meta["vocabSize"], dtype=bool)
    for piece, i in model["vocab"].items():
        flags[i] = piece.startswith(prefix)
    return flags


def masked_positions(s, first, rng, rate, continues):
    """Positions to predict in one sentence: regular pieces drawn at `rate`, or, with `continues`
    (see continuation_flags), whole words drawn at `rate` with all their pieces; at least one."""
    regular = np.nonzero(s >= first)[0]
    if len(regular) == 0:
        return regular
    if continues is None:
        chosen = regular[rng.random(len(regular)) < rate]
    else:
        word = np.cumsum(~continues[s[regular]])  # a continuation piece joins the word before it
        chosen = regular[(rng.random(word[-1] + 1) < rate)[word]]
    return chosen if len(chosen) else regular[rng.integers(len(regular)):][:1]


def mask_batch(sentences, meta, rng, rate=0.15, continues=None):
    """BERT masking (15% of regular tokens, or of words with `continues`; 80% [MASK], 10% random,
    10% kept; at least one per sentence)."""
    t = max(len(s) for s in sentences)
    ids = np.full((len(sentences), t), meta["padId"], dtype=np.int64)
    mask = np.zeros((len(sentences), t), dtype=np.float32)
    labels = np.full((len(sentences), t), -100, dtype=np.int64)
    first = meta["firstRegularId"]
    for b, s in enumerate(sentences):
        ids[b, :len(s)], mask[b, :len(s)] = s, 1
        chosen = masked_positions(s, first, rng, rate, continues)
        labels[b, chosen] = s[chosen]
        r = rng.random(len(chosen))
        ids[b, chosen[r < 0.8]] = meta["maskId"]
        swap = chosen[(r >= 0.8) & (r < 0.9)]
        ids[b, swap] = rng.integers(first, meta["vocabSize"], len(swap))
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(labels)


def draw_batches(train, by_lang, probabilities, batch_size, rng, group=8):
    """`group` batches of language-sampled sentences, sorted by length before they are cut into
    batches, so a batch pads little (random sentences of 10 to 128 tokens would waste about half
    of each step on padding); the batches are returned in random order."""
    langs = rng.choice(len(probabilities), size=batch_size * group, p=probabilities)
    sentences = sorted((train[by_lang[l][rng.integers(len(by_lang[l]))]] for l in langs), key=len)
    batches = [sentences[i:i + batch_size] for i in range(0, len(sentences), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def mlm_loss(model, ids, mask, labels):
    """Cross-entropy over the masked positions only (the vocabulary projection is the costly part)."""
    x = model.encode(ids, mask)[-1]
    where = labels >= 0
    logits = model.logits(x[where]).float()
    return F.cross_entropy(logits, labels[where], reduction="sum"), logits, labels[where]


@torch.no_grad()
def evaluate(model, held, held_lang, meta, seed):
    """Held-out masked-LM loss and accuracy per language, with a fixed seeded masking."""
    model.eval()
    rng = np.random.default_rng(seed + 1_000_003)
    per = {}
    for start in range(0, len(held), 64):
        batch = held[start:start + 64]
        ids, mask, labels = mask_batch(batch, meta, rng)
        x = model.encode(ids, mask)[-1]
        for b in range(len(batch)):
            where = labels[b] >= 0
            logits = model.logits(x[b][where])
            target = labels[b][where]
            lang = meta["languages"][held_lang[start + b]]
            loss, right, n = per.get(lang, (0.0, 0, 0))
            per[lang] = (loss + F.cross_entropy(logits, target, reduction="sum").item(),
                         right + (logits.argmax(-1) == target).sum().item(), n + len(target))
    model.train()
    rows = [{"language": l, "maskedTokens": n, "loss": s / n, "accuracy": r / n} for l, (s, r, n) in sorted(per.items())]
    total = sum(r["maskedTokens"] for r in rows)
    overall = sum(r["accuracy"] * r["maskedTokens"] for r in rows) / total
    mean = sum(r["accuracy"] for r in rows) / len(rows)
    return {"rows": rows, "accuracy": overall, "meanLanguageAccuracy": mean}


def read_safetensors(path):
    """name -> numpy array of a safetensors file with F32 or F16 tensors."""
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    dtypes = {"F32": "<f4", "F16": "<f2"}
    return {name: np.frombuffer(data[i["data_offsets"][0]:i["data_offsets"][1]], dtype=dtypes[i["dtype"]]).reshape(i["shape"])
            for name, i in header.items() if name != "__metadata__"}


def write_safetensors(path, tensors, storage="fp32"):
    numpy_dtype, name_of_dtype = ("<f2", "F16") if storage == "fp16" else ("<f4", "F32")
    tensors = {name: array.astype(numpy_dtype) for name, array in tensors.items()}
    header = {}
    offset = 0
    for name in sorted(tensors):
        array = tensors[name]
        header[name] = {"dtype": name_of_dtype, "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for name in sorted(tensors):
            f.write(tensors[name].tobytes())
    os.replace(tmp, path)


def learning_rate(step, a):
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    return a.lr * max(0.0, (a.steps - step) / max(1, a.steps - a.warmup))


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    folder = a.corpus or os.path.join(a.work, "corpus")
    meta = json.load(open(os.path.join(folder, "corpus.json")))
    train, train_lang = read_split(folder, "train")
    held, held_lang = read_split(folder, "heldout")
    by_lang = [np.nonzero(train_lang == l)[0] for l in range(len(meta["languages"]))]
    probabilities = np.array(meta["probabilities"])
    continues = continuation_flags(folder, meta) if a.whole_word_masking else None
    model = MiniBert(meta["vocabSize"], a)
    if a.init_from:
        model.load_hf_folder(a.init_from)
    elif a.init_embeddings:
        init = torch.from_numpy(np.load(a.init_embeddings))
        if tuple(init.shape) != tuple(model.word.weight.shape):
            raise SystemExit(f"{a.init_embeddings}: shape {tuple(init.shape)}, expected {tuple(model.word.weight.shape)}")
        with torch.no_grad():
            model.word.weight.copy_(init)
    decay = [p for n, p in model.named_parameters() if p.dim() > 1 and "norm" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() > 1 and "norm" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.98), eps=1e-6)
    ckpt_path = os.path.join(a.work, "torch-checkpoint.pt")
    state = {"step": 0, "wallSeconds": 0.0, "losses": [], "evaluations": []}
    rng = np.random.default_rng(a.seed)
    if os.path.exists(ckpt_path):
        saved = torch.load(ckpt_path, weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["optimizer"])
        state, rng = saved["state"], saved["rng"]
        torch.set_rng_state(saved["torch_rng"])
        log(f"resumed at step {state['step']}")
    log(f"{sum(p.numel() for p in model.parameters())} parameters, {len(train)} training sentences, {len(held)} held out")

    def save():
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state, "rng": rng,
                    "torch_rng": torch.get_rng_state()}, tmp)
        os.replace(tmp, ckpt_path)

    model.train()
    queue = []
    started, window, window_n = time.time(), 0.0, 0
    wall_before = state["wallSeconds"]
    while state["step"] < a.steps:
        step = state["step"]
        for g in opt.param_groups:
            g["lr"] = learning_rate(step, a)
        if not queue:
            queue = draw_batches(train, by_lang, probabilities, a.batch_size, rng)
        ids, mask, labels = mask_batch(queue.pop(), meta, rng, continues=continues)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=a.bf16):
            loss, _, target = mlm_loss(model, ids, mask, labels)
        opt.zero_grad(set_to_none=True)
        (loss / len(target)).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] = step + 1
        window += loss.item() / len(target)
        window_n += 1
        state["wallSeconds"] = wall_before + time.time() - started
        if state["step"] % a.log_every == 0 or state["step"] == a.steps:
            rate = (state["step"]) / max(1e-9, state["wallSeconds"])
            eta = (a.steps - state["step"]) / max(1e-9, rate)
            log(f"step {state['step']}/{a.steps} loss {window / window_n:.3f} lr {learning_rate(step, a):.2e} "
                f"{rate:.2f} step/s ETA {eta / 60:.1f} min")
            state["losses"].append({"step": state["step"], "loss": window / window_n})
            window, window_n = 0.0, 0
        if state["step"] % a.eval_every == 0 or state["step"] == a.steps:
            result = evaluate(model, held, held_lang, meta, a.seed)
            state["evaluations"].append({"step": state["step"], **result})
            log(f"held-out MLM accuracy {100 * result['accuracy']:.1f}% (mean over languages {100 * result['meanLanguageAccuracy']:.1f}%)")
        if state["step"] % a.checkpoint_every == 0 or state["step"] == a.steps:
            save()
        if a.stop_after and state["step"] >= a.stop_after:
            save()
            log(f"stopped after step {state['step']} (resume with the same command)")
            return
    export(model, a, meta, state, held, held_lang)


def export(model, a, meta, state, held, held_lang):
    os.makedirs(a.out, exist_ok=True)
    if a.storage == "fp16":
        # What xling reads back from F16 storage: round once, then measure and take golden states.
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(p.half().float())
        result = evaluate(model, held, held_lang, meta, a.seed)
        last = state["evaluations"][-1] if state["evaluations"] else None
        if last is None or last["step"] != state["step"] or last.get("storage") != "fp16":
            state["evaluations"].append({"step": state["step"], "storage": "fp16", **result})
        log(f"held-out MLM accuracy with fp16 weights {100 * result['accuracy']:.1f}% "
            f"(mean over languages {100 * result['meanLanguageAccuracy']:.1f}%)")
    model.eval()
    write_safetensors(os.path.join(a.out, "model.safetensors"), model.hf_tensors(), a.storage)
    config = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "vocab_size": meta["vocabSize"],
              "hidden_size": a.hidden, "num_hidden_layers": a.layers, "num_attention_heads": a.heads,
              "intermediate_size": a.intermediate, "hidden_act": "gelu", "hidden_dropout_prob": a.dropout,
              "attention_probs_dropout_prob": a.dropout, "max_position_embeddings": a.max_length,
              "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12,
              "pad_token_id": meta["padId"], "position_embedding_type": "absolute",
              "torch_dtype": "float16" if a.storage == "fp16" else "float32"}
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    # Golden hidden states of a few held-out sentences: check-onnx compares xling's graph with them.
    sentences = [held[i] for i in range(0, len(held), max(1, len(held) // 4))][:4]
    golden = []
    with torch.no_grad():
        for s in sentences:
            ids = torch.from_numpy(s.astype(np.int64))[None]
            states = model.encode(ids, torch.ones_like(ids, dtype=torch.float32))
            golden.append({"ids": s.tolist(), "layers": [x[0].numpy().round(6).tolist() for x in states]})
    log_out = {"args": vars(a), "state": state, "torch": torch.__version__, "golden": golden}
    with open(os.path.join(a.work, "torch-train-log.json"), "w") as f:
        json.dump(log_out, f)
    log(f"exported {a.out} (model.safetensors, config.json); log and golden states in {a.work}/torch-train-log.json")


if __name__ == "__main__":
    main()
