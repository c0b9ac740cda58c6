// Preloaded into CLI processes spawned by the hostile-input tests: reports the process' peak
// resident memory (getrusage maxRSS, in KiB) on exit, so a test can bound it exactly.
process.on('exit', () => {
  process.stderr.write(`\nxling-test-peak-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
