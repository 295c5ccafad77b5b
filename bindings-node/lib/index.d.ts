// Types of the public API of `paramsecrets` (hand-written; the native module's own types are
// generated into ../native.d.ts and stay private).
/// <reference types="node" />

import { inspect } from 'node:util'

/** Client settings. Unset ones come from the environment, then the defaults. */
export interface ClientOptions {
  /** Full base URL, e.g. `http://127.0.0.1:2773`. Loopback only unless `allowNonLoopback`. */
  endpoint?: string
  /** The extension's port on 127.0.0.1 (env `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, default 2773). */
  port?: number
  /** The `X-Aws-Parameters-Secrets-Token` value (`file://PATH` reads a file). Default: env `PARAMSECRETS_TOKEN`, `AWS_TOKEN`, `AWS_SESSION_TOKEN`, `AWS_CONTAINER_AUTHORIZATION_TOKEN`. */
  token?: string
  /** In-process cache TTL for both kinds, in **seconds** (0 turns the cache off). Default 300. */
  ttl?: number
  /** Parameter TTL in seconds (overrides `ttl`). */
  parameterTtl?: number
  /** Secret TTL in seconds (overrides `ttl`). */
  secretTtl?: number
  /** Cache capacity in entries (least recently used evicted). Default 1000. */
  cacheSize?: number
  /** Timeout of one HTTP attempt, in **milliseconds**. Default 3000. */
  timeoutMs?: number
  /** The longest a whole read may take, retries included, in milliseconds. Default 5000. */
  deadlineMs?: number
  /** The server: `'auto'` (learned from its answers; the default), `'extension'` or `'agent'`. Decides whether `forceFetch` sends the Agent's `refreshNow=true`. */
  server?: 'auto' | 'extension' | 'agent'
  /** How long to keep retrying while the extension starts, in milliseconds. Default 3000. */
  readyTimeoutMs?: number
  /** Serve an expired value this many seconds past its TTL when a refresh fails transiently. Default 0. */
  staleIfError?: number
  /** Accept an endpoint that is not on this machine (the token is part of the function's credentials). */
  allowNonLoopback?: boolean
  /** Read defaults from this map instead of `process.env`. */
  env?: Record<string, string>
}

/** Per-call cache control. */
export interface ReadOptions {
  /** Accept a cached value at most this many **seconds** old (overrides the TTL for this read). */
  maxAge?: number
  /** Skip the in-process cache and refill it. */
  forceFetch?: boolean
}

/** How a read turns the value into a result: `json` parses it, `binary` base64-decodes it into a `Buffer`, `auto` picks by the name's suffix (`.json`, `.binary`). */
export type Transform = 'json' | 'binary' | 'auto'

/** Options of one parameter read that returns a `Parameter` record. */
export interface ParameterRecordOptions extends ReadOptions {
  /** Decrypt SecureString values (default true). */
  decrypt?: boolean
  /** A version number (not with `label`). */
  version?: number
  /** A label (not with `version`). */
  label?: string
}

/** Options of one parameter read (`getParameter`). */
export interface ParameterOptions extends ParameterRecordOptions {
  /** `json` parses the value, `binary` base64-decodes it into a Buffer, `auto` picks by the name's suffix (`.json`, `.binary`). */
  transform?: Transform
}

/** Options of one secret read that returns a `Secret` record. */
export interface SecretRecordOptions extends ReadOptions {
  /** A version id (not with `versionStage`). */
  versionId?: string
  /** A staging label such as `AWSPREVIOUS` (not with `versionId`); default `AWSCURRENT`. */
  versionStage?: string
}

/** Options of one secret read (`getSecret`). */
export interface SecretOptions extends SecretRecordOptions {
  /** `json` parses the secret string, `binary` returns a `Buffer`, `auto` picks by the id's suffix (`.json`, `.binary`). */
  transform?: Transform
}

