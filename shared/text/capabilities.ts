/**
 * Capability URLs carry their secret in the path or query: address links (`/a/<token>`), unsubscribe
 * links (`/v1/unsubscribe/<shop>/<message id>`) and Aliyun push URLs (`?token=`). Log lines keep the
 * route and lose the secret. No imports, so the Node-side scripts can load this file directly.
 */
/** The line with every capability replaced by `[capability]`. */
export function scrubCapabilities(line: string): string {
  return line
    .replace(/(\/a\/)[^\s?#/]+/g, '$1[capability]')
    .replace(/(\/v1\/unsubscribe\/[^\s/?#]+\/)[^\s?#/]+/g, '$1[capability]')
    .replace(/([?&]token=)[^\s&#]+/g, '$1[capability]');
}
