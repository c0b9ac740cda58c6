// The first line of every benchmark, so that a pasted result says where it ran.
import { cpus, loadavg } from 'node:os';

/** CPU model, logical CPUs, Node, load average, and `xling`: the threads xling's side uses. */
export function describeMachine(xling: string): string {
  const cores = cpus();
  const load = loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  return `machine: ${cores[0]?.model ?? 'unknown CPU'}, ${cores.length} logical CPUs, Node ${process.version}, load average ${load} | xling: ${xling}`;
}
