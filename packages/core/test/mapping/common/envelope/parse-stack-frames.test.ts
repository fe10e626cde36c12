import { parseStackFrames } from '../../../../src/mapping/common/envelope/parse-stack-frames';

describe('parseStackFrames', () => {
  it.each([
    ['named and anonymous frames', 'Error: x\n    at fn (/a.js:1:2)\n    at /b.js:3:4\n    at async Promise.all (index 0)',
      [{ level: 0, method: 'fn', fileName: '/a.js', line: 1 }, { level: 1, method: '<anonymous>', fileName: '/b.js', line: 3 }]],
    ['windows paths and node internals', '    at Object.<anonymous> (C:\\app\\x.js:10:1)\n    at node:internal/main:5:7',
      [{ level: 0, method: 'Object.<anonymous>', fileName: 'C:\\app\\x.js', line: 10 }, { level: 1, method: '<anonymous>', fileName: 'node:internal/main', line: 5 }]],
    ['a non-V8 stack', 'something went wrong', []],
  ])('parses %s', (_title, stack, expected) => {
    expect(parseStackFrames(stack)).toEqual(expected);
  });

  it('keeps at most 100 frames', () => {
    const stack = Array.from({ length: 150 }, (_, i) => `    at f${i} (/x.js:${i + 1}:1)`).join('\n');
    expect(parseStackFrames(stack)).toHaveLength(100);
  });
});
