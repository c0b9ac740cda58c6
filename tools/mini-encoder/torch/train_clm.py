"""Causal-LM training of xling's default decoder (models/xling-mini-decoder) with PyTorch on CPU, a
development tool like train_mlm.py. Reads the corpus that `train-decoder` writes (the encoder's
vocabulary with the UPOS tags as whole pieces, its held-out split, plain sentences and UPOS-tagged
train-split sentences as structured-prompting demonstrations), trains a LLaMA-architecture decoder
(RMSNorm, rotary embeddings, SwiGLU, causal attention, tied embeddings) and writes model.safetensors
with Hugging Face LlamaForCausalLM tensor names, config.json and the training log.

Each training window starts with BOS ([CLS]) and holds either plain sentences of one language
(each ending in [SEP]) or structured-prompting demonstrations (`Context: w… Tagged: w_T …`); half
of the demonstration windows switch to a second language part-way (source-language
demonstrations before a target-language sentence, as in cross-lingual prompting).

Run: /usr/bin/python3 tools/mini-encoder/torch/train_clm.py --work DIR --out models/xling-mini-decoder
     [--seed 1 --steps N --batch-size 8 --context 1024 --layers 4 --hidden 128 --threads 1]
Resume: the same command again continues from DIR/torch-clm-checkpoint.pt.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from train_mlm import learning_rate, log, read_split, trainer_arguments, write_safetensors


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    trainer_arguments(p, "written by train-decoder", steps=1000, batch_size=8, batch_help="windows per step", lr=2e-3,
                      warmup=50, intermediate=384, threads=1, log_every=10, eval_every=250, checkpoint_every=50)
    p.add_argument("--context", type=int, default=512, help="window length in tokens (max_position_embeddings)")
    p.add_argument("--rope-theta", type=float, default=10000.0)
    p.add_argument("--tagged-fraction", type=float, default=0.5, help="share of windows of tagged demonstrations")
    p.add_argument("--lm-fraction", type=float, default=0.25,
                   help="share of the non-tag positions whose next-token loss is computed (tag tokens: all)")
    return p.parse_args()


class RMSNorm(nn.Module):
    def __init__(self, h, eps=1e-6):
        super().__init__()
        self.eps, self.weight = eps, nn.Parameter(torch.ones(h))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class Block(nn.Module):
    """One pre-norm LLaMA layer; attribute names are LlamaDecoderLayer's."""

    def __init__(self, a):
        super().__init__()
        h = a.hidden
        self.heads = a.heads
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(h), RMSNorm(h)
        self.q_proj, self.k_proj, self.v_proj, self.o_proj = (nn.Linear(h, h, bias=False) for _ in range(4))
        self.gate_proj, self.up_proj = nn.Linear(h, a.intermediate, bias=False), nn.Linear(h, a.intermediate, bias=False)
        self.down_proj = nn.Linear(a.intermediate, h, bias=False)

    def forward(self, x, cos, sin, bias):
        b, t, h = x.shape
        y = self.input_layernorm(x)
        split = lambda z: z.view(b, t, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.q_proj(y)), split(self.k_proj(y)), split(self.v_proj(y))
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(h // self.heads) + bias
        x = x + self.o_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h))
        y = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))


class MiniLlama(nn.Module):
    """LLaMA decoder with the LM head tied to the embeddings (tie_word_embeddings)."""

    def __init__(self, vocab, a):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, a.hidden)
        self.layers = nn.ModuleList(Block(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.hidden)
        d = a.hidden // a.heads
        inv_freq = 1.0 / (a.rope_theta ** (torch.arange(0, d, 2).float() / d))
        angles = torch.outer(torch.arange(a.context).float(), inv_freq)
        self.register_buffer("cos", torch.cat((angles, angles), -1).cos(), persistent=False)
        self.register_buffer("sin", torch.cat((angles, angles), -1).sin(), persistent=False)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
        # GPT-2's scaled init of the residual projections keeps the residual stream's scale.
        for block in self.layers:
            for m in (block.o_proj, block.down_proj):
                nn.init.normal_(m.weight, std=0.02 / math.sqrt(2 * a.layers))

    def forward(self, ids):
        t = ids.shape[1]
        bias = torch.full((t, t), float("-inf")).triu(1)
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, self.cos[:t], self.sin[:t], bias)
        return self.norm(x)

    def logits(self, x):
        return x @ self.embed_tokens.weight.T

    def hf_tensors(self):
        t = {"model.embed_tokens.weight": self.embed_tokens.weight, "model.norm.weight": self.norm.weight}
        for i, block in enumerate(self.layers):
            for name, p in block.named_parameters():
                group = "self_attn" if name.split(".")[0] in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp"
                t[f"model.layers.{i}.{name if 'layernorm' in name else f'{group}.{name}'}"] = p
        return {k: v.detach().float().contiguous().numpy() for k, v in t.items()}


