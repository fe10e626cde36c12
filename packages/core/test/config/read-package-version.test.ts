import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readPackageVersion } from '../../src/config/read-package-version';

describe('readPackageVersion', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-version-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each<[string, string | undefined, string]>([
    ['a version', '{"name":"x","version":"1.2.3"}', '1.2.3'],
    ['no version', '{"name":"x"}', 'fallback'],
    ['a version that is not a string', '{"version":7}', 'fallback'],
    ['invalid JSON', '{', 'fallback'],
    ['no package.json', undefined, 'fallback'],
  ])('%s', (_case, manifest, expected) => {
    if (manifest !== undefined) fs.writeFileSync(path.join(dir, 'package.json'), manifest);
    expect(readPackageVersion(dir, 'fallback')).toBe(expected);
  });

  it('reads this repository\'s packages from their source folders (src/<area> is two levels below the root)', () => {
    const root = path.join(__dirname, '..', '..');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(readPackageVersion(root)).toBe(manifest.version);
  });
});
