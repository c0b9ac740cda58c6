import { resolve } from 'node:path';
import type { DownloadFileResult } from '@xling/core';
import { downloadTreebank, downloadUdRelease } from '@xling/ud';
import { createProgressBar } from '../output/progress-bar.js';
import { formatBytes } from '../output/format.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './command.js';

/** How the printed SHA-256 was checked: record an unverified one to pass as --sha256 later. */
const checked = (file: DownloadFileResult) =>
  file.verified ? 'verified' : 'not verified: pass it as --sha256 to check';

/** `xling ud download <url...> [--dir <dir>] [--sha256 <hex>] [--treebank <name>]` */
export const udDownloadCommand: Command = {
  name: 'ud download',
  summary: 'download a UD release tarball or one treebank’s files (resumable, checksummed)',
  usage: '<url...> [--dir <dir>] [--sha256 <hex>] [--treebank <name>] [--keep-archive]',
  description:
    'Without --treebank: downloads one official UD release tarball (.tgz), verifies its SHA-256 when given, ' +
    'and extracts it into --dir. With --treebank: downloads the given files into <dir>/<treebank>/. ' +
    'Transfers resume where an interrupted run stopped (HTTP Range into a .part file, with If-Range so a file ' +
    'changed on the server is fetched whole again); files appear only when complete and verified, and the ' +
    'SHA-256 of each is printed and recorded in <dir>/SHA256SUMS (check later with `sha256sum -c SHA256SUMS`). File names from URLs and archive entries must stay inside --dir. ' +
    'Needs a network; everything else in xling works offline.',
  options: {
    dir: {
      type: 'string',
      valueName: 'dir',
      description: 'folder to write into (default: the current folder)',
    },
    sha256: { type: 'string', valueName: 'hex', description: 'expected SHA-256 of the file (one URL only)' },
    treebank: {
      type: 'string',
      valueName: 'name',
      description: 'download treebank files (UD_<Language>-<Name>)',
    },
    'keep-archive': { type: 'boolean', description: 'keep the .tgz after extracting it' },
    retries: {
      type: 'string',
      valueName: 'n',
      description: 'retries of a failed transfer, each resuming it (default 4; 0 = none)',
    },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  examples: [
    {
      command: 'xling ud download "$UD_RELEASE_URL" --sha256 "$UD_RELEASE_SHA256" --dir ~/ud',
      comment:
        'a whole release: the ud-treebanks-v2.X.tgz link on universaldependencies.org; rerun to resume',
    },
    {
      command:
        'xling ud download --treebank UD_Welsh-CCG --dir ~/ud https://raw.githubusercontent.com/UniversalDependencies/UD_Welsh-CCG/r2.13/cy_ccg-ud-test.conllu',
      comment: 'one treebank file',
    },
  ],
  async run({ positionals, values, io }) {
    const dir = resolve(io.cwd, (values.dir as string | undefined) ?? '.');
    const sha256 = values.sha256 as string | undefined;
    if (sha256 !== undefined && positionals.length > 1) {
      throw new UsageError('--sha256 applies to one URL; give one URL per run to check each.', 'ud download');
    }
    const retries = parseRetries(values.retries as string | undefined);
    const bar = createProgressBar(io.stderr);
    try {
      if (values.treebank !== undefined) {
        const result = await downloadTreebank(
          values.treebank as string,
          positionals.map((url) => ({ url, ...(sha256 ? { sha256 } : {}) })),
          { dir, onProgress: bar.onProgress, ...retries, ...(io.signal ? { signal: io.signal } : {}) },
        );
        for (const file of result.files) {
          io.stdout.write(
            `${file.path}  ${formatBytes(file.bytes)}  sha256 ${file.sha256} (${checked(file)})\n`,
          );
        }
        io.stdout.write(`Downloaded ${result.files.length} file(s) into ${result.dir}\n`);
        return 0;
      }
      if (positionals.length !== 1) {
        throw new UsageError(
          'give exactly one release URL, or --treebank <name> with its file URLs.',
          'ud download',
        );
      }
      const result = await downloadUdRelease(positionals[0]!, {
        dir,
        ...(sha256 ? { sha256 } : {}),
        keepArchive: values['keep-archive'] === true,
        onProgress: bar.onProgress,
        ...retries,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      io.stdout.write(
        `Downloaded ${formatBytes(result.download.bytes)} (sha256 ${result.download.sha256}, ${checked(result.download)}), extracted ${result.files} files, ${result.index.treebanks.length} treebanks into ${result.index.dir}\n` +
          `Use it with: XLING_UD_DIR=${result.index.dir} xling ud stats\n`,
      );
      return 0;
    } finally {
      bar.finish();
    }
  },
};

function parseRetries(text: string | undefined): { retries?: number } {
  if (text === undefined) return {};
  if (!/^\d{1,3}$/.test(text))
    throw new UsageError(`--retries must be a whole number, but got '${text}'.`, 'ud download');
  return { retries: Number(text) };
}
