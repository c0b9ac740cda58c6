import { ATTR_FLOAT, ATTR_INT, type NodeProto, node, transB } from './ort-graph.js';

/** ReduceSum's `keepdims` attribute. */
export const keep = (i: 0 | 1) => [{ name: 'keepdims', type: ATTR_INT, i }];
/** Gemm's `alpha` attribute. */
export const alpha = (f: number) => ({ name: 'alpha', type: ATTR_FLOAT, f });

/**
 * Nodes computing `out` = -||z_i - p_c||^2 (n × m) as 2 z p^T - ||z_i||^2 - ||p_c||^2; needs the
 * graph initializer `axis1` ([1], int64). Intermediate names are prefixed by `out`.
 */
export function negSquaredDistanceNodes(z: string, p: string, out: string): NodeProto[] {
  return [
    node('Mul', [z, z], `${out}_zsq`),
    node('ReduceSum', [`${out}_zsq`, 'axis1'], `${out}_zz`, keep(1)),
    node('Mul', [p, p], `${out}_psq`),
    node('ReduceSum', [`${out}_psq`, 'axis1'], `${out}_pp`, keep(0)),
    node('Gemm', [z, p], `${out}_zp2`, [transB, alpha(2)]),
    node('Sub', [`${out}_zp2`, `${out}_zz`], `${out}_partial`),
    node('Sub', [`${out}_partial`, `${out}_pp`], out),
  ];
}

/**
 * Nodes of the prototypical loss on `logits` (n × m) with target weights `t` (n × m, row i =
 * onehot(y_i) / count): the scalar `loss` = -sum(t ⊙ log softmax) and `g` = t - softmax ⊙ rowsum(t),
 * from which every gradient of the graphs follows (d loss / d logits = -g). Needs `axis1`.
 */
export function prototypeLossNodes(logits: string, t: string, g: string): NodeProto[] {
  return [
    node('LogSoftmax', [logits], 'logp', [{ name: 'axis', type: ATTR_INT, i: 1 }]),
    node('Mul', [t, 'logp'], 'tlogp'),
    node('ReduceSum', ['tlogp'], 'negloss', keep(0)),
    node('Neg', ['negloss'], 'loss'),
    node('Exp', ['logp'], 'softmax'),
    node('ReduceSum', [t, 'axis1'], 'rowweight', keep(1)),
    node('Mul', ['softmax', 'rowweight'], 'expected'),
    node('Sub', [t, 'expected'], g),
  ];
}
