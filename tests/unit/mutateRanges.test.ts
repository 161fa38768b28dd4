// `npm run mutate` points at guard code inside larger files by line range. When such a file changes above the
// guard, the range would quietly test other code: each range must start at a declaration and end at the brace
// that closes it (same indentation), and the script and the Stryker config must name the same ranges.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const ranges = (file: string) => [...readFileSync(path.join(root, file), 'utf8').matchAll(/'(src\/[^':]+\.ts):(\d+)-(\d+)'/g)].map((m) => ({ file: m[1]!, from: Number(m[2]), to: Number(m[3]) }));
const indent = (line: string) => line.length - line.trimStart().length;

it('names the same line ranges in scripts/mutate.mjs and stryker.config.mjs', () => {
  const key = (r: { file: string; from: number; to: number }) => `${r.file}:${r.from}-${r.to}`;
  expect(ranges('scripts/mutate.mjs').map(key).sort()).toEqual(ranges('stryker.config.mjs').map(key).sort());
  expect(ranges('scripts/mutate.mjs').length).toBeGreaterThanOrEqual(6);
});

it.each(ranges('scripts/mutate.mjs').map((r) => [`${r.file}:${r.from}-${r.to}`, r] as const))('%s starts at code and ends at the brace that closes it', (_name, r) => {
  const lines = readFileSync(path.join(root, r.file), 'utf8').split('\n');
  const first = lines[r.from - 1] ?? '';
  const last = lines[r.to - 1] ?? '';
  expect({ first, startsCode: /^\s*(export |private |async |function |const |let |if )/.test(first) }).toEqual({ first, startsCode: true });
  expect({ last, closes: /^\s*}\s*$/.test(last) && indent(last) === indent(first) }).toEqual({ last, closes: true });
});
