import { formatEntryName } from '../../src/delivery/file-names';
import { formatLeaseName, isLeaseStale, isPidAlive, parseLeaseName } from '../../src/delivery/lease';

const ENTRY = formatEntryName(1_000, 2, 30, true);
/** This host's and this process's tags, as the lease names they write carry them. */
const { hostTag: HOST_TAG, processTag: PROCESS_TAG } = parseLeaseName(formatLeaseName(ENTRY, 0)) ?? { hostTag: '', processTag: '' };
const NOW = 50_000;
const FUTURE = NOW + 1;
const OTHER_HOST = HOST_TAG === '00000000' ? '11111111' : '00000000';
const OTHER_PROCESS = PROCESS_TAG === '00000000' ? '11111111' : '00000000';
const OTHER_PID = process.pid + 1;

/** A parsed lease, as the next process would see it in the directory. */
const lease = (expiry: number, pid: number, hostTag: string, processTag: string) => {
  const parsed = parseLeaseName(formatLeaseName(ENTRY, expiry, pid, hostTag, processTag));
  if (parsed === undefined) throw new Error('lease name did not parse');
  return parsed;
};

describe('lease names', () => {
  it('round-trip the entry, host, pid, process incarnation and expiry', () => {
    const name = formatLeaseName(ENTRY, 1_234.9, 77, 'abcdef01', '0123abcd');
    expect(name).toBe(`${ENTRY}.lease-abcdef01-77-0123abcd-1234`);
    expect(parseLeaseName(name)).toEqual({
      name, entry: expect.objectContaining({ name: ENTRY, itemCount: 2, bytes: 30, gzip: true }),
      hostTag: 'abcdef01', pid: 77, processTag: '0123abcd', expiryTimestamp: 1_234,
    });
  });

  it('default to this host, pid and incarnation', () => {
    expect(parseLeaseName(formatLeaseName(ENTRY, 5))).toMatchObject({ hostTag: expect.stringMatching(/^[0-9a-f]{8}$/), pid: process.pid, processTag: expect.stringMatching(/^[0-9a-f]{8}$/) });
  });

  it.each([
    ['an entry name', ENTRY],
    ['a lease of a name that is not an entry', 'stranger.ai.lease-abcdef01-77-0123abcd-1234'],
    ['a lease without expiry', `${ENTRY}.lease-abcdef01-77-0123abcd-`],
    ['a lease with a short host tag', `${ENTRY}.lease-abcdef0-77-0123abcd-1234`],
  ])('reject %s', (_, name) => {
    expect(parseLeaseName(name)).toBeUndefined();
  });
});

describe('isLeaseStale', () => {
  // A stale lease is reclaimed and its body sent again: calling a live holder's lease stale
  // sends the body twice, never calling a dead holder's lease stale loses it until expiry.
  it.each([
    ['expired exactly now, even if held by this process', NOW, process.pid, HOST_TAG, PROCESS_TAG, true, true],
    ['expired, another host', NOW - 1, OTHER_PID, OTHER_HOST, OTHER_PROCESS, true, true],
    ['live, another host whose pid is not alive here', FUTURE, OTHER_PID, OTHER_HOST, OTHER_PROCESS, false, false],
    ['live, another host with our pid and another incarnation', FUTURE, process.pid, OTHER_HOST, OTHER_PROCESS, false, false],
    ['live, held by this process', FUTURE, process.pid, HOST_TAG, PROCESS_TAG, false, false],
    ['live, an earlier incarnation with our pid (container restart)', FUTURE, process.pid, HOST_TAG, OTHER_PROCESS, true, true],
    ['live, another process on this host that is alive', FUTURE, OTHER_PID, HOST_TAG, OTHER_PROCESS, true, false],
    ['live, another process on this host that is gone (kill -9)', FUTURE, OTHER_PID, HOST_TAG, OTHER_PROCESS, false, true],
  ])('%s', (_, expiry, pid, hostTag, processTag, alive, stale) => {
    const asked: number[] = [];
    const pidAlive = (p: number): boolean => { asked.push(p); return alive; };
    expect(isLeaseStale(lease(expiry, pid, hostTag, processTag), NOW, pidAlive)).toBe(stale);
    // Our own pid is judged by the incarnation tag, never by asking whether it is alive.
    if (pid === process.pid) expect(asked).toEqual([]);
  });
});

describe('isPidAlive', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is true for this process and false for a pid that does not exist', () => {
    expect(isPidAlive(process.pid)).toBe(true);
    expect(isPidAlive(2 ** 30)).toBe(false); // above any pid_max: ESRCH
  });

  it('counts a process it may not signal (EPERM) as alive, and any other error as gone', () => {
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => { throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' }); });
    expect(isPidAlive(1)).toBe(true);
    kill.mockImplementation(() => { throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' }); });
    expect(isPidAlive(1)).toBe(false);
  });
});
