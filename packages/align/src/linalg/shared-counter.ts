/**
 * Claims chunks of `count` items (chunk `chunk` at a time) from a counter shared by the calling
 * thread and pool workers (one Int32 on a SharedArrayBuffer) until none are left, running `run`
 * on each item claimed. Which thread takes an item changes nothing but the timing.
 */
export function claim(next: SharedArrayBuffer, count: number, chunk: number, run: (i: number) => void): void {
  const counter = new Int32Array(next);
  for (;;) {
    const start = Atomics.add(counter, 0, chunk);
    if (start >= count) return;
    for (let i = start; i < Math.min(count, start + chunk); i++) run(i);
  }
}