class Corpus:
    """The exported corpus: plain sentences ([CLS] w… [SEP]) and tagged demonstrations."""

    def __init__(self, work):
        folder = os.path.join(work, "corpus")
        self.meta = json.load(open(os.path.join(folder, "corpus.json")))
        self.meta.update(json.load(open(os.path.join(folder, "decoder.json"))))
        self.plain, plain_lang = read_split(folder, "train")
        self.plain = [s[1:] for s in self.plain]  # the window's BOS stands for every [CLS]
        self.held, self.held_lang = read_split(folder, "heldout")
        self.tagged, tagged_lang = read_split(folder, "tagged-train")
        self.held_tagged, self.held_tagged_lang = read_split(folder, "tagged-heldout")
        self.tagged_mask, self.held_mask = (read_mask(folder, f"tagged-{name}") for name in ("train", "heldout"))
        n = len(self.meta["languages"])
        self.plain_by = [np.nonzero(plain_lang == l)[0] for l in range(n)]
        self.tagged_by = [np.nonzero(tagged_lang == l)[0] for l in range(n)]

    def window(self, rng, context, tagged):
        """One training window of context + 1 tokens (inputs and shifted targets) and its tag mask."""
        pieces, probabilities = (self.tagged, "taggedProbabilities") if tagged else (self.plain, "probabilities")
        by = self.tagged_by if tagged else self.plain_by
        p = np.array(self.meta[probabilities])
        lang = rng.choice(len(p), p=p)
        switch_at = rng.integers(1, 6) if tagged and rng.random() < 0.5 else -1
        ids, mask, n = [self.meta["bosId"]], [0], 0
        while len(ids) <= context:
            if n == switch_at:
                lang = rng.choice(len(p), p=p)
            i = by[lang][rng.integers(len(by[lang]))]
            ids.extend(pieces[i])
            mask.extend(self.tagged_mask[i] if tagged else np.zeros(len(pieces[i]), dtype=np.int32))
            n += 1
        return ids[:context + 1], mask[:context + 1]


