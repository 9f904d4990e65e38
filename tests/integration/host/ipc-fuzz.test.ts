import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, REQUEST_NAMES } from '../../../preload/contract';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { signIn, startServices } from '../../support/services';

let scratch: ReturnType<typeof tempDir>;
let store: TestStore;
let services: Services;

beforeAll(async () => {
  scratch = tempDir();
  store = await createTestStore(scratch.dir);
  services = await startServices(store);
});
afterAll(async () => {
  await services.close();
  scratch.cleanup();
});

/** Everything a failed call must leave untouched. */
function fingerprint(): string {
  const { sqlite } = services.handle;
  return ['dealer', 'staff', 'customer', 'vehicle', 'repair_order', 'contact_event']
    .map((t) => {
      const stamp = t === 'contact_event' ? 'created_at' : 'updated_at';
      const row = sqlite.prepare(`select count(*) as n, coalesce(max(${stamp}), '') as u from ${t}`).get() as {
        n: number;
        u: string;
      };
      return `${t}:${row.n}:${row.u}`;
    })
    .join('|');
}

const channel = fc.oneof(fc.constantFrom(...REQUEST_NAMES), fc.string(), fc.constantFrom('constructor', '__proto__', 'toString'));
const input = fc.oneof(
  fc.anything(),
  fc.dictionary(fc.constantFrom('q', 'id', 'patch', 'version', 'text', 'username', 'password', 'role', 'limit', 'cursor'), fc.anything()),
);

describe('fuzzed calls from a renderer', () => {
  it('always get a clean Result envelope and failed calls change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(channel, input, async (name, raw) => {
        // A fresh admin session each time: a fuzzed auth.logout must not mask later cases.
        const ctx = await signIn(services, store.staff.admin);
        const before = fingerprint();
        const result = await services.dispatcher.dispatch(name, raw, ctx);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(apiErrorSchema.safeParse(result.error).success).toBe(true);
          expect(result.error.code).not.toBe('INTERNAL');
          expect(fingerprint()).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
