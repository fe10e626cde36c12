import { parseCliArgs, DEFAULT_CLI_PORT } from '../src/cli/parse-cli-args';
import { EmulatorError } from '../src/errors';

describe('parseCliArgs', () => {
  it('defaults to SQLite on the fixed CLI ports', () => {
    expect(parseCliArgs(['start'])).toMatchObject({ command: 'start', port: DEFAULT_CLI_PORT, inMemory: false, tokenLifetimeSeconds: 3600, host: '127.0.0.1' });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    const o = parseCliArgs(['start', '--port', '0', '--token-port=0', '--data-dir', '/tmp/x', '--config', 'c.json', '--in-memory', '--token-lifetime', '60',
      '--chaos', '{"count":2,"status":503,"headers":{"Retry-After":"1"}}', '--chaos={"hang":true}']);
    expect(o).toMatchObject({ port: 0, tokenPort: 0, dataDir: '/tmp/x', inMemory: true, tokenLifetimeSeconds: 60, configPath: expect.stringMatching(/c\.json$/) });
    expect(o.chaos).toEqual([{ count: 2, action: { status: 503, headers: { 'Retry-After': '1' } } }, { count: 1, action: { hang: true } }]);
  });

  it.each([[[]], [['help']], [['--help']]])('%j asks for help', (argv) => {
    expect(parseCliArgs(argv).command).toBe('help');
  });

  it.each([
    [['serve'], "unknown command 'serve'"],
    [['start', '--port', 'x'], '--port needs a port'],
    [['start', '--port', '70000'], '--port needs a port'],
    [['start', '--token-lifetime', '-5'], '--token-lifetime'],
    [['start', '--chaos', '{bad'], '--chaos needs a JSON object'],
    [['start', '--chaos', '{"status":1}'], '"status"'],
    [['start', '--verbose'], "unknown option '--verbose'"],
  ])('%j fails with usage', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(EmulatorError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
