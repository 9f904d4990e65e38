/**
 * Building blocks for channel declarations. Each capability declares its channels in
 * preload/channels/<capability>.ts with these, and preload/contract.ts merges them into one contract.
 */
import { z } from 'zod';
import { STAFF_ROLES } from '../../db/schema';

export type Role = (typeof STAFF_ROLES)[number];
export type Access = 'public' | readonly Role[];

export const ALL_STAFF = STAFF_ROLES;
export const SUPERVISORS = ['supervisor', 'admin'] as const satisfies readonly Role[];
export const ADMINS = ['admin'] as const satisfies readonly Role[];

/** Mobile numbers are stored as 11 bare digits; input may carry spaces, dashes or +86. */
export function normalizePhone(raw: string): string {
  return raw.replace(/[\s\-()]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'id');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date');
export const timestamp = z.string();
export const empty = z.object({}).strict();

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export interface RequestDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  roles: Access;
}
/** Declares one request channel: zod input, zod output, and the roles the host lets call it. */
export const request = <I extends z.ZodType, O extends z.ZodType>(def: RequestDef<I, O>) => def;

/** The language of an Excel export's headers and names: the screen's (zh-CN → 'zh'). */
export const exportLang = z.enum(['zh', 'en']).default('zh');
export type ExportLang = z.infer<typeof exportLang>;
/** Most rows one Excel export carries; a longer list is cut there and says so (`truncated`). */
export const EXPORT_ROW_LIMIT = 20_000;
/**
 * An Excel export as it travels: the file's bytes in base64 (as every export does), the rows in it, and
 * whether the list held more than one file carries (then `rows` = EXPORT_ROW_LIMIT of them are in it).
 */
export const excelFile = z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int(), truncated: z.boolean() });
