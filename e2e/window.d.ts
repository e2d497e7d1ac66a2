// The pages' test hook (`window.__dystrack`, on with ?e2e=1), typed from the web app itself.
import type {} from '../packages/web/src/e2e-hook';
