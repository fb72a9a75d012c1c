import { describe, expect, it } from 'vitest';
import { defaultRemoteRegions, matchRemoteRegion, remoteRegionNote, remoteRegions } from './remote-regions';

const address = (province?: string, city?: string) => ({ name: 'x', country: 'CN', province, city, line1: 'y' });

describe('remote regions', () => {
  it('matches the defaults by Chinese or English province name, case-insensitively', () => {
    expect(matchRemoteRegion(address('新疆维吾尔自治区', '乌鲁木齐市'), defaultRemoteRegions)?.match).toBe('新疆');
    expect(matchRemoteRegion(address('XINJIANG Uygur'), defaultRemoteRegions)?.match).toBe('Xinjiang');
    expect(matchRemoteRegion(address('内蒙古自治区'), defaultRemoteRegions)?.extra_days).toBe(2);
    expect(matchRemoteRegion(address('Xizang'), defaultRemoteRegions)?.note_en).toContain('Tibet');
    expect(matchRemoteRegion(address('浙江省', '杭州市'), defaultRemoteRegions)).toBeNull();
    expect(matchRemoteRegion(null, defaultRemoteRegions)).toBeNull();
  });

  it('matches a shop entry against the city too', () => {
    const regions = remoteRegions([{ match: '阿里', extra_days: 5 }]);
    expect(matchRemoteRegion(address('西藏自治区', '阿里地区'), regions)?.match).toBe('阿里');
    expect(matchRemoteRegion(address('新疆'), regions)).toBeNull();
  });

  it('falls back to the defaults for nothing stored, and writes a note from extra days', () => {
    expect(remoteRegions(null)).toBe(defaultRemoteRegions);
    const [entry] = remoteRegions([{ match: '阿里', extra_days: 5 }]);
    expect(remoteRegionNote(entry!, 'zh-CN')).toBe('阿里地区路途较远，预计多需 5 天送达，请耐心等待');
    expect(remoteRegionNote(entry!, 'en-US')).toBe('Delivery to 阿里 takes about 5 extra days.');
    expect(remoteRegionNote(defaultRemoteRegions[0]!, 'zh')).toBe('新疆地区路途较远，物流约需 5-7 天，请耐心等待');
  });
});
