/**
 * One template: name, code, kind, paper and active; merge-field buttons insert {{字段}} at the cursor; the
 * body is previewed with sample values as it is typed (SMS: the text and a live "2 条 · 75 字 · UCS2"
 * counter; letters, cards and envelopes: the printable page in a sandboxed frame that runs nothing).
 * Problems the engine finds (unknown field, unclosed brace, unsafe HTML) show under the body while typing,
 * and the host's answer on save lands on the same fields. Ctrl+S saves.
 */
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Spin, Switch, Tag, Tooltip, Typography, type GetRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MERGE_FIELDS, PAGE_SIZE_CODES, TEMPLATE_KINDS, type TemplateRow } from '../../../preload/channels/templates';
import { requests, type RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';
import { pick, useLanguage } from '../../app/language';
import { navigate } from '../../app/router';
import { useTemplatesUi, type TemplateKind } from './store';

type PageSize = (typeof PAGE_SIZE_CODES)[number];
type Preview = RequestOutput<'templates.preview'>;

interface Values {
  name: string;
  code: string;
  kind: TemplateKind;
  page: PageSize | null;
  active: boolean;
  body: string;
}

const FIELDS = ['name', 'code', 'kind', 'page', 'active', 'body'] as const;
const DEFAULT_PAGE: Record<TemplateKind, PageSize | null> = { sms: null, letter: 'A4', card: 'A6', envelope: 'DL' };
const saveShape = requests['templates.save'].input.shape;

export function TemplateEditor({ id, kind: newKind }: { id: string | null; kind: TemplateKind | null }) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const setListKind = useTemplatesUi((s) => s.setKind);
  const [form] = Form.useForm<Values>();
  const [template, setTemplate] = useState<TemplateRow | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const bodyRef = useRef<GetRef<typeof Input.TextArea>>(null);

  const kind = Form.useWatch('kind', form) ?? newKind ?? 'sms';
  const body = Form.useWatch('body', form) ?? '';
  const page = Form.useWatch('page', form) ?? null;
  const html = kind !== 'sms';

  useEffect(() => {
    if (id === null) {
      form.setFieldsValue({ name: '', code: `${newKind ?? 'sms'}.`, kind: newKind ?? 'sms', page: DEFAULT_PAGE[newKind ?? 'sms'], active: true, body: '' });
      return;
    }
    call('templates.get', { id })
      .then((row) => {
        setTemplate(row);
        setListKind(row.kind);
        form.setFieldsValue({ name: row.name, code: row.code, kind: row.kind, page: row.page, active: row.active, body: row.body });
      })
      .catch((error: unknown) => setLoadError(errorText(error)));
  }, [id, newKind, form, setListKind]);

  // Live preview and checks, a moment after the writer stops typing.
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      setPreviewing(true);
      call('templates.preview', { kind, body, page })
        .then((out) => {
          if (stale) return;
          setPreview(out);
          const live = out.issues.filter((i) => i.code !== 'EMPTY');
          form.setFields([{ name: 'body', errors: live.map((i) => pick(i.message)) }]);
        })
        .catch(() => undefined)
        .finally(() => {
          if (!stale) setPreviewing(false);
        });
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // pick() reads the language: re-run so live messages switch with it.
  }, [kind, body, page, form, lang]);

  const save = useCallback(
    async (values: Values) => {
      setSaving(true);
      try {
        const saved = await call('templates.save', {
          id: template?.id ?? null,
          code: values.code,
          kind: values.kind,
          name: values.name,
          body: values.body ?? '',
          page: values.kind === 'sms' ? null : values.page,
          active: values.active,
        });
        setTemplate(saved);
        setDirty(false);
        message.success(t('templates.editor.saved'));
        if (!template) navigate(`#/templates/${saved.id}`);
      } catch (error) {
        if (!applyIssues(form, errorBody(error), FIELDS)) message.error(errorText(error));
      } finally {
        setSaving(false);
      }
    },
    [template, form, message, t],
  );

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && (event.key === 's' || event.key === 'S')) {
        event.preventDefault();
        form.submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [form]);

  function insertField(name: string) {
    const token = `{{${name}}}`;
    const area = bodyRef.current?.resizableTextArea?.textArea;
    const current: string = form.getFieldValue('body') ?? '';
    const start = area?.selectionStart ?? current.length;
    const end = area?.selectionEnd ?? current.length;
    form.setFieldValue('body', current.slice(0, start) + token + current.slice(end));
    setDirty(true);
    // Put the caret after the inserted field once React has written the new value.
    requestAnimationFrame(() => {
      const el = bodyRef.current?.resizableTextArea?.textArea;
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + token.length, start + token.length);
    });
  }

  if (loadError) {
    return (
      <Card>
        <Alert type="error" showIcon title={loadError} action={<Button href="#/templates">{t('templates.editor.back')}</Button>} />
      </Card>
    );
  }

  const title = template ? t('templates.editor.editTitle', { name: template.name }) : t('templates.editor.newTitle', { kind: t(`templates.kind.${kind}`) });
  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} href="#/templates" aria-label={t('templates.editor.back')} />
          <span data-testid="template-editor-title">{title}</span>
          {template?.builtIn && <Tag>{t('templates.builtIn')}</Tag>}
          {dirty && <Tag color="orange">{t('templates.editor.unsaved')}</Tag>}
        </Space>
      }
      extra={
        <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => form.submit()} data-testid="template-save">
          {t('templates.editor.save')}
        </Button>
      }
    >
      <Row gutter={24}>
        <Col xs={24} xl={13}>
          <Form<Values> form={form} layout="vertical" onFinish={(v) => void save(v)} onValuesChange={() => setDirty(true)} requiredMark={false} data-testid="template-form">
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="name" label={t('templates.editor.name')} rules={[schemaRule((v) => saveShape.name.safeParse(v ?? ''))]}>
                  <Input maxLength={60} autoFocus={id === null} data-testid="template-name" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="code"
                  label={t('templates.editor.code')}
                  tooltip={template?.builtIn ? t('templates.editor.codeFixed') : t('templates.editor.codeHint')}
                  rules={[schemaRule((v) => saveShape.code.safeParse(v ?? ''))]}
                >
                  <Input maxLength={40} disabled={template?.builtIn ?? false} data-testid="template-code" />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="kind" label={t('templates.editor.kind')}>
                  <Select
                    disabled={template !== null}
                    options={TEMPLATE_KINDS.map((k) => ({ value: k, label: t(`templates.kind.${k}`) }))}
                    onChange={(k: TemplateKind) => form.setFieldValue('page', DEFAULT_PAGE[k])}
                    data-testid="template-kind"
                  />
                </Form.Item>
              </Col>
              <Col span={10}>
                {html && (
                  <Form.Item name="page" label={t('templates.editor.pageSize')}>
                    <Select options={PAGE_SIZE_CODES.map((p) => ({ value: p, label: t(`templates.page.${p}`) }))} data-testid="template-page" />
                  </Form.Item>
                )}
              </Col>
              <Col span={6}>
                <Form.Item name="active" label={t('templates.editor.active')} valuePropName="checked">
                  <Switch data-testid="template-active" />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text type="secondary">{t('templates.editor.fields')}</Typography.Text>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, margin: '6px 0 12px' }} data-testid="merge-fields">
              {MERGE_FIELDS.map((f) => (
                <Tooltip key={f.key} title={`${lang === 'en' ? f.zh : f.en} · ${f.sample}`}>
                  <Button size="small" autoInsertSpace={false} onMouseDown={(e) => e.preventDefault()} onClick={() => insertField(f.zh)} data-testid={`merge-${f.key}`}>
                    {lang === 'en' ? f.en : f.zh}
                  </Button>
                </Tooltip>
              ))}
            </div>
            <Form.Item name="body" label={html ? t('templates.editor.bodyHtml') : t('templates.editor.bodySms')} extra={html ? t('templates.editor.htmlHint') : undefined}>
              <Input.TextArea
                ref={bodyRef}
                autoSize={{ minRows: html ? 10 : 5, maxRows: 24 }}
                maxLength={20_000}
                spellCheck={false}
                style={html ? { fontFamily: 'ui-monospace, Consolas, monospace', fontSize: 13 } : undefined}
                data-testid="template-body"
              />
            </Form.Item>
          </Form>
        </Col>
        <Col xs={24} xl={11}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space>
              <Typography.Text strong>{t('templates.editor.preview')}</Typography.Text>
              {previewing && <Spin size="small" />}
            </Space>
            {preview?.kind === 'sms' && (
              <>
                <Typography.Text strong data-testid="template-segments">
                  {t('templates.editor.counter', {
                    parts: preview.segments.parts,
                    chars: preview.segments.characters,
                    encoding: t(`templates.editor.encoding.${preview.segments.encoding}`),
                  })}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('templates.editor.perPart', { perPart: preview.segments.perPart, remaining: preview.segments.remaining })} ·{' '}
                  {t('templates.editor.counterRaw', { chars: preview.rawSegments.characters })}
                </Typography.Text>
                <div
                  data-testid="template-preview-text"
                  style={{ whiteSpace: 'pre-wrap', background: '#f0f5ff', border: '1px solid #d6e4ff', borderRadius: 12, padding: '10px 14px', maxWidth: 360, minHeight: 40 }}
                >
                  {preview.text}
                </div>
              </>
            )}
            {preview?.kind === 'document' && (
              <>
                <Typography.Text type="secondary">{t('templates.editor.pages', { count: preview.pages })}</Typography.Text>
                {/* sandbox="" : the page may show but never run anything, submit, navigate or reach the app. */}
                <iframe
                  title={t('templates.editor.previewFrame')}
                  sandbox=""
                  srcDoc={preview.html}
                  data-testid="template-preview-frame"
                  style={{ width: '100%', height: 520, border: '1px solid #d9d9d9', background: '#fff' }}
                />
              </>
            )}
          </Space>
        </Col>
      </Row>
    </Card>
  );
}
