import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';

/** One onnxruntime backend (execution provider) of the installed onnxruntime-node. */
export interface OrtBackend {
  /** onnxruntime's name: `cpu`, `cuda`, `tensorrt`, `webgpu`, `dml`, `coreml`. */
  name: string;
  /** Its library ships in the npm package; otherwise the package's install script fetches it. */
  bundled: boolean;
  /** Bundled, or its provider library is in the binding folder (the install script ran). */
  installed: boolean;
}

/** The installed onnxruntime-node and its backends. */
export interface OrtBackends {
  version: string;
  /** The package's folder, where its install script (`script/install`) runs. */
  packageDir: string;
  /**
   * `listSupportedBackends`: what the native binding was built with; `fallback`: this version
   * cannot say, so only `cpu` (in every build) is listed.
   */
  source: 'listSupportedBackends' | 'fallback';
  backends: OrtBackend[];
}

// The CJS build has no import.meta.url (this package's tsup config adds no shim), but __filename.
const requireHere = createRequire(import.meta.url || __filename);

/** onnxruntime-node's folder: its main file is `dist/index.js`. */
function packageDir(): string {
  return dirname(dirname(requireHere.resolve('onnxruntime-node')));
}

/** File name of a provider library (`cuda`, or `shared`, which every non-bundled one needs). */
function providerLibrary(name: string): string {
  if (process.platform === 'win32') return `onnxruntime_providers_${name}.dll`;
  return `libonnxruntime_providers_${name}.${process.platform === 'darwin' ? 'dylib' : 'so'}`;
}

/**
 * The backends the installed onnxruntime-node can use. The binding lists what it was built with,
 * but on Linux x64 it lists `cuda` and `tensorrt` (`bundled: false`) even where the install script
 * was skipped, so a non-bundled backend counts as installed only when its provider library is in
 * the binding folder. Whether the CUDA runtime itself loads is only known when a session starts.
 */
export function ortBackends(): OrtBackends {
  const dir = packageDir();
  const bindingDir = join(dir, 'bin', 'napi-v6', process.platform, process.arch);
  const listed = typeof ort.listSupportedBackends === 'function' ? ort.listSupportedBackends() : undefined;
  const backends = (listed ?? [{ name: 'cpu', bundled: true }]).map(({ name, bundled }) => ({
    name,
    bundled,
    installed:
      bundled || [name, 'shared'].every((library) => existsSync(join(bindingDir, providerLibrary(library)))),
  }));
  return {
    version: ort.env.versions.node ?? 'unknown',
    packageDir: dir,
    source: listed ? 'listSupportedBackends' : 'fallback',
    backends,
  };
}

/**
 * The command that fetches the CUDA provider into an installed onnxruntime-node (Linux x64): its
 * own install script, forced (`ONNXRUNTIME_NODE_INSTALL=1`, which also overrides a `skip` left in
 * the environment), downloading the GPU package of the same version from api.nuget.org.
 */
export function cudaInstallCommand(dir: string): string {
  return `cd '${dir.replaceAll("'", "'\\''")}' && ONNXRUNTIME_NODE_INSTALL=1 node script/install`;
}
