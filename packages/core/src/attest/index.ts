export * from './base64url.js';
export * from './manifest.js';
export * from './sha256.js';
export * from './verify.js';
