"""Tiny random Hugging Face checkpoints plus an independent reference forward pass.

Writes packages/extract/src/__fixtures__/build/<name>/ for seven checkpoints (bert, xlm-roberta,
llama, qwen2, qwen3, mistral, gpt2): config.json, tokenizer.json, *.safetensors (written by hand
here: 8-byte little-endian header length, JSON header, raw data) and golden.json with every layer's
hidden state for fixed inputs, computed by a plain-torch float64 forward pass written from the
Hugging Face modelling equations (modeling_bert.py, modeling_roberta.py, modeling_llama.py,
modeling_qwen2.py, modeling_qwen3.py, modeling_mistral.py, modeling_gpt2.py). No `transformers`
import. The decoders also get generation-golden.json: the logits (lm_head, or the embedding when
tied) and every layer's hidden state of an unpadded batch, for the generation graph.

Run: /usr/bin/python3 scripts/golden/build/make_checkpoints.py
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
OUT = os.path.join(ROOT, 'packages', 'extract', 'src', '__fixtures__', 'build')
F32_MIN = float(np.finfo(np.float32).min)

# ---------------------------------------------------------------- safetensors writing


def st_dtype(t):
    return {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16'}[t.dtype]


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        # numpy has no bfloat16: take the upper 16 bits of the float32 bit pattern (exact, since
        # the value is already bfloat16).
        bits = t.float().numpy().view(np.uint32) >> 16
        return bits.astype('<u2').tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder('<')).tobytes()


def write_safetensors(path, tensors):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        b = raw_bytes(t)
        header[name] = {'dtype': st_dtype(t), 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode('utf-8')
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def save_checkpoint(folder, config, tensors, dtype=torch.float32, shards=1):
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    stored = {k: v.to(dtype) for k, v in tensors.items()}
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write('\n')
    # A word-level tokenizer whose first ids are the family's special tokens, so the output folder
    # loads in xling's extraction pipeline like a real one.
    specials = SPECIAL_TOKENS[config['model_type']]
    names = list(specials['vocab']) + [f'tok{i}' for i in range(len(specials['vocab']), config['vocab_size'])]
    vocab = {token: i for i, token in enumerate(names)}
    added = [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False,
              'special': True} for i, t in enumerate(specials['vocab'])]
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added, 'normalizer': None,
        'pre_tokenizer': {'type': 'Whitespace'}, 'post_processor': None, 'decoder': None,
        'model': {'type': 'WordLevel', 'vocab': vocab, 'unk_token': specials['unk_token']},
    }
    with open(os.path.join(folder, 'tokenizer.json'), 'w') as f:
        json.dump(tokenizer, f)
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump({'model_max_length': 64, **specials['config']}, f, indent=2, sort_keys=True)
    if shards == 1:
        write_safetensors(os.path.join(folder, 'model.safetensors'), stored)
        return stored
    names = sorted(stored)
    weight_map = {}
    total = 0
    for s in range(shards):
        part = names[s::shards]
        file = f'model-{s + 1:05d}-of-{shards:05d}.safetensors'
        write_safetensors(os.path.join(folder, file), {n: stored[n] for n in part})
        for n in part:
            weight_map[n] = file
            total += stored[n].numel() * stored[n].element_size()
    with open(os.path.join(folder, 'model.safetensors.index.json'), 'w') as f:
        json.dump({'metadata': {'total_size': total}, 'weight_map': weight_map}, f, indent=2, sort_keys=True)
    return stored


BERT_SPECIALS = {
    'vocab': ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'], 'unk_token': '[UNK]',
    'config': {'pad_token': '[PAD]', 'unk_token': '[UNK]', 'cls_token': '[CLS]', 'sep_token': '[SEP]',
               'mask_token': '[MASK]'},
}
ROBERTA_SPECIALS = {
    'vocab': ['<s>', '<pad>', '</s>', '<unk>', '<mask>'], 'unk_token': '<unk>',
    'config': {'bos_token': '<s>', 'cls_token': '<s>', 'eos_token': '</s>', 'sep_token': '</s>',
               'pad_token': '<pad>', 'unk_token': '<unk>', 'mask_token': '<mask>'},
}
LLAMA_SPECIALS = {
    'vocab': ['<unk>', '<s>', '</s>'], 'unk_token': '<unk>',
    'config': {'bos_token': '<s>', 'eos_token': '</s>', 'unk_token': '<unk>'},
}
# GPT-2 has one special token, <|endoftext|> (bos, eos and unk alike); xling adds none around words.
GPT2_SPECIALS = {
    'vocab': ['<|endoftext|>'], 'unk_token': '<|endoftext|>',
    'config': {'bos_token': '<|endoftext|>', 'eos_token': '<|endoftext|>', 'unk_token': '<|endoftext|>'},
}
SPECIAL_TOKENS = {'bert': BERT_SPECIALS, 'xlm-roberta': ROBERTA_SPECIALS, 'llama': LLAMA_SPECIALS,
                  'qwen2': LLAMA_SPECIALS, 'qwen3': LLAMA_SPECIALS, 'mistral': LLAMA_SPECIALS,
                  'gpt2': GPT2_SPECIALS}

# ---------------------------------------------------------------- random weights


def rand(g, *shape, std=0.3):
    return torch.randn(*shape, generator=g) * std


def norm_weight(g, n):
    return 1.0 + rand(g, n, std=0.1)


# ---------------------------------------------------------------- reference forward passes (float64)


def gelu(x, act):
    if act == 'gelu':
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if act in ('gelu_new', 'gelu_pytorch_tanh'):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if act == 'relu':
        return torch.clamp(x, min=0)
    if act in ('silu', 'swish'):
        return x * torch.sigmoid(x)
    raise ValueError(act)


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def bert_forward(cfg, W, prefix, input_ids, attention_mask, token_type_ids):
    """modeling_bert.BertModel / modeling_roberta.RobertaModel, eager attention, no dropout."""
    p = prefix
    B, S = input_ids.shape
    H = cfg['hidden_size']
    nh = cfg['num_attention_heads']
    dh = H // nh
    if cfg['model_type'] == 'bert':
        pos = torch.arange(S).unsqueeze(0).expand(B, S)
    else:
        # create_position_ids_from_input_ids: cumulative count of non-padding tokens + padding_idx.
        pad = cfg['pad_token_id']
        m = (input_ids != pad).long()
        pos = torch.cumsum(m, dim=1) * m + pad
    if token_type_ids is None:
        token_type_ids = torch.zeros_like(input_ids)
    e = (W[p + 'embeddings.word_embeddings.weight'][input_ids]
         + W[p + 'embeddings.position_embeddings.weight'][pos]
         + W[p + 'embeddings.token_type_embeddings.weight'][token_type_ids])
    x = layer_norm(e, W[p + 'embeddings.LayerNorm.weight'], W[p + 'embeddings.LayerNorm.bias'], cfg['layer_norm_eps'])
    states = [x]
    bias = (1.0 - attention_mask.double())[:, None, None, :] * F32_MIN
    for i in range(cfg['num_hidden_layers']):
        q_ = f'{p}encoder.layer.{i}.'

        def heads(t):
            return t.view(B, S, nh, dh).transpose(1, 2)
        q = heads(linear(x, W[q_ + 'attention.self.query.weight'], W[q_ + 'attention.self.query.bias']))
        k = heads(linear(x, W[q_ + 'attention.self.key.weight'], W[q_ + 'attention.self.key.bias']))
        v = heads(linear(x, W[q_ + 'attention.self.value.weight'], W[q_ + 'attention.self.value.bias']))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh) + bias
        ctx = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, S, H)
        a = linear(ctx, W[q_ + 'attention.output.dense.weight'], W[q_ + 'attention.output.dense.bias'])
        a = layer_norm(a + x, W[q_ + 'attention.output.LayerNorm.weight'], W[q_ + 'attention.output.LayerNorm.bias'],
                       cfg['layer_norm_eps'])
        h = gelu(linear(a, W[q_ + 'intermediate.dense.weight'], W[q_ + 'intermediate.dense.bias']), cfg['hidden_act'])
        o = linear(h, W[q_ + 'output.dense.weight'], W[q_ + 'output.dense.bias'])
        x = layer_norm(o + a, W[q_ + 'output.LayerNorm.weight'], W[q_ + 'output.LayerNorm.bias'], cfg['layer_norm_eps'])
        states.append(x)
    return x, states


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rope_inv_freq(cfg, dh):
    """modeling_rope_utils: default, linear and llama3 rope types (computed in float32 like HF)."""
    base = cfg.get('rope_theta', 10000.0)
    inv = 1.0 / (base ** (torch.arange(0, dh, 2, dtype=torch.int64).float() / dh))
    sc = cfg.get('rope_scaling')
    if not sc:
        return inv.double()
    kind = sc.get('rope_type', sc.get('type'))
    if kind == 'linear':
        return (inv / sc['factor']).double()
    if kind == 'llama3':
        factor, low, high = sc['factor'], sc['low_freq_factor'], sc['high_freq_factor']
        old = sc['original_max_position_embeddings']
        low_wl, high_wl = old / low, old / high
        wl = 2 * math.pi / inv
        inv_l = torch.where(wl > low_wl, inv / factor, inv)
        smooth = (old / wl - low) / (high - low)
        smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
        medium = ~(wl < high_wl) * ~(wl > low_wl)
        return torch.where(medium, smoothed, inv_l).double()
    raise ValueError(kind)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def causal_bias(S, attention_mask, window=None):
    """Additive [B, 1, S, S] mask: key k is seen by query q when k <= q (and q - k < window) and it
    is a token; finfo(float32).min otherwise."""
    qi = torch.arange(S)[:, None]
    ki = torch.arange(S)[None, :]
    allowed = ki <= qi
    if window is not None:
        allowed = allowed & (ki > qi - window)
    allowed = allowed[None, None] & attention_mask.bool()[:, None, None, :]
    return torch.where(allowed, torch.tensor(0.0, dtype=torch.float64), torch.tensor(F32_MIN, dtype=torch.float64))


def llama_forward(cfg, W, prefix, input_ids, attention_mask):
    """modeling_llama.LlamaModel (and Qwen2/Qwen3/Mistral), eager attention, position_ids = arange.

    Causality and the sliding window go by index, as HF's cache_position does; with positions
    0..S-1 and no padding before real tokens, index and position agree."""
    p = prefix
    B, S = input_ids.shape
    H = cfg['hidden_size']
    nh = cfg['num_attention_heads']
    nkv = cfg.get('num_key_value_heads', nh)
    dh = cfg.get('head_dim') or H // nh
    eps = cfg['rms_norm_eps']
    mt = cfg['model_type']
    qkv_bias = mt == 'qwen2' or cfg.get('attention_bias', False)
    o_bias = mt != 'qwen2' and cfg.get('attention_bias', False)
    x = W[p + 'embed_tokens.weight'][input_ids]
    states = [x]
    inv = rope_inv_freq(cfg, dh)
    freqs = torch.arange(S, dtype=torch.float64)[:, None] * inv[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    bias = causal_bias(S, attention_mask, cfg.get('sliding_window') if mt == 'mistral' else None)
    for i in range(cfg['num_hidden_layers']):
        l_ = f'{p}layers.{i}.'
        h = rms_norm(x, W[l_ + 'input_layernorm.weight'], eps)
        q = linear(h, W[l_ + 'self_attn.q_proj.weight'], W.get(l_ + 'self_attn.q_proj.bias') if qkv_bias else None)
        k = linear(h, W[l_ + 'self_attn.k_proj.weight'], W.get(l_ + 'self_attn.k_proj.bias') if qkv_bias else None)
        v = linear(h, W[l_ + 'self_attn.v_proj.weight'], W.get(l_ + 'self_attn.v_proj.bias') if qkv_bias else None)
        q = q.view(B, S, nh, dh)
        k = k.view(B, S, nkv, dh)
        v = v.view(B, S, nkv, dh)
        if mt == 'qwen3':
            q = rms_norm(q, W[l_ + 'self_attn.q_norm.weight'], eps)
            k = rms_norm(k, W[l_ + 'self_attn.k_norm.weight'], eps)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = nh // nkv
        k = k.repeat_interleave(rep, dim=1)  # repeat_kv: head h uses kv head h // rep
        v = v.repeat_interleave(rep, dim=1)
        scores = (q @ k.transpose(-1, -2)) * dh ** -0.5 + bias
        ctx = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, S, nh * dh)
        x = x + linear(ctx, W[l_ + 'self_attn.o_proj.weight'], W.get(l_ + 'self_attn.o_proj.bias') if o_bias else None)
        h = rms_norm(x, W[l_ + 'post_attention_layernorm.weight'], eps)
        m = gelu(linear(h, W[l_ + 'mlp.gate_proj.weight']), cfg['hidden_act']) * linear(h, W[l_ + 'mlp.up_proj.weight'])
        x = x + linear(m, W[l_ + 'mlp.down_proj.weight'])
        states.append(x)
    x = rms_norm(x, W[p + 'norm.weight'], eps)
    # output_hidden_states convention: the last entry is replaced by the normed last_hidden_state.
    states[-1] = x
    return x, states


def gpt2_forward(cfg, W, prefix, input_ids, attention_mask):
    """modeling_gpt2.GPT2Model, eager attention, no dropout, position_ids = arange: pre-LayerNorm
    blocks whose Conv1D layers compute x @ W + b with W stored [in, out]; c_attn gives q|k|v."""
    p = prefix
    B, S = input_ids.shape
    H = cfg['n_embd']
    nh = cfg['n_head']
    dh = H // nh
    eps = cfg['layer_norm_epsilon']

    def conv1d(x, name):
        return x @ W[name + '.weight'] + W[name + '.bias']

    def ln(x, name):
        return layer_norm(x, W[name + '.weight'], W[name + '.bias'], eps)

    def heads(t):
        return t.view(B, S, nh, dh).transpose(1, 2)
    x = W[p + 'wte.weight'][input_ids] + W[p + 'wpe.weight'][torch.arange(S)][None]
    states = [x]
    bias = causal_bias(S, attention_mask)
    for i in range(cfg['n_layer']):
        b_ = f'{p}h.{i}.'
        q, k, v = conv1d(ln(x, b_ + 'ln_1'), b_ + 'attn.c_attn').split(H, dim=-1)
        q, k, v = heads(q), heads(k), heads(v)
        scores = q @ k.transpose(-1, -2)
        if cfg.get('scale_attn_weights', True):
            scores = scores / math.sqrt(dh)
        ctx = (torch.softmax(scores + bias, dim=-1) @ v).transpose(1, 2).reshape(B, S, H)
        x = x + conv1d(ctx, b_ + 'attn.c_proj')
        m = gelu(conv1d(ln(x, b_ + 'ln_2'), b_ + 'mlp.c_fc'), cfg['activation_function'])
        x = x + conv1d(m, b_ + 'mlp.c_proj')
        states.append(x)
    # GPT2Model applies ln_f before adding the last entry of all_hidden_states.
    x = ln(x, p + 'ln_f')
    states[-1] = x
    return x, states


# Per decoder family: reference forward pass, embedding tensor (under the prefix) and whether the
# embeddings are tied when config.json does not say (transformers' default for the family).
DECODERS = {'llama': (llama_forward, 'embed_tokens.weight', False), 'gpt2': (gpt2_forward, 'wte.weight', True)}


def family_of(cfg):
    mt = cfg['model_type']
    return 'bert' if mt in ('bert', 'roberta', 'xlm-roberta') else 'gpt2' if mt == 'gpt2' else 'llama'


def is_tied(cfg):
    return cfg.get('tie_word_embeddings', DECODERS[family_of(cfg)][2])


def lm_logits(cfg, W, prefix, last):
    """*ForCausalLM.lm_head: the embedding matrix itself when the embeddings are tied."""
    head = W[prefix + DECODERS[family_of(cfg)][1]] if is_tied(cfg) else W['lm_head.weight']
    return last @ head.T


# ---------------------------------------------------------------- checkpoints


def bert_like(g, cfg, prefix):
    H, I, L = cfg['hidden_size'], cfg['intermediate_size'], cfg['num_hidden_layers']
    W = {
        prefix + 'embeddings.word_embeddings.weight': rand(g, cfg['vocab_size'], H, std=1.0),
        prefix + 'embeddings.position_embeddings.weight': rand(g, cfg['max_position_embeddings'], H, std=0.5),
        prefix + 'embeddings.token_type_embeddings.weight': rand(g, cfg['type_vocab_size'], H, std=0.5),
        prefix + 'embeddings.LayerNorm.weight': norm_weight(g, H),
        prefix + 'embeddings.LayerNorm.bias': rand(g, H, std=0.1),
    }
    for i in range(L):
        q = f'{prefix}encoder.layer.{i}.'
        for name in ('query', 'key', 'value'):
            W[q + f'attention.self.{name}.weight'] = rand(g, H, H)
            W[q + f'attention.self.{name}.bias'] = rand(g, H, std=0.1)
        W[q + 'attention.output.dense.weight'] = rand(g, H, H)
        W[q + 'attention.output.dense.bias'] = rand(g, H, std=0.1)
        W[q + 'attention.output.LayerNorm.weight'] = norm_weight(g, H)
        W[q + 'attention.output.LayerNorm.bias'] = rand(g, H, std=0.1)
        W[q + 'intermediate.dense.weight'] = rand(g, I, H)
        W[q + 'intermediate.dense.bias'] = rand(g, I, std=0.1)
        W[q + 'output.dense.weight'] = rand(g, H, I)
        W[q + 'output.dense.bias'] = rand(g, H, std=0.1)
        W[q + 'output.LayerNorm.weight'] = norm_weight(g, H)
        W[q + 'output.LayerNorm.bias'] = rand(g, H, std=0.1)
    # Pooler weights exist in real checkpoints; the builder must ignore them.
    W[prefix + 'pooler.dense.weight'] = rand(g, H, H)
    W[prefix + 'pooler.dense.bias'] = rand(g, H, std=0.1)
    return W


def llama_like(g, cfg, prefix):
    H, I, L = cfg['hidden_size'], cfg['intermediate_size'], cfg['num_hidden_layers']
    nh = cfg['num_attention_heads']
    nkv = cfg.get('num_key_value_heads', nh)
    dh = cfg.get('head_dim') or H // nh
    mt = cfg['model_type']
    qkv_bias = mt == 'qwen2' or cfg.get('attention_bias', False)
    o_bias = mt != 'qwen2' and cfg.get('attention_bias', False)
    W = {prefix + 'embed_tokens.weight': rand(g, cfg['vocab_size'], H, std=1.0), prefix + 'norm.weight': norm_weight(g, H)}
    for i in range(L):
        l_ = f'{prefix}layers.{i}.'
        W[l_ + 'input_layernorm.weight'] = norm_weight(g, H)
        W[l_ + 'post_attention_layernorm.weight'] = norm_weight(g, H)
        W[l_ + 'self_attn.q_proj.weight'] = rand(g, nh * dh, H)
        W[l_ + 'self_attn.k_proj.weight'] = rand(g, nkv * dh, H)
        W[l_ + 'self_attn.v_proj.weight'] = rand(g, nkv * dh, H)
        W[l_ + 'self_attn.o_proj.weight'] = rand(g, H, nh * dh)
        if qkv_bias:
            for n in ('q', 'k', 'v'):
                W[l_ + f'self_attn.{n}_proj.bias'] = rand(g, W[l_ + f'self_attn.{n}_proj.weight'].shape[0], std=0.1)
        if o_bias:
            W[l_ + 'self_attn.o_proj.bias'] = rand(g, H, std=0.1)
        if mt == 'qwen3':
            W[l_ + 'self_attn.q_norm.weight'] = norm_weight(g, dh)
            W[l_ + 'self_attn.k_norm.weight'] = norm_weight(g, dh)
        W[l_ + 'mlp.gate_proj.weight'] = rand(g, I, H)
        W[l_ + 'mlp.up_proj.weight'] = rand(g, I, H)
        W[l_ + 'mlp.down_proj.weight'] = rand(g, H, I)
    if not cfg.get('tie_word_embeddings', False):
        W['lm_head.weight'] = rand(g, cfg['vocab_size'], H)
    return W


def gpt2_like(g, cfg, prefix):
    H, L, P = cfg['n_embd'], cfg['n_layer'], cfg['n_positions']
    I = cfg.get('n_inner') or 4 * H
    W = {
        prefix + 'wte.weight': rand(g, cfg['vocab_size'], H, std=1.0),
        prefix + 'wpe.weight': rand(g, P, H, std=0.5),
        prefix + 'ln_f.weight': norm_weight(g, H),
        prefix + 'ln_f.bias': rand(g, H, std=0.1),
    }
    for i in range(L):
        b_ = f'{prefix}h.{i}.'
        # Conv1D weights are [in, out].
        for name, n_in, n_out in (('attn.c_attn', H, 3 * H), ('attn.c_proj', H, H), ('mlp.c_fc', H, I),
                                  ('mlp.c_proj', I, H)):
            W[b_ + name + '.weight'] = rand(g, n_in, n_out)
            W[b_ + name + '.bias'] = rand(g, n_out, std=0.1)
        for name in ('ln_1', 'ln_2'):
            W[b_ + name + '.weight'] = norm_weight(g, H)
            W[b_ + name + '.bias'] = rand(g, H, std=0.1)
        # The causal-mask buffer older GPT-2 checkpoints store; the builder must ignore it.
        W[b_ + 'attn.bias'] = torch.tril(torch.ones(P, P)).view(1, 1, P, P)
    return W


def generation_inputs():
    # Two unpadded sequences of 7 tokens: the TypeScript tests feed their prefixes, one token at a
    # time, and left-padded, and compare with these full-pass values.
    return torch.tensor([[3, 17, 5, 9, 22, 4, 11], [6, 2, 30, 8, 12, 14, 7]], dtype=torch.int64)


def write_generation_golden(folder, cfg, W64, prefix, versions):
    ids = generation_inputs()
    mask = torch.ones_like(ids)
    last, states = DECODERS[family_of(cfg)][0](cfg, W64, prefix, ids, mask)
    logits = lm_logits(cfg, W64, prefix, last)
    golden = {
        'generator': 'scripts/golden/build/make_checkpoints.py',
        'versions': versions,
        'model_type': cfg['model_type'],
        'tie_word_embeddings': is_tied(cfg),
        'shape': list(last.shape),
        'vocab_size': cfg['vocab_size'],
        'inputs': {'input_ids': ids.tolist(), 'attention_mask': mask.tolist()},
        'logits': [round(v, 7) for v in logits.flatten().tolist()],
        'hidden_states': [[round(v, 7) for v in s.flatten().tolist()] for s in states],
    }
    with open(os.path.join(folder, 'generation-golden.json'), 'w') as f:
        json.dump(golden, f)
        f.write('\n')


def inputs_for(cfg, pad_id):
    # Two sequences of 7 tokens; the second is right-padded to length 7 (last 2 positions masked).
    ids = torch.tensor([[3, 17, 5, 9, 22, 4, 11], [6, 2, 30, 8, 12, pad_id, pad_id]], dtype=torch.int64)
    mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]], dtype=torch.int64)
    tt = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 1, 0, 0]], dtype=torch.int64)
    return ids, mask, tt


SPECS = [
    # name, config, storage dtype, shards, weight-name prefix
    ('bert', {
        'architectures': ['BertForMaskedLM'], 'model_type': 'bert', 'vocab_size': 40, 'hidden_size': 16,
        'num_hidden_layers': 2, 'num_attention_heads': 2, 'intermediate_size': 32, 'hidden_act': 'gelu',
        'max_position_embeddings': 16, 'type_vocab_size': 2, 'layer_norm_eps': 1e-12, 'pad_token_id': 0,
    }, torch.float32, 1, 'bert.'),
    ('xlm-roberta', {
        'architectures': ['XLMRobertaModel'], 'model_type': 'xlm-roberta', 'vocab_size': 40, 'hidden_size': 16,
        'num_hidden_layers': 2, 'num_attention_heads': 4, 'intermediate_size': 24, 'hidden_act': 'gelu_new',
        'max_position_embeddings': 12, 'type_vocab_size': 1, 'layer_norm_eps': 1e-5, 'pad_token_id': 1,
    }, torch.float32, 1, ''),
    ('llama', {
        'architectures': ['LlamaForCausalLM'], 'model_type': 'llama', 'vocab_size': 40, 'hidden_size': 32,
        'num_hidden_layers': 2, 'num_attention_heads': 4, 'num_key_value_heads': 2, 'intermediate_size': 48,
        'hidden_act': 'silu', 'max_position_embeddings': 64, 'rms_norm_eps': 1e-6, 'rope_theta': 10000.0,
        'rope_scaling': {'rope_type': 'llama3', 'factor': 8.0, 'low_freq_factor': 1.0, 'high_freq_factor': 4.0,
                         'original_max_position_embeddings': 16},
        'tie_word_embeddings': True, 'attention_bias': False, 'pad_token_id': 0,
    }, torch.float32, 2, 'model.'),
    ('qwen2', {
        'architectures': ['Qwen2ForCausalLM'], 'model_type': 'qwen2', 'vocab_size': 40, 'hidden_size': 24,
        'num_hidden_layers': 2, 'num_attention_heads': 6, 'num_key_value_heads': 2, 'intermediate_size': 40,
        'hidden_act': 'silu', 'max_position_embeddings': 64, 'rms_norm_eps': 1e-6, 'rope_theta': 1000000.0,
        'tie_word_embeddings': False, 'use_sliding_window': False, 'sliding_window': 32, 'pad_token_id': 0,
    }, torch.float32, 1, 'model.'),
    ('qwen3', {
        'architectures': ['Qwen3ForCausalLM'], 'model_type': 'qwen3', 'vocab_size': 40, 'hidden_size': 16,
        'num_hidden_layers': 3, 'num_attention_heads': 4, 'num_key_value_heads': 2, 'head_dim': 8,
        'intermediate_size': 32, 'hidden_act': 'silu', 'max_position_embeddings': 64, 'rms_norm_eps': 1e-6,
        'rope_theta': 1000000.0, 'tie_word_embeddings': True, 'attention_bias': False, 'pad_token_id': 0,
    }, torch.bfloat16, 1, 'model.'),
    ('mistral', {
        'architectures': ['MistralModel'], 'model_type': 'mistral', 'vocab_size': 40, 'hidden_size': 16,
        'num_hidden_layers': 2, 'num_attention_heads': 4, 'num_key_value_heads': 1, 'intermediate_size': 32,
        'hidden_act': 'silu', 'max_position_embeddings': 64, 'rms_norm_eps': 1e-5, 'rope_theta': 10000.0,
        'sliding_window': 3, 'tie_word_embeddings': False, 'pad_token_id': 0,
    }, torch.float16, 1, ''),
    # GPT2LMHeadModel's names (transformer.), n_inner null (4 * n_embd), tied head by default.
    ('gpt2', {
        'architectures': ['GPT2LMHeadModel'], 'model_type': 'gpt2', 'vocab_size': 40, 'n_embd': 16,
        'n_layer': 2, 'n_head': 4, 'n_inner': None, 'n_positions': 16, 'n_ctx': 16,
        'activation_function': 'gelu_new', 'layer_norm_epsilon': 1e-5, 'scale_attn_weights': True,
        'scale_attn_by_inverse_layer_idx': False, 'reorder_and_upcast_attn': False, 'bos_token_id': 0,
        'eos_token_id': 0,
    }, torch.float32, 1, 'transformer.'),
]


def main():
    versions = {'python': sys.version.split()[0], 'torch': torch.__version__, 'numpy': np.__version__}
    for index, (name, cfg, dtype, shards, prefix) in enumerate(SPECS):
        g = torch.Generator().manual_seed(1000 + index)
        family = family_of(cfg)
        is_bert = family == 'bert'
        W = {'bert': bert_like, 'llama': llama_like, 'gpt2': gpt2_like}[family](g, cfg, prefix)
        folder = os.path.join(OUT, name)
        stored = save_checkpoint(folder, cfg, W, dtype=dtype, shards=shards)
        # The reference reads back exactly what was stored (bf16/fp16 rounding included), in float64.
        W64 = {k: v.to(torch.float64) for k, v in stored.items()}
        # GPT-2 has no pad_token_id; its tokenizer pads with <|endoftext|> (eos).
        ids, mask, tt = inputs_for(cfg, cfg.get('pad_token_id', cfg.get('eos_token_id')))
        if is_bert:
            use_tt = cfg['model_type'] == 'bert'
            last, states = bert_forward(cfg, W64, prefix, ids, mask, tt if use_tt else None)
        else:
            use_tt = False
            last, states = DECODERS[family][0](cfg, W64, prefix, ids, mask)
        golden = {
            'generator': 'scripts/golden/build/make_checkpoints.py',
            'versions': versions,
            'model_type': cfg['model_type'],
            'storage_dtype': st_dtype(torch.zeros(1, dtype=dtype)),
            'shape': list(last.shape),
            'inputs': {'input_ids': ids.tolist(), 'attention_mask': mask.tolist(),
                       **({'token_type_ids': tt.tolist()} if use_tt else {})},
            'last_hidden_state': [round(v, 7) for v in last.flatten().tolist()],
            'hidden_states': [[round(v, 7) for v in s.flatten().tolist()] for s in states],
        }
        with open(os.path.join(folder, 'golden.json'), 'w') as f:
            json.dump(golden, f)
            f.write('\n')
        if not is_bert:
            write_generation_golden(folder, cfg, W64, prefix, versions)
        size = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
        print(f'{name}: {len(states) - 1} layers, hidden {last.shape[-1]}, {size} bytes')


if __name__ == '__main__':
    main()