/** Options of a batch parameter read (`getParameters`), applied to every name. */
export interface ParametersOptions extends ReadOptions {
  /** Decrypt SecureString values (default true). */
  decrypt?: boolean
  /** Applied to every value, as in `ParameterOptions.transform`. */
  transform?: Transform
}

/** Options of a batch secret read (`getSecrets`), applied to every id. */
export interface SecretsOptions extends ReadOptions {
  /** Applied to every value, as in `SecretOptions.transform`. */
  transform?: Transform
}

/** One result of a batch read: a value or the error for that name. */
export type BatchResult<T> =
  | {
    /** The parameter name or secret id, as asked. */
    name: string
    /** The value, transformed as asked. */
    value: T
    /** Absent: the read succeeded. */
    error?: undefined
  }
  | {
    /** The parameter name or secret id, as asked. */
    name: string
    /** Absent: the read failed. */
    value?: undefined
    /** Why this name's read failed. */
    error: ParamSecretsError
  }

/** Counters since the client was built (`clearCache` keeps them). */
export interface Stats {
  /** Reads answered from the in-process cache (the JS-side memo included). */
  hits: number
  /** Reads that needed a request (or joined one). */
  misses: number
  /** Expired values served because a refresh failed transiently (stale-if-error). */
  staleServed: number
  /** Reads that joined a request already in flight (single-flight). */
  coalesced: number
  /** HTTP requests sent to the extension (retries included). */
  requests: number
  /** Retried attempts. */
  retries: number
  /** Reads that ended in an error. */
  errors: number
  /** Entries evicted by the LRU bound. */
  evictions: number
}

/** A parameter with its metadata. `toString`, `toJSON` and `util.inspect` redact the value. */
export declare class Parameter {
  private constructor ()
  /** The parameter's name. */
  readonly name: string
  /** `String`, `StringList` or `SecureString`. */
  readonly type: 'String' | 'StringList' | 'SecureString' | string
  /** The parameter's version number. */
  readonly version: number
  /** The parameter's ARN, when the server sent it. */
  readonly arn: string | null
  /** When the parameter was last changed, when the server sent it. */
  readonly lastModified: Date | null
  /** `text`, `aws:ec2:image` or another data type, when sent. */
  readonly dataType: string | null
  /** The `:version` or `:label` selector the read asked for, if any. */
  readonly selector: string | null
  /** The plaintext value; a `Buffer` only for a binary secret read through `/aws/reference/secretsmanager/…`. */
  get value (): string | Buffer
  /** For `/aws/reference/secretsmanager/…` names: the secret as a JSON string. */
  get sourceResult (): string | null
  /** A plain object with the metadata; the value is redacted. */
  toJSON (): Record<string, unknown>
  /** A one-line description with the value redacted. */
  toString (): string
  /** What `util.inspect` and `console.log` show: the value redacted. */
  [inspect.custom] (): string
}

/** A secret with its metadata: exactly one of `secretString` / `secretBinary`. Redacted like `Parameter`. */
export declare class Secret {
  private constructor ()
  /** The secret's friendly name, when sent. */
  readonly name: string | null
  /** The secret's ARN, when sent. */
  readonly arn: string | null
  /** The version's id, when sent. */
  readonly versionId: string | null
  /** The version's staging labels (e.g. `AWSCURRENT`). */
  readonly versionStages: string[]
  /** When this version was created, when sent. */
  readonly createdDate: Date | null
  /** The secret string, or `null` for a binary secret. */
  get secretString (): string | null
  /** The secret's bytes, or `null` for a string secret. */
  get secretBinary (): Buffer | null
  /** The value: `secretString`, else `secretBinary`. */
  get value (): string | Buffer
  /** A plain object with the metadata; the value is redacted. */
  toJSON (): Record<string, unknown>
  /** A one-line description with the value redacted. */
  toString (): string
  /** What `util.inspect` and `console.log` show: the value redacted. */
  [inspect.custom] (): string
}

