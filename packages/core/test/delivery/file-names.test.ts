import { formatEntryName, formatTempName, parseEntryName, parseTempName } from '../../src/delivery/file-names';

// The store opens only names it wrote: a name the parser accepts by mistake is a file it would send.
describe('entry names', () => {
  it.each([
    ['a plain body', 1_700_000_000_123, 3, 512, false],
    ['a gzip body', 1_700_000_000_123, 1, 40, true],
    ['time 0', 0, 0, 0, false],
  ])('%s: formats a name that parses back to what it says', (_label, created, items, bytes, gzip) => {
    const name = formatEntryName(created, items, bytes, gzip);
    expect(name).toMatch(/^\d{15}-[0-9a-f]{12}-\d+i-\d+b-(gz|id)\.ai$/);
    expect(parseEntryName(name)).toEqual({ name, createdTimestamp: created, itemCount: items, bytes, gzip });
  });

  it('pads the time to 15 digits, floors it and clamps a negative one to 0, so names sort by age', () => {
    expect(formatEntryName(42.9, 1, 1, false)).toMatch(/^000000000000042-/);
    expect(formatEntryName(-5, 1, 1, false)).toMatch(/^000000000000000-/);
    const older = formatEntryName(999, 1, 1, false);
    const newer = formatEntryName(1_000, 1, 1, false);
    expect([newer, older].sort()).toEqual([older, newer]);
  });

  it('gives two bodies written in the same millisecond different names', () => {
    expect(formatEntryName(1, 1, 1, false)).not.toBe(formatEntryName(1, 1, 1, false));
  });

  const good = '001700000000123-0123456789ab-3i-512b-gz.ai';
  it.each([
    ['a prefix', `x${good}`],
    ['a suffix', `${good}x`],
    ['a lease name', `${good}.lease-1-2`],
    ['a temp name', `.tmp-1-${good}`],
    ['14 digits of time', '01700000000123-0123456789ab-3i-512b-gz.ai'],
    ['16 digits of time', '0001700000000123-0123456789ab-3i-512b-gz.ai'],
    ['a letter in the time', '00170000000012x-0123456789ab-3i-512b-gz.ai'],
    ['11 hex digits of random', '001700000000123-0123456789a-3i-512b-gz.ai'],
    ['13 hex digits of random', '001700000000123-0123456789abc-3i-512b-gz.ai'],
    ['upper-case hex', '001700000000123-0123456789AB-3i-512b-gz.ai'],
    ['a non-hex letter', '001700000000123-0123456789ag-3i-512b-gz.ai'],
    ['no item count', '001700000000123-0123456789ab-i-512b-gz.ai'],
    ['a non-digit item count', '001700000000123-0123456789ab-xi-512b-gz.ai'],
    ['no byte count', '001700000000123-0123456789ab-3i-b-gz.ai'],
    ['a non-digit byte count', '001700000000123-0123456789ab-3i-xb-gz.ai'],
    ['another encoding', '001700000000123-0123456789ab-3i-512b-br.ai'],
    ['another extension', '001700000000123-0123456789ab-3i-512b-gz.ax'],
    ['no dot before the extension', '001700000000123-0123456789ab-3i-512b-gzxai'],
    ['an empty name', ''],
  ])('rejects %s', (_label, name) => {
    expect(parseEntryName(name)).toBeUndefined();
  });

  it('reads multi-digit counts and the plain flag', () => {
    expect(parseEntryName('001700000000123-0123456789ab-12i-3456b-id.ai')).toMatchObject({ itemCount: 12, bytes: 3456, gzip: false });
  });
});

describe('temp names', () => {
  it('carry the writer pid, this process by default', () => {
    const entry = formatEntryName(1, 1, 1, false);
    expect(formatTempName(entry, 4242)).toBe(`.tmp-4242-${entry}`);
    expect(parseTempName(formatTempName(entry, 4242))).toBe(4242);
    expect(parseTempName(formatTempName(entry))).toBe(process.pid);
    expect(parseEntryName(formatTempName(entry))).toBeUndefined();
  });

  it.each([
    ['an entry name', formatEntryName(1, 1, 1, false)],
    ['a prefix', 'x.tmp-12-a'],
    ['no pid', '.tmp--a'],
    ['a non-digit pid', '.tmp-1x-a'],
    ['no dash after the pid', '.tmp-12'],
    ['another dot prefix', '.tmpx12-a'],
  ])('rejects %s', (_label, name) => {
    expect(parseTempName(name)).toBeUndefined();
  });

  it('accepts any rest after the pid, even an empty one', () => {
    expect(parseTempName('.tmp-12-')).toBe(12);
    expect(parseTempName('.tmp-7-anything at all')).toBe(7);
  });
});
