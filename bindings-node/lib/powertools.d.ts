// Types of `paramsecrets/powertools`: Powertools Parameters providers on the paramsecrets Client.
import { BaseProvider } from '@aws-lambda-powertools/parameters/base'
import type { SSMGetOptions, SSMGetOutput, SSMGetParametersByNameOptions, SSMGetParametersByNameOutput } from '@aws-lambda-powertools/parameters/ssm/types'
import type { SecretsGetOptions, SecretsGetOutput } from '@aws-lambda-powertools/parameters/secrets/types'
import type { Client, ClientOptions } from './index'

export { GetParameterError, ParameterNotFoundError, TransformParameterError } from '@aws-lambda-powertools/parameters/errors'

type GetMaybeUndefined<T, O> = O extends { throwOnMissing: true } ? T : T | undefined

/** How a provider gets its client: one to share, or options for the one it builds. */
export interface ExtensionProviderOptions {
  /** A paramsecrets `Client` to share (its cache is then shared too). */
  client?: Client
  /** Options for the client built here (default: port and token from the Lambda environment). */
  clientOptions?: ClientOptions
}

/** A call the Parameters and Secrets extension cannot serve; `useInstead` names what to keep for it. */
export declare class ExtensionUnsupportedError extends Error {
  /** Always `'ExtensionUnsupportedError'`. */
  readonly name: 'ExtensionUnsupportedError'
  /** What was asked, e.g. `getMultiple("/app") (GetParametersByPath)`. */
  readonly operation: string
  /** The Powertools provider (or package) to keep for that call. */
  readonly useInstead: string
  constructor (operation: string, useInstead: string)
}

declare abstract class ExtensionProvider extends BaseProvider {
  constructor (config?: ExtensionProviderOptions)
  /** The paramsecrets Client behind this provider. */
  readonly paramsecrets: Client
  /** Seconds: POWERTOOLS_PARAMETERS_MAX_AGE, else 5 (read when the provider is built). */
  readonly defaultMaxAge: number
  /** POWERTOOLS_PARAMETERS_SSM_DECRYPT, else false (read when the provider is built). */
  readonly defaultDecrypt: boolean
  /** Empties the client's cache. */
  clearCache (): void
  protected _get (name: string, options?: unknown): Promise<unknown>
  protected _getMultiple (path: string, options?: unknown): Promise<Record<string, unknown> | undefined>
}

/** Powertools' SSMProvider, through the extension. */
export declare class ExtensionSSMProvider extends ExtensionProvider {
  get<ExplicitUserProvidedType = undefined, InferredFromOptionsType extends SSMGetOptions | undefined = SSMGetOptions>(
    name: string,
    options?: NonNullable<InferredFromOptionsType & SSMGetOptions>
  ): Promise<GetMaybeUndefined<SSMGetOutput<ExplicitUserProvidedType, InferredFromOptionsType>, InferredFromOptionsType>>
  /** Powertools' `getParametersByName`: every name read through the extension, concurrently, with per-name options. */
  getParametersByName<ExplicitUserProvidedType = undefined>(
    parameters: Record<string, SSMGetParametersByNameOptions>,
    options?: NonNullable<SSMGetParametersByNameOptions>
  ): Promise<SSMGetParametersByNameOutput<ExplicitUserProvidedType>>
  /** Always rejects with `ExtensionUnsupportedError`: the extension has no GetParametersByPath. */
  getMultiple (path: string, options?: unknown): Promise<never>
  /** Always rejects with `ExtensionUnsupportedError`: the extension does not write. */
  set (name: string, options?: unknown): Promise<never>
}

/** Powertools' SecretsProvider, through the extension. */
export declare class ExtensionSecretsProvider extends ExtensionProvider {
  get<ExplicitUserProvidedType = undefined, InferredFromOptionsType extends SecretsGetOptions | undefined = SecretsGetOptions>(
    name: string,
    options?: NonNullable<InferredFromOptionsType & SecretsGetOptions>
  ): Promise<GetMaybeUndefined<SecretsGetOutput<ExplicitUserProvidedType, InferredFromOptionsType>, InferredFromOptionsType>>
  /** Always rejects with `ExtensionUnsupportedError`. */
  getMultiple (path: string, options?: unknown): Promise<never>
}

/** AppConfig is not served by the extension: constructing one throws `ExtensionUnsupportedError`. */
export declare class ExtensionAppConfigProvider {
  constructor ()
}

/** Powertools' `getParameter` on a shared `ExtensionSSMProvider`. */
export declare function getParameter<ExplicitUserProvidedType = undefined, InferredFromOptionsType extends SSMGetOptions | undefined = SSMGetOptions> (
  name: string,
  options?: NonNullable<InferredFromOptionsType & SSMGetOptions>
): Promise<GetMaybeUndefined<SSMGetOutput<ExplicitUserProvidedType, InferredFromOptionsType>, InferredFromOptionsType>>
/** Powertools' `getParametersByName` on a shared `ExtensionSSMProvider`. */
export declare function getParametersByName<ExplicitUserProvidedType = undefined> (
  parameters: Record<string, SSMGetParametersByNameOptions>,
  options?: NonNullable<SSMGetParametersByNameOptions>
): Promise<SSMGetParametersByNameOutput<ExplicitUserProvidedType>>
/** Powertools' `getSecret` on a shared `ExtensionSecretsProvider`. */
export declare function getSecret<ExplicitUserProvidedType = undefined, InferredFromOptionsType extends SecretsGetOptions | undefined = SecretsGetOptions> (
  name: string,
  options?: NonNullable<InferredFromOptionsType & SecretsGetOptions>
): Promise<GetMaybeUndefined<SecretsGetOutput<ExplicitUserProvidedType, InferredFromOptionsType>, InferredFromOptionsType>>
/** Always rejects with `ExtensionUnsupportedError` (by path). */
export declare function getParameters (path: string, options?: unknown): Promise<never>