/** The stable code of every error (`err.code`), one per `ParamSecretsError` subclass. */
export type ErrorCode =
  | 'invalid_argument'
  | 'missing_token'
  | 'unauthorized'
  | 'not_found'
  | 'not_found_or_denied'
  | 'access_denied'
  | 'not_ready'
  | 'unavailable'
  | 'throttled'
  | 'timeout'
  | 'upstream'
  | 'protocol'
  | 'internal'

/** Every error paramsecrets raises. */
export declare class ParamSecretsError extends Error {
  constructor (message: string, details?: { code?: ErrorCode; status?: number | null; awsType?: string | null; attempts?: number; cause?: unknown })
  /** The stable code (one per subclass). */
  readonly code: ErrorCode
  /** The HTTP status of the last response, when there was one. */
  readonly status: number | null
  /** The AWS error type (`__type` / `x-amzn-errortype`), when given. */
  readonly awsType: string | null
  /** HTTP attempts made before giving up (0 when none was made). */
  readonly attempts: number
}
/** A bad name, id or option, caught before any request. */
export declare class InvalidArgumentError extends ParamSecretsError { readonly code: 'invalid_argument' }
/** No token source was found (the message names the variables tried). */
export declare class MissingTokenError extends ParamSecretsError { readonly code: 'missing_token' }
/** 401/403: the token is missing, wrong or rejected. */
export declare class UnauthorizedError extends ParamSecretsError { readonly code: 'unauthorized' }
/** A definite not-found (the Agent's ResourceNotFound / ParameterNotFound). */
export declare class NotFoundError extends ParamSecretsError { readonly code: 'not_found' }
/** The managed extension's generic 400: not found, denied or a bad version (see its CloudWatch logs and IAM). */
export declare class NotFoundOrDeniedError extends ParamSecretsError { readonly code: 'not_found_or_denied' }
/** An explicit AccessDenied from the Agent. */
export declare class AccessDeniedError extends ParamSecretsError { readonly code: 'access_denied' }
/** Still "not ready" when the readiness deadline ran out. */
export declare class NotReadyError extends ParamSecretsError { readonly code: 'not_ready' }
/** Nothing listening, or connection failures after retries. */
export declare class UnavailableError extends ParamSecretsError { readonly code: 'unavailable' }
/** 429 or ThrottlingException after retries. */
export declare class ThrottledError extends ParamSecretsError { readonly code: 'throttled' }
/** A request or the overall deadline timed out. */
export declare class TimeoutError extends ParamSecretsError { readonly code: 'timeout' }
/** Other 5xx or AWS errors (see `status` and `awsType`). */
export declare class UpstreamError extends ParamSecretsError { readonly code: 'upstream' }
/** A response that cannot be parsed, is over the size cap, or a value a transform cannot read. */
export declare class ProtocolError extends ParamSecretsError { readonly code: 'protocol' }
/** A bug (a caught panic). Never expected. */
export declare class InternalError extends ParamSecretsError { readonly code: 'internal' }

/** Code → class. */
export declare const errorClasses: Readonly<Record<ErrorCode, typeof ParamSecretsError>>

/** The package version. */
export declare const version: string

/** Reads SSM parameters and Secrets Manager secrets through the AWS Parameters and Secrets Lambda Extension, with an in-process cache. */
export declare class Client {
  /** Builds a client from the environment and `options`. Throws `MissingTokenError`, `InvalidArgumentError` or `TypeError`. */
  constructor (options?: ClientOptions)
  /** The extension's base URL. */
  readonly endpoint: string

