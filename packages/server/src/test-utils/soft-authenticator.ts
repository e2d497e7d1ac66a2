import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/** A credential the software authenticator holds. */
interface SoftCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

/** What a test may falsify in a ceremony, to check that the server refuses it. */
export interface Forgery {
  /** The origin written into clientDataJSON (default: the authenticator's origin). */
  origin?: string;
  /** The challenge written into clientDataJSON (default: the one in the options). */
  challenge?: string;
  /** Sign with a fresh key instead of the credential's own (a forged signature). */
  wrongKey?: boolean;
  /** The signature counter to report (default: one more than the last). */
  counter?: number;
  /** The user handle to report (default: the one stored at registration). */
  userHandle?: string;
  /** Register under this credential id (base64url) instead of a new random one. */
  credentialId?: string;
}

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * A software WebAuthn authenticator for server tests: ES256 keys, `none` attestation, discoverable
 * credentials, user present and verified. It builds the same JSON that @simplewebauthn/browser sends,
 * so the API's ceremonies can be tested end to end without a browser (the end-to-end tests use
 * Chromium's virtual authenticator instead).
 */
export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  /** @param origin - the page origin the "browser" reports, e.g. `http://localhost` */
  constructor(readonly origin: string) {}

  /**
   * Answers `navigator.credentials.create` with a new credential.
   * @param options - the registration options from the server
   * @param forgery - what to falsify
   */
  register(options: PublicKeyCredentialCreationOptionsJSON, forgery: Forgery = {}): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credentialId = forgery.credentialId
      ? Buffer.from(forgery.credentialId, 'base64url')
      : randomBytes(16);
    const id = isoBase64URL.fromBuffer(credentialId);
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
        [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([0x45]), // user present, user verified, attested credential data
      Buffer.alloc(4), // counter 0
      Buffer.alloc(16), // AAGUID
      idLength,
      credentialId,
      Buffer.from(cose),
    ]);
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.create',
      challenge: forgery.challenge ?? options.challenge,
      origin: forgery.origin ?? this.origin,
      crossOrigin: false,
    });
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    this.credentials.push({ id, rpId, userHandle: options.user.id, privateKey, counter: 0 });
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: isoBase64URL.fromUTF8String(clientDataJSON),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * Answers `navigator.credentials.get` with a credential for the options' relying party (the last
   * one registered, as a user picking their passkey would).
   * @param options - the authentication options from the server
   * @param forgery - what to falsify
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    forgery: Forgery = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const credential = this.credentials.findLast((c) => c.rpId === rpId);
    if (!credential) throw new Error(`no credential for ${rpId}`);
    // a forged counter is reported once; the authenticator's own counter moves on as usual
    if (forgery.counter === undefined) credential.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(forgery.counter ?? credential.counter);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([0x05]), counter]);
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.get',
      challenge: forgery.challenge ?? options.challenge,
      origin: forgery.origin ?? this.origin,
      crossOrigin: false,
    });
    const key = forgery.wrongKey
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      : credential.privateKey;
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), key);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: isoBase64URL.fromUTF8String(clientDataJSON),
        authenticatorData: isoBase64URL.fromBuffer(new Uint8Array(authData)),
        signature: isoBase64URL.fromBuffer(new Uint8Array(signature)),
        userHandle: forgery.userHandle ?? credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
