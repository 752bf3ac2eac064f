/**
 * FreeSWITCH's uptime text (specs/esl.md §5 status, §4.4 HEARTBEAT Up-Time):
 * `0 years, 0 days, 1 hour, 2 minutes, 3 seconds, 456 milliseconds, 789 microseconds`.
 */
function unit(n: number, name: string): string {
  return `${n} ${name}${n === 1 ? '' : 's'}`;
}

export function formatUptime(ms: number): string {
  let us = Math.max(0, Math.floor(ms * 1000));
  const micro = us % 1000; us = Math.floor(us / 1000);
  const milli = us % 1000; us = Math.floor(us / 1000);
  const sec = us % 60; us = Math.floor(us / 60);
  const min = us % 60; us = Math.floor(us / 60);
  const hour = us % 24; us = Math.floor(us / 24);
  const day = us % 365;
  const year = Math.floor(us / 365);
  return [unit(year, 'year'), unit(day, 'day'), unit(hour, 'hour'), unit(min, 'minute'), unit(sec, 'second'),
    unit(milli, 'millisecond'), unit(micro, 'microsecond')].join(', ');
}
