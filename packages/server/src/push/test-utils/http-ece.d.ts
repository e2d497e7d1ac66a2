// http_ece (a devDependency, tests only) ships no types: the part the tests use.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface DecryptParams {
    version: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    /** The receiver's ECDH key pair (the browser's side of a push subscription). */
    privateKey?: ECDH;
    /** The subscription's 16-byte authentication secret, base64url or bytes. */
    authSecret?: string | Buffer;
    dh?: string | Buffer;
    key?: string | Buffer;
    salt?: string | Buffer;
    rs?: number;
  }

  const ece: {
    decrypt(buffer: Buffer, params: DecryptParams): Buffer;
  };
  export default ece;
}
