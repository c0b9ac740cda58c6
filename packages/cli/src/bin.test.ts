import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

function runBin(args: string[], onStart?: (child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  onStart?.(child);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code) => done({ code, stdout, stderr })),
  );
}

describe('the xling binary', () => {
  it('answers --version before loading any command: its entry imports no @xling package', async () => {
    const { code, stdout } = await runBin(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // The commands (and onnxruntime, tfjs behind them) come in through dynamic import() only:
    // what bin.js imports statically (tsup chunks) must not import any package.
    const staticFrom = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/^import [^;]*?from "([^"]+)";/gms)].map((m) => m[1]!);
    const loaded = staticFrom(BIN).flatMap((f) => [
      f,
      ...(f.startsWith('.') ? staticFrom(join(dirname(BIN), f)) : []),
    ]);
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((f) => !f.startsWith('./'))).toEqual([]);
  });

  it('exits 130 on Ctrl-C and leaves no partial output file', async () => {
    // A server that sends headers and then a trickle, so the download is mid-way when interrupted.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(1 << 20) });
      res.write(Buffer.alloc(1024));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dir = await mkdtemp(join(tmpdir(), 'xling-sigint-'));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ud.conllu`;
      const result = await runBin(['ud', 'download', url, '--dir', dir], (child) => {
        const poll = setInterval(async () => {
          if ((await readdir(dir)).some((f) => f.endsWith('.part'))) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
      });
      expect(result.code).toBe(130);
      expect((await readdir(dir)).filter((f) => !f.includes('.part'))).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
