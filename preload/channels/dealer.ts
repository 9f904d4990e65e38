/**
 * Channels of the dealer's own profile (经销店信息): the service hotline, address and short name that
 * reminder SMS, letters, envelopes and appointment confirmations quote ({{经销商电话}}, {{经销商地址}},
 * the 【简称】 signature). It is store data shared by every seat, not seat configuration: every seat reads
 * it, administrators change it. Empty text clears a field (null).
 */
import { z } from 'zod';
import { ADMINS, ALL_STAFF, empty, idSchema, normalizePhone, request, timestamp } from './kit';

/**
 * A hotline as it will be printed: a landline with its area code (0755-83451234, 020-38886666), a
 * 400/800 number (400-888-6666) or a mobile (13812345678). Spaces, dashes and +86 may be typed;
 * the stored form puts one dash after the area code (3 digits for 010 and 02x, 4 for the rest).
 */
export function normalizeHotline(raw: string): string | null {
  // Full-width brackets (an IME's 020（3888）6666) go first so the +86 before a mobile is still seen.
  const digits = normalizePhone(raw.replace(/[（）]/g, ''));
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (/^[48]00\d{7}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  const landline = /^(0(?:10|2\d))(\d{8})$/.exec(digits) ?? /^(0[3-9]\d{2})(\d{7,8})$/.exec(digits);
  // A leading 0 or 1 would be a trunk or special-service prefix, not a subscriber number.
  if (landline?.[1] && landline[2] && /^[2-9]/.test(landline[2])) return `${landline[1]}-${landline[2]}`;
  return null;
}

/** '' (a cleared field) is null; anything else is trimmed. */
const optionalText = <T extends z.ZodType<string, string>>(inner: T) =>
  z
    .string()
    .nullable()
    .transform((v) => (v === null || v.trim() === '' ? null : v.trim()))
    .pipe(inner.nullable());

export const hotlineSchema = z.string().max(24, 'servicePhone').transform((raw, ctx) => {
  const phone = normalizeHotline(raw);
  if (phone === null) {
    ctx.addIssue({ code: 'custom', message: 'servicePhone' });
    return z.NEVER;
  }
  return phone;
});
export const dealerAddressSchema = z.string().min(4, 'dealerAddress').max(100, 'dealerAddress');
/** The SMS signature between 【】: carriers accept 2–12 characters, without brackets of its own. */
export const dealerShortNameSchema = z
  .string()
  .min(2, 'dealerShortName')
  .max(12, 'dealerShortName')
  .regex(/^[^【】[\]\s]+$/, 'dealerShortName');

export const dealerProfileSchema = z.object({
  id: idSchema,
  code: z.string(),
  /** The registered name (经销商), shown at sign-in and merged as {{经销商}}; set when the store was made. */
  name: z.string(),
  brand: z.string(),
  city: z.string().nullable(),
  servicePhone: z.string().nullable(),
  address: z.string().nullable(),
  shortName: z.string().nullable(),
  updatedAt: timestamp,
});
export type DealerProfileDto = z.infer<typeof dealerProfileSchema>;

export const dealerProfileInputSchema = z
  .object({
    servicePhone: optionalText(hotlineSchema),
    address: optionalText(dealerAddressSchema),
    shortName: optionalText(dealerShortNameSchema),
  })
  .strict();
export type DealerProfileInput = z.input<typeof dealerProfileInputSchema>;

export const dealerRequests = {
  'dealer.get': request({ input: empty, output: dealerProfileSchema, roles: ALL_STAFF }),
  'dealer.save': request({ input: dealerProfileInputSchema, output: dealerProfileSchema, roles: ADMINS }),
} as const;
