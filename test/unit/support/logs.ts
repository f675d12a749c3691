import { setLogSink } from '../../../shared/log';

/** Captures this test file's log lines (instead of stdout) and returns them, parsed. */
export function captureLogs(): { lines: string[]; entries: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    setLogSink((line) => lines.push(line));
  });
  return {
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
