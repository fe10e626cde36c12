import { createDiagnostics, DIAGNOSTIC_INTERVAL_MILLIS } from '../../src/diag/diagnostics';
import type { DiagnosticEvent } from '../../src/diag/diagnostic-event';
import { recordingLogger } from '../transport/helpers/capture-diag';

const event = (causeKey: string, message = `msg ${causeKey}`): DiagnosticEvent => ({ causeKey, level: 'error', message });

describe('createDiagnostics', () => {
  it('logs each distinct cause once, then at most once per 10 minutes, counting what it suppressed', () => {
    let now = 0;
    const logger = recordingLogger();
    const diagnostics = createDiagnostics({ logger, nowMillis: () => now });
    diagnostics.report(event('traces:AI_AUTH:403:'));
    for (let i = 0; i < 5; i++) diagnostics.report(event('traces:AI_AUTH:403:'));
    diagnostics.report(event('metrics:AI_AUTH:403:'));
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.text)).toEqual(['msg traces:AI_AUTH:403:', 'msg metrics:AI_AUTH:403:']);
    now = DIAGNOSTIC_INTERVAL_MILLIS - 1;
    diagnostics.report(event('traces:AI_AUTH:403:'));
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(2);
    now = DIAGNOSTIC_INTERVAL_MILLIS;
    diagnostics.report(event('traces:AI_AUTH:403:'));
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(3);
    expect(errors[2]?.text).toBe('msg traces:AI_AUTH:403: (6 more like this since the last report)');
    // suppressed occurrences still reach debug
    expect(logger.lines.filter((l) => l.level === 'debug')).toHaveLength(6);
  });

  it('logs at the event level', () => {
    const logger = recordingLogger();
    createDiagnostics({ logger }).report({ causeKey: 'k', level: 'warn', message: 'degraded' });
    expect(logger.lines).toEqual([{ level: 'warn', text: 'degraded' }]);
  });

  it('honours a custom interval', () => {
    let now = 0;
    const logger = recordingLogger();
    const diagnostics = createDiagnostics({ logger, nowMillis: () => now, intervalMillis: 1_000 });
    diagnostics.report(event('a'));
    now = 1_000;
    diagnostics.report(event('a'));
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(2);
  });
});
