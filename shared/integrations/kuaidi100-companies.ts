/**
 * Kuaidi100 company codes (快递公司编码, always lower case) for the carrier names and codes shops
 * send, matched after trimming and lower-casing, own properties only. A carrier missing here
 * cannot be subscribed; its subscription row records why.
 */
import { ownValue } from '../lang/own';

const codes: Record<string, string> = {
  sf: 'shunfeng',
  'sf express': 'shunfeng',
  shunfeng: 'shunfeng',
  顺丰: 'shunfeng',
  顺丰速运: 'shunfeng',
  ems: 'ems',
  邮政ems: 'ems',
  中国邮政: 'youzhengguonei',
  邮政包裹: 'youzhengguonei',
  youzhengguonei: 'youzhengguonei',
  jd: 'jd',
  京东: 'jd',
  京东物流: 'jd',
  yto: 'yuantong',
  yuantong: 'yuantong',
  圆通: 'yuantong',
  圆通速递: 'yuantong',
  zto: 'zhongtong',
  zhongtong: 'zhongtong',
  中通: 'zhongtong',
  中通快递: 'zhongtong',
  sto: 'shentong',
  shentong: 'shentong',
  申通: 'shentong',
  申通快递: 'shentong',
  yunda: 'yunda',
  韵达: 'yunda',
  韵达快递: 'yunda',
  jtexpress: 'jtexpress',
  'j&t': 'jtexpress',
  极兔: 'jtexpress',
  极兔速递: 'jtexpress',
  debangkuaidi: 'debangkuaidi',
  德邦: 'debangkuaidi',
  德邦快递: 'debangkuaidi',
  ups: 'ups',
  fedex: 'fedex',
  dhl: 'dhl',
  usps: 'usps',
};

/** The Kuaidi100 `company` code of a carrier name or code, or undefined when unknown. */
export const kuaidi100Company = (carrier: string) => ownValue(codes, carrier.trim().toLowerCase());
