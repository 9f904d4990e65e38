/**
 * Host errors in the user's language, and field-level issues onto antd form fields — the same message
 * whether the form validated locally with the contract's schema or the host rejected the call.
 */
import type { FormInstance } from 'antd';
import type { ZodType } from 'zod';
import type { ApiErrorBody } from '../../preload/contract';
import { describeIssue, errorMessages } from '../../preload/messages';
import { ApiError } from '../api';
import { pick } from './language';

export function errorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  return { code: 'INTERNAL', message: errorMessages.INTERNAL };
}

export function errorText(error: unknown): string {
  return pick(errorBody(error).message);
}

/**
 * Puts each issue on the form field its path names (after stripping `prefix`, e.g. 'patch.' for
 * 'patch.mobile'). Returns false when no issue matched a field, so the caller shows the general message.
 */
export function applyIssues(form: FormInstance, body: ApiErrorBody, fields: readonly string[], prefix = ''): boolean {
  const mapped = (body.issues ?? [])
    .map((issue) => ({ name: issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path, issue }))
    .filter((m) => fields.includes(m.name));
  if (mapped.length === 0) return false;
  form.setFields(mapped.map((m) => ({ name: m.name, errors: [pick(m.issue.message)] })));
  return true;
}

/**
 * An antd rule validator from a contract schema: runs the schema on one field's value and rejects with
 * the first issue described in the current language.
 */
export function schemaRule(schema: (value: unknown) => ReturnType<ZodType['safeParse']>) {
  return {
    validator: (_rule: unknown, value: unknown) => {
      const result = schema(value);
      if (result.success) return Promise.resolve();
      const issue = result.error.issues[0];
      return Promise.reject(new Error(issue ? pick(describeIssue(issue)) : ''));
    },
  };
}
