import { describeEviction, evictionReason } from '../../src/delivery/eviction-bounds';
import { parseEntryName, type EntryName } from '../../src/delivery/file-names';

const NOW = 1_000_000;
const bounds = { maxBytes: 100, maxAgeMillis: 1_000 };
const entry = (createdTimestamp: number, name = 'a'): EntryName =>
  ({ ...(parseEntryName(`${String(createdTimestamp).padStart(15, '0')}-aaaaaaaaaaaa-1i-10b-id.ai`) as EntryName), name });

describe('evictionReason: when an entry goes', () => {
  it.each<[string, EntryName, number, string | undefined, ReturnType<typeof evictionReason>]>([
    ['fresh, within the byte bound', entry(NOW), 50, undefined, undefined],
    ['fresh, the store at exactly maxBytes', entry(NOW), 100, undefined, undefined],
    ['fresh, one byte over maxBytes', entry(NOW), 101, undefined, 'over-bytes'],
    ['exactly maxAgeMillis old', entry(NOW - 1_000), 0, undefined, undefined],
    ['one millisecond older than maxAgeMillis', entry(NOW - 1_001), 0, undefined, 'expired'],
    ['expired and over the bound: expired', entry(NOW - 5_000), 500, undefined, 'expired'],
    ['the entry just written, over the bound', entry(NOW, 'mine'), 500, 'mine', undefined],
    ['the entry just written, expired (a clock step)', entry(NOW - 5_000, 'mine'), 0, 'mine', undefined],
    ['another entry while one is kept', entry(NOW, 'other'), 500, 'mine', 'over-bytes'],
  ])('%s', (_label, e, total, keep, reason) => {
    expect(evictionReason(e, total, bounds, NOW, keep)).toBe(reason);
  });

  it('describes each reason with its bound', () => {
    expect(describeEviction('expired', bounds)).toBe('older than 1000 ms');
    expect(describeEviction('over-bytes', bounds)).toBe('over 100 bytes');
  });
});
