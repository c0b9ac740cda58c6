import type { Matrix } from '@xling/core';
import {
  MetaLearnerBase,
  type MetaLearnerOptions,
  metaLearnerConstraints,
} from '../internal/meta-learner-base.js';
import type { Matrix64 } from '../internal/linalg.js';
import { mapPrototypes } from '../internal/phi.js';

/** Options of {@link MetaProtoNet}. */
export interface MetaProtoNetOptions extends MetaLearnerOptions {
  /**
   * b of the orthogonalisation U <- (1 + b) U - b U U^T U after each step (0 = off, the reference).
   * @defaultValue 0
   */
  orthogonalization?: number;
}

/**
 * The zero-shot meta-learner of METHOD.md section 5 ("learning to align conceptual
 * correspondence"): phi(x) = W2 Dropout(LeakyReLU_0.2(W1 x + b1)) + b2 and a shared k × k map U
 * (identity init) over the fixed source prototypes, q_c = U p_c. Meta-trained on query
 * episodes of many languages (tfjs wasm autodiff, Adam, cosine decay), selected by validation
 * query accuracy; predicts argmin_c ||phi(x) - U p_c||^2 for any language, unseen ones included.
 *
 * @see Xu et al. 2023 (arXiv 2310.12794), section 5; reference `MetaProtoNet`
 * @example
 * const net = await new MetaProtoNet({ epochs: 50 }).fit({ source: en.prototypeSet, languages, validation });
 * net.score(targetTest);
 */
export class MetaProtoNet extends MetaLearnerBase<MetaProtoNetOptions> {
  protected readonly variant = 'zero-shot' as const;
  protected readonly kind = 'MetaProtoNet';

  constructor(options: MetaProtoNetOptions = {}) {
    super(options, 'MetaProtoNet', {
      ...metaLearnerConstraints,
      orthogonalization: { type: 'number', min: 0 },
    });
  }

  /** The learned map U (k × k, row-major), q_c = U p_c. @throws XLING_NOT_FITTED */
  get map(): Matrix<Float64Array> {
    const s = this.fitted();
    return { rows: s.source.k, cols: s.source.k, data: Float64Array.from(s.u!) };
  }

  protected queryPrototypes(): Matrix64 {
    const { source, u } = this.fitted();
    return mapPrototypes(this.sourcePrototypeRows(), { rows: source.k, cols: source.k, data: u! });
  }

  /** Restores a learner from {@link MetaProtoNet.toJSON}. @throws XLING_INVALID_ARGUMENT for another kind */
  static fromJSON(json: unknown): MetaProtoNet {
    const options = (json as { options?: MetaProtoNetOptions })?.options ?? {};
    return new MetaProtoNet(options).restore(json);
  }

  /**
   * Loads a learner written by `save(folder)`.
   * @throws XLING_FILE_FORMAT naming the file for a truncated, incomplete or foreign folder;
   * XLING_FILE_SYSTEM when it cannot be read
   */
  static load(folder: string): Promise<MetaProtoNet> {
    return MetaLearnerBase.loadFolder(folder, (options) => new MetaProtoNet(options));
  }
}
