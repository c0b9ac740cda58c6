import { basename, dirname } from 'node:path';
import { ModelFolderError } from '@xling/core';
import ort from 'onnxruntime-node';
import { checkExecutionProviders } from './execution-providers.js';

/** Options of {@link createSession}. */
export interface CreateSessionOptions {
  /** Threads inside one operator (onnxruntime's `intraOpNumThreads`); 0 = onnxruntime's choice. */
  intraOpNumThreads?: number;
  /** Execution providers, in order of preference (e.g. `['cuda', 'cpu']` with a CUDA build). */
  executionProviders?: string[];
  /**
   * Folder that the graph's external data locations are relative to, when it is not the graph's
   * own folder (a derived graph saved in the cache reads its weights from the model folder).
   */
  externalDataDir?: string;
}

/**
 * Opens an onnxruntime-node session; ModelFolderError naming the file when it cannot, and
 * XLING_BACKEND_UNAVAILABLE (before trying) when a provider is not installed.
 */
export async function createSession(
  file: string,
  options: CreateSessionOptions = {},
): Promise<ort.InferenceSession> {
  const { intraOpNumThreads = 0, executionProviders = ['cpu'], externalDataDir } = options;
  // onnxruntime-node refuses `extra: undefined`, so the key is left out unless needed.
  const extra = externalDataDir
    ? { extra: { session: { model_external_initializers_file_folder_path: externalDataDir } } }
    : {};
  checkExecutionProviders(executionProviders);
  try {
    return await ort.InferenceSession.create(file, {
      intraOpNumThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionProviders,
      ...extra,
    });
  } catch (error) {
    throw new ModelFolderError(
      dirname(file),
      `onnxruntime cannot load ${basename(file)}: ${(error as Error).message}`,
      [],
      { cause: error },
    );
  }
}
