/** Turns a function's pino JSON lines into one readable line each for the `make dev` terminal. */
const colours = { fatal: 31, error: 31, warn: 33, info: 32, debug: 90, trace: 90 } as const;
const quiet = new Set(['level', 'time', 'pid', 'service', 'revision', 'msg', 'hostname', 'component']);

export function formatLogLine(name: string, line: string, width: number): string {
  const label = name.padEnd(width);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${label} | ${line}`;
  }
  const level = typeof entry['level'] === 'string' ? entry['level'] : 'info';
  const colour = level in colours ? colours[level as keyof typeof colours] : 0;
  const time = typeof entry['time'] === 'string' ? entry['time'].slice(11, 19) : '';
  const rest = Object.entries(entry)
    .filter(([key]) => !quiet.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const msg = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  return `${time} ${label} \u001b[${String(colour)}m${level.padEnd(5)}\u001b[0m ${msg} ${rest}`.trimEnd();
}

/** make dev's own logger writes through this: one readable line each, named by its component. */
export const devLogLines = {
  write(line: string): void {
    const component = /"component":"([^"]+)"/.exec(line)?.[1] ?? 'dev';
    console.log(formatLogLine(component, line.trimEnd(), 12));
  },
};
