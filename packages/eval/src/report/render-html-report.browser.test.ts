import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { syntheticResult } from './synthetic-result.js';
import { writeReport } from './write-report.js';

const run = promisify(execFile);
// Debian's chromium (apt-get install chromium; .ci/run installs it when missing). XLING_CHROMIUM overrides.
const chromium = process.env.XLING_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);

describe('renderHtmlReport in a real browser', () => {
  // Skipped only when the browser is not installed: there is nothing to open the page with.
  it.skipIf(!hasChromium)(
    `renderHtmlReport(result) renders every chart with a non-empty box in headless chromium${hasChromium ? '' : ' (skipped: /usr/bin/chromium is not installed)'}`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'xling-eval-browser-'));
      try {
        const { html } = await writeReport(join(dir, 'out'), syntheticResult());
        const { stdout } = await run(
          chromium,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--user-data-dir=${join(dir, 'profile')}`,
            '--window-size=1400,4000',
            '--dump-dom',
            pathToFileURL(html).href,
          ],
          { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
        );
        const total = Number(/data-charts-total="(\d+)"/.exec(stdout)?.[1]);
        const rendered = Number(/data-charts-rendered="(\d+)"/.exec(stdout)?.[1]);
        expect(total).toBe(10);
        expect(rendered).toBe(total);
        const charts = [...stdout.matchAll(/<svg[^>]*data-chart="([^"]+)"[^>]*>/g)].map((m) => m[0]);
        expect(charts).toHaveLength(10);
        for (const tag of charts) {
          expect(tag).toContain('data-rendered="true"');
          const [w, h] = (/data-box="(\d+)x(\d+)"/.exec(tag) ?? []).slice(1).map(Number);
          expect(w).toBeGreaterThan(100);
          expect(h).toBeGreaterThan(100);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
