/** The call log as an Excel file (Chinese headers), for supervisors and the monthly report. */
import ExcelJS from 'exceljs';

export interface CallLogRow {
  direction: 'in' | 'out';
  number: string | null;
  customerName: string | null;
  staffName: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  durationS: number | null;
  missed: boolean;
  abandoned: boolean;
  endReason: string | null;
}

const REASONS: Record<string, string> = {
  local_hangup: '本方挂断',
  remote_hangup: '对方挂断',
  busy: '忙线',
  no_answer: '无人接听',
  no_dialtone: '无拨号音',
  ring_timeout: '振铃超时',
  port_lost: '线路中断',
};

/** A timestamp in China time (UTC+8) as the staff read it: 2026-11-23 18:33:27. */
function china(iso: string | null): string {
  if (!iso) return '';
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function callLogWorkbook(rows: readonly CallLogRow[], now: Date): Promise<{ fileName: string; base64: string; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = now;
  const sheet = workbook.addWorksheet('通话记录');
  sheet.columns = [
    { header: '方向', key: 'direction', width: 8 },
    { header: '号码', key: 'number', width: 16 },
    { header: '客户', key: 'customer', width: 14 },
    { header: '坐席', key: 'staff', width: 12 },
    { header: '开始', key: 'started', width: 20 },
    { header: '接通', key: 'answered', width: 20 },
    { header: '结束', key: 'ended', width: 20 },
    { header: '通话秒数', key: 'duration', width: 10 },
    { header: '未接', key: 'missed', width: 8 },
    { header: '放弃', key: 'abandoned', width: 8 },
    { header: '结束原因', key: 'reason', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    sheet.addRow({
      direction: r.direction === 'in' ? '呼入' : '呼出',
      number: r.number ?? '未显示',
      customer: r.customerName ?? '',
      staff: r.staffName ?? '',
      started: china(r.startedAt),
      answered: china(r.answeredAt),
      ended: china(r.endedAt),
      duration: r.durationS ?? 0,
      missed: r.missed ? '是' : '',
      abandoned: r.abandoned ? '是' : '',
      reason: r.endReason ? (REASONS[r.endReason] ?? r.endReason) : '',
    });
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return { fileName: `通话记录_${china(now.toISOString()).slice(0, 10).replaceAll('-', '')}.xlsx`, base64: Buffer.from(buffer).toString('base64'), rows: rows.length };
}
