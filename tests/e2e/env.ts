/** What the global setup hands to the tests (through process.env, which Playwright's workers inherit). */
import { z } from 'zod';

export const E2E_ENV = { url: 'DEALERCS_E2E_URL', token: 'DEALERCS_E2E_TOKEN', samples: 'DEALERCS_E2E_SAMPLES' } as const;

export const sampleCustomerSchema = z.object({ id: z.string(), name: z.string(), mobile: z.string(), plate: z.string() });
const samplesSchema = z.object({ customers: z.array(sampleCustomerSchema) });
export type Samples = z.infer<typeof samplesSchema>;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the e2e global setup did not run`);
  return value;
}

export function hostUrl(): string {
  return required(E2E_ENV.url);
}
export function hostToken(): string {
  return required(E2E_ENV.token);
}
export function samples(): Samples {
  return samplesSchema.parse(JSON.parse(required(E2E_ENV.samples)));
}
