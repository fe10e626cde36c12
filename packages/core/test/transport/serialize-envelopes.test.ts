import { gunzipSync } from 'node:zlib';
import { serializeEnvelopes } from '../../src/transport/serialize-envelopes';
import { splitEnvelopes } from '../../src/transport/split-envelopes';
import { buildUserAgent, coreVersion } from '../../src/transport/user-agent';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const corePackage = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

const envelopes = [{ name: 'a', data: { n: 1 } }, { name: 'b', text: 'ünïcode ✓' }, { name: 'c' }];

describe('serializeEnvelopes', () => {
  it('writes newline-delimited JSON, gzipped when asked', async () => {
    const gz = await serializeEnvelopes(envelopes, true);
    expect(gz.gzip).toBe(true);
    expect(gz.itemCount).toBe(3);
    const lines = gunzipSync(gz.data).toString('utf8').split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(envelopes);
    const plain = await serializeEnvelopes(envelopes, false);
    expect(Buffer.from(plain.data).toString('utf8')).toBe(envelopes.map((e) => JSON.stringify(e)).join('\n'));
    expect(plain).toMatchObject({ gzip: false, itemCount: 3 });
  });

  it('serializes an empty list to an empty body', async () => {
    const empty = await serializeEnvelopes([], false);
    expect(empty.data.byteLength).toBe(0);
    expect(empty.itemCount).toBe(0);
  });
});

describe('splitEnvelopes', () => {
  it('bounds items per request', () => {
    const many = Array.from({ length: 1_100 }, (_, i) => ({ i }));
    expect(splitEnvelopes(many).map((g) => g.length)).toEqual([512, 512, 76]);
  });

  it('bounds uncompressed bytes per request and keeps order', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ i, pad: 'x'.repeat(90) })); // ~100 bytes + newline each
    const groups = splitEnvelopes(items, { maxBytes: 350 });
    expect(groups.flat()).toEqual(items);
    for (const g of groups) expect(g.map((e) => JSON.stringify(e)).join('\n').length).toBeLessThanOrEqual(350);
    expect(groups.map((g) => g.length)).toEqual([3, 3, 3, 1]);
  });

  it('sends an item larger than maxBytes alone', () => {
    const groups = splitEnvelopes([{ a: 1 }, { big: 'x'.repeat(2_000) }, { b: 2 }], { maxBytes: 1_000 });
    expect(groups.map((g) => g.length)).toEqual([1, 1, 1]);
  });

  it('returns no group for no envelopes', () => {
    expect(splitEnvelopes([])).toEqual([]);
  });
});

describe('buildUserAgent', () => {
  it('names our package and the version from core package.json', () => {
    expect(coreVersion()).toBe(corePackage.version);
    expect(buildUserAgent()).toBe(`appinsights-otel/${corePackage.version} (@appinsights-otel/core; node ${process.version}; ${process.platform})`);
    expect(buildUserAgent('distro/2.0')).toMatch(/^distro\/2\.0 appinsights-otel\//);
  });
});
