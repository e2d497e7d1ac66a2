import { ApiError, type ApiResponse } from '../api/client.js';
import { serverSha256 } from './fixtures.js';

/** How the fake server answers the next POST. */
export type FakeMode =
  | 'ok'
  /** no answer at all: the server is down */
  | 'down'
  /** stores the recording, then the answer is lost (crash between send and confirm) */
  | 'lose-answer'
  | 'error-500'
  | 'rate-limited'
  | 'unauthenticated'
  | 'invalid'
  /** answers 201 with a different SHA-256 */
  | 'wrong-hash'
  /** answers 201 without any SHA-256 */
  | 'no-hash';

/** An in-memory stand-in for POST /api/v1/recordings, idempotent on the recording id like the real one. */
export class FakeRecordingServer {
  readonly stored = new Map<string, { text: string; sha256: string }>();
  readonly posts: { id: string; text: string }[] = [];
  modes: FakeMode[] = [];
  defaultMode: FakeMode = 'ok';
  /** Called at the start of each POST (to look at the device's state while the send is in flight). */
  onPost?: (id: string) => void | Promise<void>;

  post = async (bodyText: string): Promise<ApiResponse<unknown>> => {
    const value = JSON.parse(bodyText) as { id: string };
    this.posts.push({ id: value.id, text: bodyText });
    await this.onPost?.(value.id);
    const mode = this.modes.shift() ?? this.defaultMode;
    const headers = new Headers();
    switch (mode) {
      case 'down':
        throw new ApiError(0, 'E_NETWORK', 'The server could not be reached.');
      case 'error-500':
        throw new ApiError(500, 'E_INTERNAL', 'Something went wrong on the server.');
      case 'rate-limited':
        throw new ApiError(429, 'E_RATE_LIMITED', 'Too many attempts.', undefined, '30');
      case 'unauthenticated':
        throw new ApiError(401, 'E_UNAUTHENTICATED', 'Please sign in.');
      case 'invalid':
        throw new ApiError(400, 'E_RECORDING_INVALID', 'The recording does not match its schema.', {
          issues: [{ path: 'streams', message: 'stream "x" is missing' }],
        });
      default:
        break;
    }
    const sha256 = serverSha256(value);
    const existing = this.stored.get(value.id);
    if (existing && existing.sha256 !== sha256) {
      throw new ApiError(
        409,
        'E_RECORDING_CONFLICT',
        'A different recording with this id is already stored.',
      );
    }
    this.stored.set(value.id, { text: bodyText, sha256 });
    if (mode === 'lose-answer') throw new ApiError(0, 'E_NETWORK', 'The connection was reset.');
    const status = existing ? 200 : 201;
    if (mode === 'wrong-hash') return { status, headers, body: { id: value.id, sha256: '0'.repeat(64) } };
    if (mode === 'no-hash') return { status, headers, body: { id: value.id } };
    return { status, headers, body: { id: value.id, sha256 } };
  };
}
