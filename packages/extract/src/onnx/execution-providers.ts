import { XlingError } from '@xling/core';
import { cudaInstallCommand, ortBackends } from './ort-backends.js';

/** Where xling runs onnxruntime: the CPU, or an NVIDIA GPU through onnxruntime's CUDA provider. */
export const DEVICES = ['cpu', 'cuda'] as const;

/** One of {@link DEVICES}. */
export type Device = (typeof DEVICES)[number];

/**
 * onnxruntime execution providers of a device, in order of preference: on `cuda` the CPU
 * provider stays behind CUDA so that operators CUDA lacks fall back instead of failing.
 */
export function executionProvidersFor(device: Device): string[] {
  return device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
}

/**
 * Checks, before any model is read, that the installed onnxruntime-node has every provider
 * asked for, so a missing GPU build fails at once with the way to install it rather than with
 * onnxruntime's "Failed to load shared library" after the model was prepared.
 *
 * @throws XLING_BACKEND_UNAVAILABLE naming the provider, what the binary has, and for `cuda`
 * the command that fetches it.
 */
export function checkExecutionProviders(providers: readonly string[]): void {
  const found = ortBackends();
  for (const provider of providers) {
    const backend = found.backends.find((b) => b.name === provider);
    if (backend?.installed) continue;
    const listed = found.backends.map((b) => `${b.name}${b.installed ? '' : ' (not installed)'}`).join(', ');
    const cause = backend
      ? `its '${provider}' provider library is not installed`
      : `its binary for ${process.platform}/${process.arch} has no '${provider}' provider`;
    const remedy =
      provider === 'cuda' && backend
        ? ` Fetch it (CUDA 12, Linux x64) on a machine that reaches api.nuget.org: ${cudaInstallCommand(found.packageDir)} — or use device 'cpu'.`
        : provider === 'cuda'
          ? " onnxruntime-node ships CUDA for Linux x64 only; use device 'cpu'."
          : '';
    throw new XlingError(
      'XLING_BACKEND_UNAVAILABLE',
      `onnxruntime-node ${found.version} cannot run on '${provider}': ${cause} (backends: ${listed}${found.source === 'fallback' ? ', from a fallback: this version does not list its backends' : ''}).${remedy} 'xling doctor' shows the backends.`,
    );
  }
}
