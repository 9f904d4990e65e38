import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, List, Progress, Result, Select, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type RequestInput, type RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody, errorText } from '../../app/errors';
import { usePick } from '../../app/language';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { SourcePicker } from './DmsPage';
import { fileToBase64, useDms } from './store';

type Preview = RequestOutput<'dms.file.preview'>;
type Mapping = RequestInput<'dms.file.import'>['mapping'];
type FileField = Preview['proposal']['missing'][number];
/** The browser host's WebSocket frames are capped at 8 MB; base64 grows a file by a third. */
const BROWSER_MAX_BYTES = 5.5 * 1024 * 1024;
const FILE_FIELDS: readonly FileField[] = requests['dms.file.preview'].output.shape.proposal.shape.missing.element.options;

/** File import wizard: upload CSV/XLSX → encoding and sample → confirm the mapping → problems → import with progress. */
export function ImportTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const { sourceId, progress, finished, markStarted } = useDms();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const host = useSession((s) => s.info?.host);

  async function read(chosen: File) {
    if (!sourceId) {
      setFileError(t('dms.pickSource'));
      return;
    }
    if (host === 'browser' && chosen.size > BROWSER_MAX_BYTES) {
      setFileError(t('dms.import.tooBig', { mb: (chosen.size / 1024 / 1024).toFixed(1) }));
      return;
    }
    setBusy(true);
    setFileError(null);
    try {
      const base64 = await fileToBase64(chosen);
      const p = await call('dms.file.preview', { sourceId, fileName: chosen.name, base64 });
      setFile({ name: chosen.name, base64 });
      setPreview(p);
      setMapping(p.proposal.mapping);
      setStep(1);
    } catch (e) {
      const body = errorBody(e);
      setFileError(pickText(body.issues?.[0]?.message ?? body.message));
    } finally {
      setBusy(false);
    }
  }

  async function recheck(next: Mapping) {
    setMapping(next);
    if (!sourceId || !file) return;
    try {
      setPreview(await call('dms.file.preview', { sourceId, fileName: file.name, base64: file.base64, mapping: next }));
    } catch (e) {
      message.error(errorText(e));
    }
  }

  async function runImport() {
    if (!sourceId || !file) return;
    setImporting(true);
    try {
      const r = await call('dms.file.import', { sourceId, base64: file.base64, mapping });
      markStarted(sourceId);
      setRunId(r.runId);
      setStep(2);
    } catch (e) {
      const body = errorBody(e);
      message.error(pickText(body.issues?.[0]?.message ?? body.message));
    } finally {
      setImporting(false);
    }
  }

  function restart() {
    setStep(0);
    setFile(null);
    setPreview(null);
    setMapping({});
    setRunId(null);
  }

  const live = sourceId ? progress[sourceId] : undefined;
  const done = sourceId ? finished[sourceId] : undefined;
  const result = done && (runId === null || done.runId === runId) && step === 2 ? done : undefined;
  const missing = preview?.proposal.missing ?? [];
  const headerOptions = (preview?.headers ?? []).filter((h) => h !== '').map((h) => ({ value: h, label: h }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <SourcePicker />
      <Steps current={step} items={[{ title: t('dms.import.step1') }, { title: t('dms.import.step2') }, { title: t('dms.import.step3') }]} />
      {step === 0 && (
        <>
          <Upload.Dragger
            accept=".csv,.txt,.xlsx"
            multiple={false}
            showUploadList={false}
            disabled={busy || !sourceId}
            beforeUpload={(f) => {
              void read(f);
              return false;
            }}
            data-testid="dms-file-drop"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{busy ? t('common.loading') : t('dms.import.drop')}</p>
            <p className="ant-upload-hint">{t('dms.import.dropHint')}</p>
          </Upload.Dragger>
          {fileError && <Alert type="error" showIcon role="alert" title={fileError} data-testid="dms-file-error" />}
        </>
      )}
      {step === 1 && preview && (
        <>
          <Descriptions size="small" column={3} bordered>
            <Descriptions.Item label={t('dms.import.file')}>{file?.name}</Descriptions.Item>
            <Descriptions.Item label={t('dms.import.format')}>{preview.format.toUpperCase()}</Descriptions.Item>
            <Descriptions.Item label={t('dms.import.encoding')}>
              <span data-testid="dms-file-encoding">{preview.encoding ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('dms.import.rows')}>{preview.rows}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('dms.import.sample')}
          </Typography.Title>
          <Table
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={false}
            scroll={{ x: true, y: 200 }}
            columns={preview.headers.map((h, i) => ({ title: h, key: String(i), render: (_: unknown, row: (string | number | null)[]) => row[i] ?? '' }))}
            dataSource={preview.sample}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('dms.import.mapping')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('dms.import.mappingHint')}</Typography.Text>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 8 }} data-testid="dms-mapping">
            {FILE_FIELDS.map((f) => (
              <Space key={f}>
                <Typography.Text style={{ width: 90, display: 'inline-block' }} type={missing.includes(f) ? 'danger' : undefined}>
                  {t(`dms.fields.${f}`)}
                </Typography.Text>
                <Select
                  allowClear
                  style={{ width: 160 }}
                  size="small"
                  aria-label={t(`dms.fields.${f}`)}
                  value={mapping[f] ?? null}
                  options={headerOptions}
                  placeholder={t('dms.import.notInFile')}
                  onChange={(v: string | undefined) => {
                    const next: Mapping = { ...mapping };
                    if (v) next[f] = v;
                    else delete next[f];
                    void recheck(next);
                  }}
                />
              </Space>
            ))}
          </div>
          {missing.length > 0 && <Alert type="error" showIcon title={t('dms.import.missing', { fields: missing.map((f) => t(`dms.fields.${f}`)).join('、') })} />}
          {preview.problems.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={t('dms.import.problems', { count: preview.problems.length })}
              description={<List size="small" dataSource={preview.problems} renderItem={(p) => <List.Item data-testid="dms-problem">{`${p.ref}：${pickText(p)}`}</List.Item>} />}
            />
          ) : (
            missing.length === 0 && <Alert type="success" showIcon title={t('dms.import.noProblems')} />
          )}
          <Space>
            <Button onClick={restart}>{t('dms.import.back')}</Button>
            <Button type="primary" disabled={missing.length > 0} loading={importing} onClick={() => void runImport()} data-testid="dms-import-run">
              {t('dms.import.run', { rows: preview.rows })}
            </Button>
          </Space>
        </>
      )}
      {step === 2 &&
        (result ? (
          <Result
            data-testid="dms-import-result"
            status={result.status === 'succeeded' ? 'success' : 'error'}
            title={t('dms.sync.finished', { status: t(`dms.status.${result.status}`), inserted: result.counts.inserted, updated: result.counts.updated, quarantined: result.counts.quarantined })}
            subTitle={result.error ? pickText(result.error) : undefined}
            extra={[
              <Button key="again" onClick={restart}>
                {t('dms.import.another')}
              </Button>,
              result.counts.quarantined > 0 && (
                <Button key="q" type="primary" onClick={() => navigate('#/dms/quarantine')} data-testid="dms-goto-quarantine">
                  {t('dms.import.seeQuarantine', { count: result.counts.quarantined })}
                </Button>
              ),
            ]}
          />
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>{live ? t('dms.sync.progress', { entity: t(`dms.entity.${live.entity}`), done: live.done, rate: Math.round(live.rowsPerSecond) }) : t('dms.sync.starting')}</Typography.Text>
            <Progress percent={live?.entityTotal ? Math.round((live.entityDone / live.entityTotal) * 100) : 0} status="active" />
          </Space>
        ))}
    </Space>
  );
}
