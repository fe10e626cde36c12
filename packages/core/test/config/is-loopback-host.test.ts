import { isLoopbackHost } from '../../src/config/is-loopback-host';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.255.254', true], ['localhost', true], ['LOCALHOST', true], ['::1', true], ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true], ['128.0.0.1', false], ['10.0.0.1', false], ['169.254.169.254', false], ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false], ['::2', false], ['', false], ['dc.services.visualstudio.com', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
