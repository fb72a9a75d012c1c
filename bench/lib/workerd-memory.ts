/**
 * Memory of the workerd process(es) Miniflare started for this Node process (Linux only, read from
 * /proc: resident set now and its peak). Returns null where /proc is not available.
 */
import { readFileSync, readdirSync } from 'node:fs';

export type WorkerdMemory = { pids: number[]; rss_mib: number; peak_rss_mib: number };

function statusOf(pid: string): Record<string, string> | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Object.fromEntries(
      text.split('\n').map((line) => [line.split(':')[0]!, line.slice(line.indexOf(':') + 1).trim()]),
    );
  } catch {
    return null;
  }
}

const kib = (field: string | undefined) => Number.parseInt(field ?? '0', 10) || 0;

/** workerd processes that are descendants of this Node process. */
export function workerdMemory(): WorkerdMemory | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  const status = new Map<number, Record<string, string>>();
  for (const pid of entries) {
    const s = statusOf(pid);
    if (!s) continue;
    parents.set(Number(pid), kib(s.PPid));
    names.set(Number(pid), s.Name ?? '');
    status.set(Number(pid), s);
  }
  const mine = (pid: number) => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === process.pid) return true;
    return false;
  };
  const pids = [...names].filter(([pid, name]) => name.startsWith('workerd') && mine(pid)).map(([pid]) => pid);
  if (pids.length === 0) return null;
  const sum = (field: string) => pids.reduce((total, pid) => total + kib(status.get(pid)![field]), 0);
  return {
    pids,
    rss_mib: Math.round(sum('VmRSS') / 102.4) / 10,
    peak_rss_mib: Math.round(sum('VmHWM') / 102.4) / 10,
  };
}
