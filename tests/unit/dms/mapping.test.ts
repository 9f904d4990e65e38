import { describe, expect, it } from 'vitest';
import { normalizeHeader, proposeMapping } from '../../../main/dms/file/mapping';
import { detectEncoding, decodeText } from '../../../main/dms/file/decode';
import iconv from 'iconv-lite';

describe('column mapping proposal', () => {
  it('maps the usual Chinese and English headers and lists what it could not place', () => {
    const p = proposeMapping(['客户名称', '移动电话', '车架号', '车型名称', '进厂日期', '维修性质', '合计金额(元)', '备注', 'Plate No']);
    expect(p.mapping).toEqual({
      name: '客户名称', mobile: '移动电话', vin: '车架号', model: '车型名称', opened_on: '进厂日期', category: '维修性质',
      total_yuan: '合计金额(元)', plate: 'Plate No',
    });
    expect(p.unmapped).toEqual(['备注']);
    expect(p.missing).toEqual([]);
  });

  it('prefers a saved mapping where its headers still exist', () => {
    const p = proposeMapping(['姓名', '手机', '联系手机'], { mobile: '联系手机' });
    expect(p.mapping).toMatchObject({ name: '姓名', mobile: '联系手机' });
    expect(p.unmapped).toEqual(['手机']);
  });

  it('tells the sales consultant from the purchase date and the service advisor', () => {
    expect(proposeMapping(['销售顾问', '销售日期', '服务顾问']).mapping).toEqual({ sales_consultant: '销售顾问', purchase_date: '销售日期', advisor: '服务顾问' });
    expect(proposeMapping(['销售员', '接待员']).mapping).toEqual({ sales_consultant: '销售员', advisor: '接待员' });
    // "SA" is a service advisor; a sales consultant's English header must not fall to it by prefix.
    expect(proposeMapping(['Sales Consultant', 'SA']).mapping).toEqual({ sales_consultant: 'Sales Consultant', advisor: 'SA' });
  });

  it('normalizes headers', () => {
    expect(normalizeHeader(' 客户姓名（必填）* ')).toBe('客户姓名');
    expect(normalizeHeader('VIN 码')).toBe('vin码');
  });
});

describe('encoding detection', () => {
  it('tells GBK from UTF-8 and honours BOMs', () => {
    expect(detectEncoding(new Uint8Array(iconv.encode('客户姓名,手机', 'gbk')))).toBe('gb18030');
    expect(detectEncoding(new Uint8Array(Buffer.from('客户姓名,手机', 'utf8')))).toBe('utf-8');
    expect(decodeText(new Uint8Array(iconv.encode('\uFEFF客户', 'utf16le'))).text).toBe('客户');
    expect(decodeText(new Uint8Array(iconv.encode('客户', 'gbk'))).text).toBe('客户');
  });
});
