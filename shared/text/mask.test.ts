import { describe, expect, it } from 'vitest';
import { sampleAddress } from '../../test/helpers/events';
import { maskAddress, maskEmail, maskName, maskPhone, maskStreet } from './mask';

describe('masking', () => {
  it.each([
    ['王小明', '王**'],
    ['欧阳娜娜', '欧***'],
    ['李', '李*'],
    ['John Smith', 'J*** S****'],
    ['', ''],
  ])('name %s -> %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it.each([
    ['+8613812345678', '138****5678'],
    ['13812345678', '138****5678'],
    ['+14155550123', '****0123'],
    ['123', '****'],
    [null, ''],
  ])('phone %s -> %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it('emails keep the first letter and the domain', () => {
    expect(maskEmail('wangxm@example.com')).toBe('w***@example.com');
    expect(maskEmail('not-an-email')).toBe('****');
    expect(maskEmail(undefined)).toBe('');
  });

  it.each([
    ['文三路 100 号 5 单元 601 室', '文三路****'],
    ['西湖区文三路 1 号', '西湖区文三路****'],
    ['12 Baker Street, Flat 3', 'Baker****'],
    ['100号', '号****'],
  ])('street %s -> %s (no house numbers)', (line, masked) => expect(maskStreet(line)).toBe(masked));

  it('summarises a Chinese address with the region in full and the rest masked', () => {
    const masked = maskAddress(sampleAddress);
    expect(masked?.summary).toBe('浙江省杭州市西湖区文三路****（王** 138****5678）');
    expect(masked?.summary).not.toContain('601');
  });

  it('writes an English address street first', () => {
    const masked = maskAddress({ name: 'John Smith', country: 'GB', city: 'London', line1: '221B Baker Street' }, 'en');
    expect(masked).toMatchObject({ region: 'London', summary: 'Baker****, London (J*** S****)' });
    expect(maskAddress(null)).toBeNull();
  });
});
