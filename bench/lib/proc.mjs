// Reading another process's CPU time and memory from /proc (Linux only).
import { readFileSync } from 'node:fs';

const TICKS_PER_SEC = 100; // USER_HZ: the unit of utime/stime in /proc/PID/stat on Linux

/** User + system CPU seconds the process has used so far (all its threads). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // Fields after the command name (which is parenthesised and may hold spaces).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_SEC; // utime, stime: fields 14 and 15
}

/** Resident set size in bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  if (m === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}
