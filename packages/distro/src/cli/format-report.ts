import type { StepResult, StepStatus } from '../doctor/doctor-types';

const MARKS: Readonly<Record<StepStatus, string>> = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/** Formats doctor results as text: one line per step, its fix indented under it, then a verdict. */
export function formatReport(steps: readonly StepResult[], healthy: boolean): string {
  const lines = ['appinsights-otel doctor'];
  for (const s of steps) {
    lines.push(`  [${MARKS[s.status]}] ${s.step.padEnd(10)} ${s.summary}`);
    if (s.fix !== undefined && s.status !== 'ok') lines.push(`         ${''.padEnd(10)} fix: ${s.fix}`);
  }
  lines.push(healthy ? 'verdict: all good' : `verdict: ${steps.filter((s) => s.status === 'fail').map((s) => s.step).join(', ')} failed`);
  return lines.join('\n');
}
