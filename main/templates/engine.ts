/**
 * A logic-less merge engine: a template is text with {{field}} holes and nothing else. There are no
 * expressions, loops or helpers, so a template can never run code; values are escaped for HTML output.
 */
import type { Bilingual } from '../../preload/messages';
import { resolveField, type MergeFieldKey, type MergeValues } from './fields';

export type Token = { kind: 'text'; text: string } | { kind: 'field'; key: MergeFieldKey; raw: string };

export interface TemplateIssue {
  code: 'UNKNOWN_FIELD' | 'UNCLOSED' | 'EMPTY_FIELD' | 'UNSAFE_HTML' | 'EMPTY';
  /** What the writer typed, e.g. the unknown field's name. */
  at: string;
  message: Bilingual;
}

export interface Parsed {
  tokens: Token[];
  issues: TemplateIssue[];
  fields: MergeFieldKey[];
}

export function parseTemplate(body: string): Parsed {
  const tokens: Token[] = [];
  const issues: TemplateIssue[] = [];
  const fields = new Set<MergeFieldKey>();
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('{{', i);
    if (open < 0) {
      tokens.push({ kind: 'text', text: body.slice(i) });
      break;
    }
    if (open > i) tokens.push({ kind: 'text', text: body.slice(i, open) });
    const close = body.indexOf('}}', open + 2);
    const nextOpen = body.indexOf('{{', open + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      const at = body.slice(open, open + 20);
      issues.push({ code: 'UNCLOSED', at, message: { zh: `合并字段没有闭合：${at}`, en: `Merge field is not closed: ${at}` } });
      tokens.push({ kind: 'text', text: body.slice(open, open + 2) });
      i = open + 2;
      continue;
    }
    const raw = body.slice(open + 2, close);
    const name = raw.trim();
    const key = name ? resolveField(name) : null;
    if (!name) {
      issues.push({ code: 'EMPTY_FIELD', at: '{{}}', message: { zh: '合并字段名为空', en: 'A merge field has no name' } });
    } else if (!key) {
      issues.push({ code: 'UNKNOWN_FIELD', at: name, message: { zh: `未知的合并字段：{{${name}}}`, en: `Unknown merge field: {{${name}}}` } });
    } else {
      tokens.push({ kind: 'field', key, raw: name });
      fields.add(key);
    }
    i = close + 2;
  }
  return { tokens, issues, fields: [...fields] };
}

// Printing renders in a sandboxed window with no network; still, a template may not carry active content.
const UNSAFE = [
  /<\s*(script|iframe|object|embed|link|meta|base|form)\b/i,
  /\son[a-z]+\s*=/i,
  /javascript\s*:/i,
  /url\s*\(\s*['"]?\s*(https?:|\/\/)/i,
  /<\s*img[^>]+src\s*=\s*['"]?\s*(https?:|\/\/)/i,
];

export function validateTemplate(body: string, html: boolean): TemplateIssue[] {
  const issues = [...parseTemplate(body).issues];
  if (!body.trim()) issues.push({ code: 'EMPTY', at: '', message: { zh: '模板内容为空', en: 'The template is empty' } });
  if (html) {
    for (const re of UNSAFE) {
      const m = re.exec(body);
      if (m) {
        issues.push({
          code: 'UNSAFE_HTML',
          at: m[0],
          message: { zh: `模板不能包含脚本或外部资源：${m[0]}`, en: `Templates may not contain scripts or remote content: ${m[0]}` },
        });
      }
    }
  }
  return issues;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface RenderOutput {
  text: string;
  /** Fields the template uses that had no value (rendered empty), so a batch can flag those rows. */
  missing: MergeFieldKey[];
}

export function renderTokens(tokens: readonly Token[], values: MergeValues, html: boolean): RenderOutput {
  const missing = new Set<MergeFieldKey>();
  let text = '';
  for (const t of tokens) {
    if (t.kind === 'text') {
      text += t.text;
      continue;
    }
    const v = values[t.key];
    if (v === undefined || v === null || v === '') missing.add(t.key);
    const s = v ?? '';
    text += html ? escapeHtml(s) : s;
  }
  return { text, missing: [...missing] };
}
