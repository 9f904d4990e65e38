/**
 * Channels of letter printing (信函打印): the letters due today (customers who refuse letters or have no
 * address are skipped and counted by reason), one PDF for the chosen letters (base64, as Excel exports
 * travel; a slow print can be cancelled by its job id), and "printed", which records the touch and moves
 * each task to its next step; the list as Excel. Supervisors only; every list is scoped to the signed-in dealer.
 */
import { z } from 'zod';
import { campaignKindSchema } from './campaigns';
import { excelFile, exportLang, idSchema, isoDate, request, SUPERVISORS } from './kit';

export const PAGE_SIZE_CODES = ['A4', 'DL', 'C5', 'A6'] as const;
/** One print at most: a campaign step's letters for a day stay well below it. */
export const MAX_LETTERS_PER_PRINT = 1000;

export const letterItemSchema = z.object({
  taskId: idSchema,
  campaignId: idSchema,
  campaignKind: campaignKindSchema,
  campaignNameZh: z.string(),
  campaignNameEn: z.string(),
  customerName: z.string(),
  address: z.string().nullable(),
  plate: z.string().nullable(),
  dueOn: isoDate,
  /** Letters print together only when they share a template (one paper size per PDF). */
  templateId: idSchema.nullable(),
  templateName: z.string(),
  page: z.enum(PAGE_SIZE_CODES),
});
export type LetterItemDto = z.infer<typeof letterItemSchema>;

/** Client-made id of one print, so the same page can cancel it while it runs. */
export const printJobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'id');
const taskIds = z.array(idSchema).min(1, 'lettersNone').max(MAX_LETTERS_PER_PRINT, 'lettersTooMany');

export const lettersRequests = {
  'letters.batch': request({
    input: z.object({ campaignId: idSchema.nullable().default(null) }).strict(),
    output: z.object({
      today: isoDate,
      items: z.array(letterItemSchema),
      /** Letters skipped today (this batch and earlier ones), by reason: letter_opt_out, no_address. */
      skipped: z.record(z.string(), z.number().int()),
      /** Campaigns with a letter step, for the filter. */
      campaigns: z.array(z.object({ id: idSchema, kind: campaignKindSchema, nameZh: z.string(), nameEn: z.string() })),
    }),
    roles: SUPERVISORS,
  }),
  /**
   * The list as the tab shows it (same campaign filter), with today's skipped letters by reason on a
   * second sheet; headers and names in the screen's language. Building it is a refresh of the list.
   */
  'letters.export': request({
    input: z.object({ campaignId: idSchema.nullable().default(null), lang: exportLang }).strict(),
    output: excelFile,
    roles: SUPERVISORS,
  }),
  'letters.print': request({
    input: z.object({ taskIds, jobId: printJobIdSchema }).strict(),
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('done'), fileName: z.string(), base64: z.string(), pages: z.number().int(), bytes: z.number().int() }),
      z.object({ status: z.literal('cancelled') }),
    ]),
    roles: SUPERVISORS,
  }),
  'letters.cancelPrint': request({
    input: z.object({ jobId: printJobIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    roles: SUPERVISORS,
  }),
  'letters.markPrinted': request({
    input: z.object({ taskIds }).strict(),
    output: z.object({ marked: z.number().int() }),
    roles: SUPERVISORS,
  }),
} as const;
