/**
 * The Aliyun RPC signer against Aliyun's own published examples: the SMS signing
 * walkthrough (testId / testSecret, SendSms; https://help.aliyun.com/document_detail/101343.htm)
 * and the generic RPC example (testid / testsecret, DescribeRegions;
 * https://help.aliyun.com/document_detail/28839.html).
 */
import { describe, expect, it } from 'vitest';
import { aliyunErrorKind, canonicalQuery, percentEncode, rpcSignature, signedQuery, stringToSign } from './aliyun-rpc';

const smsExample = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('Aliyun RPC signature', () => {
  it('reproduces the documented SMS example byte for byte', async () => {
    expect(stringToSign('GET', smsExample)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001' +
        '%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1' +
        '%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007' +
        '%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z' +
        '%26Version%3D2017-05-25',
    );
    expect(await rpcSignature('GET', smsExample, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(`http://dysmsapi.aliyuncs.com/?${await signedQuery(smsExample, 'testSecret')}`).toBe(
      'http://dysmsapi.aliyuncs.com/?Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D&AccessKeyId=testId&Action=SendSms' +
        '&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou' +
        '&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8' +
        '&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0' +
        '&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z' +
        '&Version=2017-05-25',
    );
  });

  it('reproduces the documented DescribeRegions example', async () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      TimeStamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(await rpcSignature('GET', params, 'testsecret')).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
    // The same request as newer pages spell it, with the common parameter named Timestamp.
    const { TimeStamp, ...rest } = params;
    expect(await rpcSignature('GET', { ...rest, Timestamp: TimeStamp }, 'testsecret')).toBe(
      'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
    );
  });

  it('percent-encodes with the Aliyun specifics', () => {
    expect(percentEncode('a b*c~d')).toBe('a%20b%2Ac~d');
    expect(percentEncode("!'()+/:=&")).toBe('%21%27%28%29%2B%2F%3A%3D%26');
    expect(percentEncode('退订')).toBe('%E9%80%80%E8%AE%A2');
    expect(canonicalQuery({ b: '2', A: '1', a: ' ' })).toBe('A=1&a=%20&b=2');
  });

  it('classifies error codes', () => {
    const transient = [
      'isv.BUSINESS_LIMIT_CONTROL',
      'Throttling.User',
      'isp.SYSTEM_ERROR',
      'SystemError',
      'ServiceUnavailable',
    ];
    const permanent = [
      'isv.MOBILE_NUMBER_ILLEGAL',
      'isv.TEMPLATE_MISSING_PARAMETERS',
      'isv.SMS_SIGNATURE_ILLEGAL',
      'isv.SMS_TEMPLATE_ILLEGAL',
      'isv.AMOUNT_NOT_ENOUGH',
      'isv.OUT_OF_SERVICE',
      'isv.DAY_LIMIT_CONTROL',
      'isp.RAM_PERMISSION_DENY',
      'InvalidAccessKeyId.NotFound',
      'SignatureDoesNotMatch',
    ];
    for (const code of transient) expect([code, aliyunErrorKind(code, 200)]).toEqual([code, 'transient']);
    for (const code of permanent) expect([code, aliyunErrorKind(code, 400)]).toEqual([code, 'permanent']);
    expect(aliyunErrorKind('UnknownError', 503)).toBe('transient');
  });
});