  /** Reads a parameter's value as a string (a cache hit resolves without entering the native runtime). */
  getParameter (name: string, options?: ParameterOptions & { transform?: undefined }): Promise<string>
  /** Reads a parameter and parses it as JSON. */
  getParameter<T = unknown> (name: string, options: ParameterOptions & { transform: 'json' }): Promise<T>
  /** Reads a parameter and base64-decodes it into a `Buffer`. */
  getParameter (name: string, options: ParameterOptions & { transform: 'binary' }): Promise<Buffer>
  /** Reads a parameter and transforms it by its name's suffix (`.json`, `.binary`). */
  getParameter<T = unknown> (name: string, options: ParameterOptions & { transform: 'auto' }): Promise<string | Buffer | T>
  /** Reads a parameter with its metadata (`Parameter`). */
  getParameterRecord (name: string, options?: ParameterRecordOptions): Promise<Parameter>

  /** Reads a secret's value: its string, or a `Buffer` for a binary secret. */
  getSecret (secretId: string, options?: SecretOptions & { transform?: undefined }): Promise<string | Buffer>
  /** Reads a secret and parses its string as JSON. */
  getSecret<T = unknown> (secretId: string, options: SecretOptions & { transform: 'json' }): Promise<T>
  /** Reads a secret as a `Buffer`. */
  getSecret (secretId: string, options: SecretOptions & { transform: 'binary' }): Promise<Buffer>
  /** Reads a secret and transforms it by its id's suffix (`.json`, `.binary`). */
  getSecret<T = unknown> (secretId: string, options: SecretOptions & { transform: 'auto' }): Promise<string | Buffer | T>
  /** Reads a secret with its metadata (`Secret`). */
  getSecretRecord (secretId: string, options?: SecretRecordOptions): Promise<Secret>

  /** Reads several parameters concurrently; one `BatchResult` per name, in order (a failed name carries its error). */
  getParameters (names: readonly string[], options?: ParametersOptions & { transform?: undefined }): Promise<Array<BatchResult<string>>>
  /** Reads several parameters and parses each as JSON. */
  getParameters<T = unknown> (names: readonly string[], options: ParametersOptions & { transform: 'json' }): Promise<Array<BatchResult<T>>>
  /** Reads several parameters as `Buffer`s. */
  getParameters (names: readonly string[], options: ParametersOptions & { transform: 'binary' }): Promise<Array<BatchResult<Buffer>>>
  /** Reads several parameters, each transformed by its name's suffix. */
  getParameters<T = unknown> (names: readonly string[], options: ParametersOptions & { transform: 'auto' }): Promise<Array<BatchResult<string | Buffer | T>>>

  /** Reads several secrets concurrently; one `BatchResult` per id, in order. */
  getSecrets (secretIds: readonly string[], options?: SecretsOptions & { transform?: undefined }): Promise<Array<BatchResult<string | Buffer>>>
  /** Reads several secrets and parses each as JSON. */
  getSecrets<T = unknown> (secretIds: readonly string[], options: SecretsOptions & { transform: 'json' }): Promise<Array<BatchResult<T>>>
  /** Reads several secrets as `Buffer`s. */
  getSecrets (secretIds: readonly string[], options: SecretsOptions & { transform: 'binary' }): Promise<Array<BatchResult<Buffer>>>
  /** Reads several secrets, each transformed by its id's suffix. */
  getSecrets<T = unknown> (secretIds: readonly string[], options: SecretsOptions & { transform: 'auto' }): Promise<Array<BatchResult<string | Buffer | T>>>

  /** Drops every cached entry of this parameter; returns how many. Synchronous. */
  invalidateParameter (name: string): number
  /** Drops every cached entry of this secret; returns how many. Synchronous. */
  invalidateSecret (secretId: string): number
  /** Empties the in-process cache (the counters are kept). Synchronous. */
  clearCache (): void
  /**
   * Starts reading these in the background and returns at once (for module scope: the
   * function's INIT phase). The first read of each joins its request or hits the cache; a
   * prefetch that fails is that read's typed error. Synchronous.
   */
  prefetch (names: { parameters?: readonly string[], secrets?: readonly string[] }): void
  /** Counters since the client was built. Synchronous. */
  stats (): Stats
}

