import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../renderer/app/router';
import { needles, splitMatch } from '../../../renderer/features/customers/Highlight';
import { formatFen } from '../../../renderer/features/customers/format';

describe('search highlight', () => {
  it('matches a phone fragment typed with spaces, dashes or +86 against the bare digits', () => {
    expect(splitMatch('13812345678', needles('1234 5678'))).toEqual(['138', '12345678', '']);
    expect(splitMatch('13812345678', needles('+86 138-1234'))).toEqual(['', '1381234', '5678']);
  });

  it('matches plates and VINs case-insensitively and keeps the original text', () => {
    expect(splitMatch('粤A6E241', needles('a6e'))).toEqual(['粤', 'A6E', '241']);
  });

  it('returns null when nothing matches and no needles for a blank query', () => {
    expect(splitMatch('王小明', needles('李'))).toBeNull();
    expect(needles('   ')).toEqual([]);
  });
});

describe('hash routes', () => {
  it('maps hashes to screens and rejects malformed customer ids', () => {
    expect(parseRoute('')).toEqual({ name: 'customers' });
    expect(parseRoute('#/customers/01M82V7M00000000070000000C')).toEqual({ name: 'customer', id: '01M82V7M00000000070000000C' });
    expect(parseRoute('#/customers/not-an-id')).toEqual({ name: 'unknown', path: '/customers/not-an-id' });
    expect(parseRoute('#/staff')).toEqual({ name: 'staff' });
  });
});

describe('money', () => {
  it('shows integer fen as yuan with two decimals and thousands separators', () => {
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(5)).toBe('¥0.05');
  });
});
