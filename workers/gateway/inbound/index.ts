/**
 * Inbound traffic from providers and buyers, mounted at `/` with no API key:
 *   POST /v1/receipts/{shop_id}/twilio  (and /v1/receipts/{shop_id})  Twilio status callbacks, signed
 *   POST /v1/inbound/{shop_id}/twilio   Twilio incoming SMS, signed; opt-out words
 *   POST /v1/receipts/{shop_id}/aliyun  Aliyun SmsReport push, ?token=
 *   POST /v1/inbound/{shop_id}/aliyun   Aliyun SmsUp push, ?token=; opt-out words
 *   GET|POST /v1/unsubscribe/{shop_id}/{message_id}  email one-click unsubscribe (RFC 8058)
 */
import { createRouter } from '../../../shared/http/app';
import { aliyunRoutes } from './aliyun';
import { twilioRoutes } from './twilio';
import { unsubscribeRoutes } from './unsubscribe';

export const inboundRoutes = createRouter();
// Aliyun first: `/v1/receipts/:shop_id/aliyun` must not be taken for anything else.
inboundRoutes.route('/', aliyunRoutes);
inboundRoutes.route('/', twilioRoutes);
inboundRoutes.route('/', unsubscribeRoutes);
