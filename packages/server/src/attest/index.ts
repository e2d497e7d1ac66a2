export { loadSigningKey, publicKeyFromRaw, rawPublicKey, verifyEd25519, type SigningKey } from './keys.js';
export { MANIFEST_FILE_NAME, ManifestNotFoundError, readSignedManifest } from './pdf-manifest.js';
export { issueWorkCapacityReport, verifyOnServer } from './issue.js';
