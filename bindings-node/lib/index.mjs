// ESM entry point: the same objects as the CommonJS one (`require('paramsecrets')`), so
// `instanceof` checks agree whichever way a program loads the package.
import cjs from './index.js'

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