def read_mask(folder, name):
    mask = np.fromfile(os.path.join(folder, f"{name}.tagmask.i32"), dtype="<i4")
    offsets = np.fromfile(os.path.join(folder, f"{name}.offsets.i32"), dtype="<i4")
    return [mask[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]


def batch_loss(model, windows, rng, lm_fraction):
    """Mean next-token loss over every tag token and a random `lm_fraction` of the other
    positions: the vocabulary projection is most of a step's cost at this size, and the tags are
    what the model is for (an unbiased subsample of the plain next-token loss otherwise)."""
    ids = torch.tensor(np.array([w for w, _ in windows]), dtype=torch.int64)
    tags = np.array([m for _, m in windows])[:, 1:] == 1
    keep = torch.from_numpy(tags | (rng.random(tags.shape) < lm_fraction))
    x = model(ids[:, :-1])[keep]
    return F.cross_entropy(model.logits(x), ids[:, 1:][keep])


@torch.no_grad()
def evaluate(model, corpus):
    """Held-out next-token loss and accuracy of the plain sentences, and the loss and accuracy of
    the tag tokens of the held-out tagged sentences, each alone after BOS (no demonstrations;
    accuracy = argmax over the whole vocabulary), per language."""
    model.eval()
    bos, languages = corpus.meta["bosId"], corpus.meta["languages"]
    per = {}

    def run(sequences, langs, masks, kind):
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        for start in range(0, len(order), 32):
            chunk = order[start:start + 32]
            seqs = [np.concatenate(([bos], sequences[i] if masks else sequences[i][1:])) for i in chunk]
            t = max(len(s) for s in seqs)
            ids = np.zeros((len(seqs), t), dtype=np.int64)
            weight = np.zeros((len(seqs), t), dtype=bool)
            for b, (i, s) in enumerate(zip(chunk, seqs)):
                ids[b, :len(s)] = s
                weight[b, 1:len(s)] = masks[i] == 1 if masks else True
            ids, weight = torch.from_numpy(ids), torch.from_numpy(weight[:, 1:])
            logits = model.logits(model(ids[:, :-1]))
            losses = F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten(), reduction="none").view(weight.shape)
            right = logits.argmax(-1) == ids[:, 1:]
            for b, i in enumerate(chunk):
                k = (kind, languages[langs[i]])
                loss, hits, n = per.get(k, (0.0, 0, 0))
                w = weight[b]
                per[k] = (loss + losses[b][w].sum().item(), hits + right[b][w].sum().item(), n + int(w.sum()))

    run(corpus.held, corpus.held_lang, None, "plain")
    run(corpus.held_tagged, corpus.held_tagged_lang, corpus.held_mask, "tags")
    model.train()
    result = {}
    for kind in ("plain", "tags"):
        rows = [{"language": l, "tokens": n, "loss": s / n, "accuracy": r / n}
                for (k, l), (s, r, n) in sorted(per.items()) if k == kind and n > 0]
        total = sum(r["tokens"] for r in rows)
        result[kind] = {"rows": rows,
                        "loss": sum(r["loss"] * r["tokens"] for r in rows) / total,
                        "accuracy": sum(r["accuracy"] * r["tokens"] for r in rows) / total}
    return result


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    corpus = Corpus(a.work)
    vocab = corpus.meta["vocabSize"]
    model = MiniLlama(vocab, a)
    decay = [p for n, p in model.named_parameters() if p.dim() > 1]
    rest = [p for n, p in model.named_parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    ckpt_path = os.path.join(a.work, "torch-clm-checkpoint.pt")
    state = {"step": 0, "wallSeconds": 0.0, "losses": [], "evaluations": []}
    rng = np.random.default_rng(a.seed)
    if os.path.exists(ckpt_path):
        saved = torch.load(ckpt_path)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["optimizer"])
        state, rng = saved["state"], saved["rng"]
        torch.set_rng_state(saved["torch_rng"])
        log(f"resumed at step {state['step']}")
    log(f"{sum(p.numel() for p in model.parameters())} parameters, {len(corpus.plain)} plain and "
        f"{len(corpus.tagged)} tagged training sentences, {len(corpus.held)} and {len(corpus.held_tagged)} held out")

    def save():
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state, "rng": rng,
                    "torch_rng": torch.get_rng_state()}, tmp)
        os.replace(tmp, ckpt_path)

    def report_eval():
        result = evaluate(model, corpus)
        state["evaluations"].append({"step": state["step"], **result})
        log(f"held-out: plain loss {result['plain']['loss']:.3f} next-token accuracy {100 * result['plain']['accuracy']:.1f}%, "
            f"tag loss {result['tags']['loss']:.3f} tag accuracy {100 * result['tags']['accuracy']:.1f}% (no demonstrations)")

    model.train()
    started, window, window_n = time.time(), 0.0, 0
    wall_before, first_step = state["wallSeconds"], state["step"]
    while state["step"] < a.steps:
        step = state["step"]
        for g in opt.param_groups:
            g["lr"] = learning_rate(step, a)
        windows = [corpus.window(rng, a.context, rng.random() < a.tagged_fraction) for _ in range(a.batch_size)]
        loss = batch_loss(model, windows, rng, a.lm_fraction)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] = step + 1
        window += loss.item()
        window_n += 1
        state["wallSeconds"] = wall_before + time.time() - started
        if state["step"] % a.log_every == 0 or state["step"] == a.steps:
            rate = (state["step"] - first_step) / max(1e-9, time.time() - started)
            log(f"step {state['step']}/{a.steps} loss {window / window_n:.3f} lr {learning_rate(step, a):.2e} "
                f"{rate:.3f} step/s {rate * a.batch_size * a.context:.0f} tokens/s "
                f"ETA {(a.steps - state['step']) / max(1e-9, rate) / 60:.1f} min")
            state["losses"].append({"step": state["step"], "loss": window / window_n})
            window, window_n = 0.0, 0
        if state["step"] % a.eval_every == 0 and state["step"] < a.steps:
            report_eval()
        if state["step"] % a.checkpoint_every == 0 or state["step"] == a.steps:
            save()
        if a.stop_after and state["step"] >= a.stop_after:
            save()
            log(f"stopped after step {state['step']} (resume with the same command)")
            return
    if not state["evaluations"] or state["evaluations"][-1]["step"] != state["step"]:
        report_eval()
        save()
    export(model, a, corpus, state)


def export(model, a, corpus, state):
    os.makedirs(a.out, exist_ok=True)
    model.eval()
    write_safetensors(os.path.join(a.out, "model.safetensors"), model.hf_tensors())
    meta = corpus.meta
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": meta["vocabSize"],
              "hidden_size": a.hidden, "num_hidden_layers": a.layers, "num_attention_heads": a.heads,
              "num_key_value_heads": a.heads, "intermediate_size": a.intermediate, "hidden_act": "silu",
              "max_position_embeddings": a.context, "rms_norm_eps": 1e-6, "rope_theta": a.rope_theta,
              "tie_word_embeddings": True, "attention_bias": False, "mlp_bias": False,
              "bos_token_id": meta["bosId"], "eos_token_id": meta["sepId"], "pad_token_id": meta["padId"],
              "initializer_range": 0.02, "torch_dtype": "float32"}
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    # Golden logits of the first held-out tagged sentence, for a check of the built ONNX graph.
    ids = np.concatenate(([meta["bosId"]], corpus.held_tagged[0]))[:64]
    with torch.no_grad():
        logits = model.logits(model(torch.from_numpy(ids.astype(np.int64))[None]))[0]
    golden = {"ids": ids.tolist(), "lastLogits": logits[-1].numpy().round(6).tolist()}
    out = {"args": vars(a), "state": state, "torch": torch.__version__, "golden": golden,
           "parameters": sum(p.numel() for p in model.parameters())}
    with open(os.path.join(a.work, "torch-clm-log.json"), "w") as f:
        json.dump(out, f)
    log(f"exported {a.out} (model.safetensors, config.json); log in {a.work}/torch-clm-log.json")


if __name__ == "__main__":
    main()
