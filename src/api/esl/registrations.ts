/**
 * The SIP registrations the event socket knows of (specs/esl.md §5 `show registrations`, `sofia status
 * profile <p> reg`): kept from the core bus's registration.added / registration.removed, keyed by AOR
 * and contact.
 */
import type { RegistrationSnapshot, Switch } from '../../core/index.ts';

export class RegistrationBook {
  readonly #entries = new Map<string, RegistrationSnapshot>();
  readonly #offs: (() => void)[];

  constructor(sw: Switch) {
    this.#offs = [
      sw.bus.on('registration.added', ({ registration: r }) => { this.#entries.set(`${r.aor}\n${r.contact}`, r); }),
      sw.bus.on('registration.removed', ({ registration: r }) => { this.#entries.delete(`${r.aor}\n${r.contact}`); }),
    ];
  }

  list(): RegistrationSnapshot[] {
    return [...this.#entries.values()];
  }

  close(): void {
    for (const off of this.#offs) off();
    this.#entries.clear();
  }
}
