/**
 * The order in which to try SRV targets (RFC 2782, "Usage rules"): ascending priority; within one
 * priority, a weighted random order in which zero-weight records get a small chance and come first in
 * the running sum. Targets of "." (service not offered) are dropped. Pure, with an injected random source.
 */
import type { SrvAnswer } from './dns.ts';

export function orderSrv(records: readonly SrvAnswer[], random: () => number = Math.random): SrvAnswer[] {
  const usable = records.filter((r) => r.name !== '.' && r.name !== '');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvAnswer[] = [];
  for (const priority of priorities) {
    const group = usable.filter((r) => r.priority === priority).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (group.length > 0) {
      const total = group.reduce((sum, r) => sum + r.weight, 0);
      const pick = Math.floor(random() * (total + 1));
      let running = 0;
      let index = group.length - 1;
      for (let i = 0; i < group.length; i++) {
        running += group[i]!.weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      out.push(...group.splice(index, 1));
    }
  }
  return out;
}
