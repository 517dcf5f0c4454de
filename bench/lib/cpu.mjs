// CPU time of the benchmark process itself plus its finished children, for timing in-process work like a command.
import { readFileSync } from "node:fs";

/** Linux's USER_HZ, the unit of /proc/self/stat's child CPU times (100 on every mainstream kernel). */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + sys) of this process plus its children that have exited and been waited for, so an
 * in-process run is comparable with measure-cmd.py's numbers for commands. Null where /proc is missing.
 */
export function cpuSecondsNow() {
  let stat;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return null;
  }
  // Fields after "(comm) " start at field 3; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}
