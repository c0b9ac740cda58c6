import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** A fixed, ordered set of labels; a label's id is its index. */
export interface LabelInventory {
  /** Name of the inventory, e.g. `upos`. */
  readonly name: string;
  /** The labels in id order. */
  readonly labels: readonly string[];
  /** Number of labels. */
  readonly size: number;
  /** Id of `label`, or -1 when it is not in the inventory. */
  indexOf(label: string): number;
  /** Id of `label`; throws XLING_INVALID_ARGUMENT when it is not in the inventory. */
  id(label: string): number;
  /** Label of `id`; throws XLING_INVALID_ARGUMENT when out of range. */
  label(id: number): string;
  /** Whether `label` is in the inventory. */
  has(label: string): boolean;
}

/**
 * Creates a {@link LabelInventory} over `labels` (ids are indices).
 * @throws XLING_INVALID_ARGUMENT for duplicate labels.
 */
export function createLabelInventory(name: string, labels: readonly string[]): LabelInventory {
  const ids = new Map<string, number>();
  labels.forEach((label, i) => {
    if (ids.has(label)) {
      throw new InvalidArgumentError(
        'labels',
        'createLabelInventory',
        `must be unique, but '${label}' repeats.`,
      );
    }
    ids.set(label, i);
  });
  const frozen = Object.freeze([...labels]);
  return Object.freeze({
    name,
    labels: frozen,
    size: frozen.length,
    indexOf: (label: string) => ids.get(label) ?? -1,
    has: (label: string) => ids.has(label),
    id(label: string): number {
      const id = ids.get(label);
      if (id === undefined) {
        throw new InvalidArgumentError(
          'label',
          `${name}.id`,
          `must be one of the ${frozen.length} ${name} labels, but got '${label}'.`,
        );
      }
      return id;
    },
    label(id: number): string {
      if (!Number.isInteger(id) || id < 0 || id >= frozen.length) {
        throw new InvalidArgumentError(
          'id',
          `${name}.label`,
          `must be an integer in [0, ${frozen.length}), but got ${id}.`,
        );
      }
      return frozen[id];
    },
  });
}
