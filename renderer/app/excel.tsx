/**
 * The 导出 Excel button every list shares: one export at a time (a second click while one runs does
 * nothing), the button spins and says so while the host builds the file, the file downloads, and a list
 * longer than one file carries leaves a warning that stays until it is closed or the list changes.
 */
import { FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadBase64 } from '../features/customers/format';
import { errorText } from './errors';
import { useLanguage } from './language';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What every export channel answers (see excelFile in preload/channels/kit.ts; older ones never cut). */
export interface ExcelFile {
  fileName: string;
  base64: string;
  rows: number;
  truncated?: boolean;
}

/** The export language channels take: the screen's. */
export function useExportLang(): 'zh' | 'en' {
  return useLanguage((s) => (s.lang === 'zh-CN' ? 'zh' : 'en'));
}

export function useExcelExport() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  /** Rows in the last file when the host cut the list short. */
  const [cutAt, setCutAt] = useState<number | null>(null);
  // State updates land after the next render; a double click must not start a second export before that.
  const busy = useRef(false);

  const run = useCallback(
    async (make: () => Promise<ExcelFile>) => {
      if (busy.current) return;
      busy.current = true;
      setExporting(true);
      setCutAt(null);
      try {
        const file = await make();
        downloadBase64(file.fileName, file.base64, XLSX_MIME);
        if (file.truncated) setCutAt(file.rows);
        else message.success(t('common.exported', { rows: file.rows }));
      } catch (error) {
        message.error(errorText(error));
      } finally {
        busy.current = false;
        setExporting(false);
      }
    },
    [message, t],
  );

  const dismiss = useCallback(() => setCutAt(null), []);
  return { exporting, cutAt, run, dismiss };
}

export function ExportExcelButton(props: { exporting: boolean; onClick: () => void; testId: string; disabled?: boolean; size?: 'small' | 'middle'; label?: string }) {
  const { t } = useTranslation();
  return (
    <Button
      icon={<FileExcelOutlined />}
      size={props.size}
      loading={props.exporting}
      disabled={props.disabled}
      onClick={props.onClick}
      data-testid={props.testId}
      data-exporting={props.exporting}
    >
      {props.exporting ? t('common.exporting') : (props.label ?? t('common.exportExcel'))}
    </Button>
  );
}

/** The warning of a cut export: how many rows the file has, and what to do to get the rest. */
export function ExportCutAlert(props: { rows: number | null; onClose: () => void; testId: string; text?: string }) {
  const { t } = useTranslation();
  if (props.rows === null) return null;
  return (
    <Alert
      type="warning"
      showIcon
      closable
      onClose={props.onClose}
      title={props.text ?? t('common.exportTruncated', { rows: props.rows })}
      data-testid={props.testId}
    />
  );
}
