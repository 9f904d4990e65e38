/** 导出 Excel for a 招揽任务 list: the rows that list shows, for supervisors (exports carry customers' mobiles). */
import { FileExcelOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess, type RequestInput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { useLanguage } from '../../app/language';
import { useRole } from '../../app/session';
import { downloadBase64 } from '../customers/format';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function ExportTasksButton(props: { list: RequestInput<'campaigns.exportTasks'>['list'] }) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const role = useRole();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  if (!canAccess('campaigns.exportTasks', role)) return null;

  async function exportList() {
    setExporting(true);
    try {
      const file = await call('campaigns.exportTasks', { list: props.list, lang: lang === 'zh-CN' ? 'zh' : 'en' });
      downloadBase64(file.fileName, file.base64, XLSX);
      if (file.truncated) message.warning(t('campaigns.exportTruncated', { rows: file.rows }));
      else message.success(t('campaigns.exported', { rows: file.rows }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportList()} data-testid={`export-${props.list}`}>
      {t('campaigns.export')}
    </Button>
  );
}
