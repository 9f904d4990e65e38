/**
 * 导出 Excel for a 招揽任务 list: the rows that list shows, for supervisors (exports carry customers'
 * mobiles). A list longer than one file carries leaves a warning beside the button.
 */
import { useTranslation } from 'react-i18next';
import { canAccess, type RequestInput } from '../../../preload/contract';
import { call } from '../../api';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useRole } from '../../app/session';

export function ExportTasksButton(props: { list: RequestInput<'campaigns.exportTasks'>['list'] }) {
  const { t } = useTranslation();
  const lang = useExportLang();
  const role = useRole();
  const excel = useExcelExport();
  if (!canAccess('campaigns.exportTasks', role)) return null;

  return (
    <>
      <ExportExcelButton exporting={excel.exporting} onClick={() => void excel.run(() => call('campaigns.exportTasks', { list: props.list, lang }))} testId={`export-${props.list}`} />
      <ExportCutAlert rows={excel.cutAt} onClose={excel.dismiss} testId={`export-${props.list}-truncated`} text={t('campaigns.exportTruncated', { rows: excel.cutAt ?? 0 })} />
    </>
  );
}
