/** Log redaction: personal data masked by field, ids and times left exactly as they were. */
import { describe, expect, it } from 'vitest';
import { scrubCapabilities } from './capabilities';
import { logLine, redact } from './redact';

describe('redact (free text)', () => {
  it('masks phones and emails inside error text, leaving the rest', () => {
    expect(redact('send to +8613812345678 failed for wangxm@example.com (HTTP 400)')).toBe(
      'send to 138****5678 failed for w***@example.com (HTTP 400)',
    );
    expect(redact('mainland 13812345678 refused')).toBe('mainland 138****5678 refused');
    expect(redact('order 2026 total 258.00')).toBe('order 2026 total 258.00');
  });

  it('leaves request ids, timestamps and epoch times intact', () => {
    const kept = [
      '15538251-0aff-4b6e-9c4d-1a2b3c4d5e6f',
      '2026-11-11T02:00:00.000Z',
      '2026-11-11 10:00:00',
      '1764671234567',
      'msg_4a7c1b0e22 order-13812345678-x',
      'SM1234567890abcdef',
    ];
    for (const text of kept) expect(redact(text)).toBe(text);
  });
});

describe('logLine', () => {
  it('masks phone and email fields by name, wherever they sit, and keeps ids', () => {
    const requestId = '15538251-0aff-4b6e-9c4d-1a2b3c4d5e6f';
    const line = logLine({
      level: 'warn',
      requestId,
      at: '2026-11-11T02:00:00.000Z',
      to: { phone: '+8613812345678', email: 'wangxm@example.com' },
      recipient: '+14155550123',
      error: 'Error: +8613800138000 unreachable',
    });
    const entry = JSON.parse(line);
    expect(entry).toEqual({
      level: 'warn',
      requestId,
      at: '2026-11-11T02:00:00.000Z',
      to: { phone: '138****5678', email: 'w***@example.com' },
      recipient: '****0123',
      error: 'Error: 138****8000 unreachable',
    });
  });
});

describe('scrubCapabilities', () => {
  it('removes address-link tokens, unsubscribe ids and push tokens from request lines', () => {
    const token = 'WzE3NjQ2NzEyMzQsInNob3BfMSIsIm8xIl0.abcdefghijklmnopqrstuv';
    expect(scrubCapabilities(`POST /a/${token}?lang=en 303 See Other (4ms)`)).toBe(
      'POST /a/[capability]?lang=en 303 See Other (4ms)',
    );
    expect(scrubCapabilities('GET /v1/unsubscribe/shop_1/msg_abc123 200 OK')).toBe(
      'GET /v1/unsubscribe/shop_1/[capability] 200 OK',
    );
    expect(scrubCapabilities('POST /v1/receipts/shop_1/aliyun?token=Abc123&x=1 200 OK')).toBe(
      'POST /v1/receipts/shop_1/aliyun?token=[capability]&x=1 200 OK',
    );
    expect(scrubCapabilities('GET /healthz 200 OK')).toBe('GET /healthz 200 OK');
  });
});
