// A fresh clone installs without surprises: npm leaves package.json and the lockfile as they are, and has a
// decision for every install script (npm 11 warns about any it has none for).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: Record<string, string>; version?: string; hasInstallScript?: boolean; optional?: boolean }>;
};

it("keeps the lockfile's engines the same as package.json's, so npm install does not rewrite it", () => {
  expect(lock.packages['']!.engines).toEqual(pkg.engines);
});

it('allows or denies every install script in the dependency tree', () => {
  const withScripts = Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && entry.hasInstallScript)
    .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
  const decided = Object.keys(pkg.allowScripts ?? {}).map((entry) => entry.replace(/(.)@.*$/, '$1'));
  expect(withScripts.length).toBeGreaterThan(0);
  expect(withScripts.filter((name) => !decided.includes(name))).toEqual([]);
});
