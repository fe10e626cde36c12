import * as os from 'node:os';

/** CPU and memory of this process and machine, as the portal's counters want them. */
interface ProcessStatsSample {
  /** This process's CPU use since the previous sample, % of all cores (0..100): the "normalized" figure. */
  readonly processCpuPercent: number;
  /** This process's CPU use since the previous sample, % of one core (0..100 x cores), as Windows' `% Processor Time` of a process. */
  readonly processCpuPercentOfOneCore: number;
  /** The whole machine's CPU use since the previous sample, % (0..100). */
  readonly machineCpuPercent: number;
  /** Resident set size of this process, bytes (Node's closest to Windows' private bytes). */
  readonly privateBytes: number;
  /** Free memory of the machine, bytes. */
  readonly availableBytes: number;
}

/** Samples CPU (as deltas since the previous call) and memory. */
export interface ProcessStats {
  sample(): ProcessStatsSample;
}

interface CpuTimes { busy: number; total: number }

function machineTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.irq + t.idle;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

const clampPercent = (n: number, max = 100): number => (Number.isFinite(n) ? Math.min(max, Math.max(0, n)) : 0);

/** Creates a sampler; each consumer (Live Metrics, performance counters) should own one, as deltas are per sampler. */
export function createProcessStats(now: () => number = () => performance.now()): ProcessStats {
  let lastCpu = process.cpuUsage();
  let lastAt = now();
  let lastMachine = machineTimes();
  const cores = Math.max(1, os.availableParallelism());
  return {
    sample() {
      const at = now();
      const cpu = process.cpuUsage(lastCpu);
      const machine = machineTimes();
      const elapsedMicros = Math.max(1, (at - lastAt) * 1_000);
      const machineTotal = machine.total - lastMachine.total;
      const oneCorePercent = ((cpu.user + cpu.system) / elapsedMicros) * 100;
      const sample: ProcessStatsSample = {
        processCpuPercent: clampPercent(oneCorePercent / cores),
        processCpuPercentOfOneCore: clampPercent(oneCorePercent, 100 * cores),
        machineCpuPercent: clampPercent(machineTotal > 0 ? ((machine.busy - lastMachine.busy) / machineTotal) * 100 : 0),
        privateBytes: process.memoryUsage.rss(),
        availableBytes: os.freemem(),
      };
      lastCpu = process.cpuUsage();
      lastAt = at;
      lastMachine = machine;
      return sample;
    },
  };
}
