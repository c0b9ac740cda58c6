import { cudaInstallCommand, type OrtBackends, ortBackends } from '@xling/extract';
import { UdDataError, resolveUdDir } from '@xling/ud';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../output/format.js';
import type { Command } from './command.js';

/** What `xling doctor` reports (its `--json` output). */
export interface DoctorReport {
  node: string;
  platform: string;
  arch: string;
  onnxruntime: OrtBackends;
  cuda: {
    /**
     * `installed`: the provider library is there, so `device: cuda` passes xling's check;
     * `not-installed`: the binary has CUDA but its install script did not fetch it (`install`
     * does); `not-in-build`: onnxruntime-node has no CUDA for this platform.
     */
    status: 'installed' | 'not-installed' | 'not-in-build';
    /** The command that fetches it, with `not-installed`. */
    install: string | null;
  };
  ud: { dir: string; exists: boolean; problem: string | null };
}

/** Where the UD data would be read from; a missing folder is a finding here, not an error. */
function udFinding(io: CliIo): DoctorReport['ud'] {
  try {
    return { dir: resolveUdDir(undefined, { cwd: io.cwd, env: io.env }), exists: true, problem: null };
  } catch (error) {
    if (!(error instanceof UdDataError)) throw error;
    return { dir: error.dir, exists: false, problem: error.message };
  }
}

function diagnose(io: CliIo): DoctorReport {
  const onnxruntime = ortBackends();
  const cuda = onnxruntime.backends.find((b) => b.name === 'cuda');
  const status = cuda?.installed ? 'installed' : cuda ? 'not-installed' : 'not-in-build';
  const install = status === 'not-installed' ? cudaInstallCommand(onnxruntime.packageDir) : null;
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    onnxruntime,
    cuda: { status, install },
    ud: udFinding(io),
  };
}

function formatReport(report: DoctorReport): string {
  const { onnxruntime, cuda, ud } = report;
  const lines = [
    `Node.js: ${report.node} on ${report.platform}/${report.arch}`,
    `onnxruntime-node: ${onnxruntime.version} in ${onnxruntime.packageDir}`,
    '',
    onnxruntime.source === 'fallback'
      ? 'Backends (fallback: this onnxruntime-node does not list its backends; only cpu is assumed):'
      : 'Backends (listSupportedBackends of the native binding):',
    formatTable(
      ['backend', 'bundled', 'installed'],
      onnxruntime.backends.map((b) => [b.name, b.bundled ? 'yes' : 'no', b.installed ? 'yes' : 'no']),
      [false, false, false],
    ),
    '',
  ];
  if (cuda.status === 'installed') {
    lines.push(
      "CUDA: installed; --device cuda (config 'device: cuda') can be used. The CUDA 12 and cuDNN 9",
      'runtime libraries are loaded when a session starts: a missing one fails there, naming it.',
    );
  } else if (cuda.status === 'not-in-build') {
    lines.push(
      `CUDA: not available: onnxruntime-node ships CUDA for Linux x64 only (this is ${report.platform}/${report.arch}).`,
    );
  } else {
    lines.push(
      'CUDA: not installed (the install script of onnxruntime-node was skipped). To enable it, run',
      'where api.nuget.org is reachable (it downloads the CUDA 12 provider of the same version):',
      `  ${cuda.install}`,
    );
  }
  lines.push('', ud.exists ? `UD directory: ${ud.dir}` : `UD directory: none found. ${ud.problem}`);
  return `${lines.join('\n')}\n`;
}

/** `xling doctor`: what this installation can run on, and where it finds its data. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary:
    'show the Node.js and onnxruntime versions, the available backends (cpu, cuda) and the UD directory',
  usage: '[--json]',
  description:
    'Prints the Node.js version, platform and architecture, the onnxruntime-node version and the ' +
    'backends its native binding was built with (cpu, webgpu, cuda, tensorrt, dml, coreml), whether ' +
    "each is installed, whether CUDA can be used (with '--device cuda' or 'device: cuda') and, if " +
    'not, the exact command that installs it, and the UD directory the stage commands would use. ' +
    'It only reports: the exit status is 0 whatever it finds.',
  options: {
    json: { type: 'boolean', description: 'print the report as JSON' },
  },
  positionals: { min: 0, max: 0 },
  examples: [
    { command: 'xling doctor', comment: 'before a GPU run: is CUDA installed?' },
    { command: 'xling doctor --json', comment: 'the same, for scripts' },
  ],
  async run({ values, io }) {
    const report = diagnose(io);
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return 0;
  },
};
