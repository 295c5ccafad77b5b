// Types of `paramsecrets/middy`: a middleware in the shape of @middy/ssm on the paramsecrets Client.
import type { Client, ClientOptions } from './index'
import type { ExtensionUnsupportedError } from './powertools'

export { ExtensionUnsupportedError }

/** Options of the middleware: those of `@middy/ssm` that the extension can serve, plus the client to use. */
export interface ParamsecretsSsmOptions {
  /** Context or internal key → parameter name (no paths: a name ending in `/` throws). */
  fetchData?: Record<string, string>
  /** Also put the values on the handler's `context` (keys sanitized as @middy/ssm does). */
  setToContext?: boolean
  /** Milliseconds a value may be old: -1 (default) for the life of the process, 0 = read every invocation. */
  cacheExpiry?: number
  /** Do not start `client.prefetch` when the middleware is built. */
  disablePrefetch?: boolean
  /** Accepted for @middy/ssm compatibility; the cache is the client's. */
  cacheKey?: string
  /** A paramsecrets `Client` to share, or `clientOptions` for the one built here. */
  client?: Client
  /** Options for the client built here when no `client` is given. */
  clientOptions?: ClientOptions
}

/** A middy middleware object (`before` only), typed loosely so any @middy/core 4–7 accepts it. */
export interface ParamsecretsSsmMiddleware {
  /** Reads the `fetchData` names (joining the prefetch) and sets them on `request.internal` (and `context`). */
  before: (request: { internal: Record<string, unknown>, context: object }) => Promise<void>
}

/** Builds the middleware; unless `disablePrefetch`, it starts `client.prefetch` of the `fetchData` names at once (INIT-aware). */
export declare function paramsecretsSsm (options?: ParamsecretsSsmOptions): ParamsecretsSsmMiddleware
/** The context key @middy/ssm would use for a name (`/app/db-url` → `appDbUrl`). */
export declare function sanitizeKey (key: string): string
export default paramsecretsSsm
