// ESM entry point: the same objects as the CommonJS one (`require('paramsecrets')`), so
// `instanceof` checks agree whichever way a program loads the package.
//
// Loaded with `require`, not `import cjs from './index.js'`: on Node 22, ESM-importing the
// CommonJS files (index.js, memo.js, the generated native.js) cost 20.0 ms against 12.4 ms
// this way (median of 15 fresh processes each, import + new Client()); Node 24 takes 10.6 ms
// either way. `createRequire` shares the CommonJS module cache, so the objects stay the same.
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./index.js')

export const {
  Client,
  Parameter,
  Secret,
  ParamSecretsError,
  InvalidArgumentError,
  MissingTokenError,
  UnauthorizedError,
  NotFoundError,
  NotFoundOrDeniedError,
  AccessDeniedError,
  NotReadyError,
  UnavailableError,
  ThrottledError,
  TimeoutError,
  UpstreamError,
  ProtocolError,
  InternalError,
  errorClasses,
  version
} = cjs

export default cjs
