'use strict'
// `paramsecrets/powertools`: Powertools for AWS Lambda (TypeScript) Parameters providers
// (`@aws-lambda-powertools/parameters` 2.x, an optional peer) backed by a paramsecrets Client,
// so reads go through the Parameters and Secrets Lambda Extension instead of the AWS SDK.
//
// Same method and option names as Powertools' SSMProvider / SecretsProvider (`get`, `maxAge`,
// `forceFetch`, `transform`, `decrypt`, `throwOnMissing`, `getParametersByName` with
// `throwOnError`), the same defaults (maxAge 5 s or POWERTOOLS_PARAMETERS_MAX_AGE; decrypt off
// or POWERTOOLS_PARAMETERS_SSM_DECRYPT), the same transform rules and the same error classes
// (`GetParameterError`, `TransformParameterError`, `ParameterNotFoundError`). The cache is the
// client's (one per client, its memo answers a repeated read without a native call): Powertools'
// `maxAge` becomes the client's per-read `maxAge`. What the extension cannot do (GetParametersByPath)
// rejects with `ExtensionUnsupportedError`, naming the Powertools provider to keep for that call.

const { createRequire } = require('node:module')
const { Client, NotFoundError } = require('./index.js')
const { ExtensionUnsupportedError } = require('./unsupported.js')
const { PEEK } = require('./memo.js')

/**
 * The providers over one build of Powertools: its CommonJS build for `require`, its ESM build
 * for `import` (they are distinct classes, and `instanceof GetParameterError` must hold for the
 * one the caller imported). `powertools`: `{ BaseProvider, GetParameterError,
 * ParameterNotFoundError, TransformParameterError }` from that build.
 */
function build ({ BaseProvider, GetParameterError, ParameterNotFoundError, TransformParameterError }) {
  // Powertools' own base64 decoding (its dependency, resolved from it), so `binary` gives what it
  // gives. A plain function: either build's is the same.
  const { fromBase64 } = createRequire(require.resolve('@aws-lambda-powertools/parameters'))('@aws-lambda-powertools/commons/utils/base64')

  const DEFAULT_MAX_AGE_SECS = 5 // Powertools' DEFAULT_MAX_AGE_SECS
  const ERRORS_KEY = '_errors'
  const KEEP_SSM = "SSMProvider from '@aws-lambda-powertools/parameters/ssm' (it calls SSM through the AWS SDK)"

  function maxAgeFromEnv (env) {
    const raw = env.POWERTOOLS_PARAMETERS_MAX_AGE
    if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_AGE_SECS
    const n = Number(raw)
    if (Number.isNaN(n)) throw new TypeError(`POWERTOOLS_PARAMETERS_MAX_AGE must be a number, got ${JSON.stringify(raw)}`)
    return n
  }

  function decryptFromEnv (env) {
    const raw = env.POWERTOOLS_PARAMETERS_SSM_DECRYPT
    if (raw === undefined) return false
    return ['1', 'y', 'yes', 't', 'true', 'on'].includes(raw.trim().toLowerCase())
  }

  /**
   * Powertools' transformValue (base/transformValue.js, 2.35.0), with `throwOnTransformError`;
   * its error message names the parameter instead of quoting the parser (which quotes the value).
   */
  function transformValue (value, transform, throwOnTransformError, key) {
    const t = transform.toLowerCase()
    const auto = t === 'auto'
    const lower = key.toLowerCase()
    const json = t === 'json' || (auto && lower.endsWith('.json'))
    const binary = t === 'binary' || (auto && lower.endsWith('.binary'))
    if (!(value instanceof Uint8Array || typeof value === 'string') || (!json && !binary)) return value
    try {
      const text = value instanceof Uint8Array ? new TextDecoder('utf-8').decode(value) : value
      if (json) return JSON.parse(text)
      return new TextDecoder('utf-8').decode(fromBase64(text, 'base64'))
    } catch {
      // Not the parser's message: V8's quotes part of the value.
      if (throwOnTransformError) throw new TransformParameterError(transform, `the value of ${key} is not valid ${json ? 'JSON' : 'base64'}`)
      return undefined
    }
  }

  /** A client read's failure as Powertools reports it: `GetParameterError` with ours as `cause`. */
  function asPowertoolsError (e, name, throwOnMissing) {
    if (e instanceof TransformParameterError || e instanceof ExtensionUnsupportedError) return e
    if (throwOnMissing && e instanceof NotFoundError) return new ParameterNotFoundError(`Parameter ${name} not found in the store`)
    return new GetParameterError(e?.message ?? String(e), { cause: e })
  }

  /** Common to both providers: the client, the defaults, the Powertools surface. */
  class ExtensionProvider extends BaseProvider {
    #client
    /**
     * @param {{ client?: Client, clientOptions?: object }} [config] a paramsecrets `Client` to share,
     *   or options for the one built here (port and token from the Lambda environment by default)
     */
    constructor (config = {}) {
      super({})
      if (config === null || typeof config !== 'object') throw new TypeError('provider config must be an object')
      if (config.awsSdkV3Client !== undefined || config.clientConfig !== undefined) {
        throw new ExtensionUnsupportedError('awsSdkV3Client / clientConfig (an AWS SDK client)', `${this.constructor.powertoolsName} from '@aws-lambda-powertools/parameters'`)
      }
      this.#client = config.client ?? new Client(config.clientOptions)
      const env = config.clientOptions?.env ?? process.env
      this.defaultMaxAge = maxAgeFromEnv(env)
      this.defaultDecrypt = decryptFromEnv(env)
    }

    /** The paramsecrets Client behind this provider. */
    get paramsecrets () { return this.#client }

    /** Empties the client's cache (Powertools' `clearCache`). */
    clearCache () {
      this.#client.clearCache()
    }

    /** Powertools' `get` rules on one client read (`read(opts)` → Promise of the raw value). */
    _finish (name, options, promise) {
      const transform = options?.transform
      const throwOnMissing = options?.throwOnMissing === true
      return promise.then(
        transform === undefined ? undefined : (v) => transformValue(v, transform, true, name),
        (e) => { throw asPowertoolsError(e, name, throwOnMissing) }
      )
    }

    _maxAge (options) {
      return options?.maxAge ?? this.defaultMaxAge
    }
  }

  class ExtensionSSMProvider extends ExtensionProvider {
    static powertoolsName = 'SSMProvider'
    #plain
    #plainDecrypted
    // Frozen read options by maxAge (decrypted or not), so a cached read allocates none.
    #byMaxAge = [new Map(), new Map()]

    constructor (config) {
      super(config)
      this.#plain = Object.freeze({ decrypt: this.defaultDecrypt, maxAge: this.defaultMaxAge })
      this.#plainDecrypted = Object.freeze({ decrypt: true, maxAge: this.defaultMaxAge })
    }

    /** SSMProvider's `get(name, { maxAge, forceFetch, transform, decrypt, throwOnMissing, sdkOptions })`. */
    get (name, options) {
      // A cached read: the client's memo answers at once, with no promise chained after it.
      const o = this.#readOptions(options)
      if (o !== undefined) {
        const v = this.paramsecrets[PEEK](name, o)
        if (v !== undefined) {
          const transform = options?.transform
          if (transform === undefined) return Promise.resolve(v)
          try {
            return Promise.resolve(transformValue(v, transform, true, name))
          } catch (e) {
            return Promise.reject(e)
          }
        }
      }
      return this._finish(name, options, this._get(name, options))
    }

    /** The client's options for a read without forceFetch or sdkOptions, else `undefined`. */
    #readOptions (options) {
      if (options === undefined) return this.#plain
      if (options.forceFetch === true || options.sdkOptions !== undefined) return undefined
      const m = options.maxAge
      const d = options.decrypt
      if ((m !== undefined && typeof m !== 'number') || (d !== undefined && typeof d !== 'boolean')) return undefined
      const decrypt = d ?? this.defaultDecrypt
      const maxAge = m ?? this.defaultMaxAge
      const map = this.#byMaxAge[decrypt ? 1 : 0]
      let o = map.get(maxAge)
      if (o === undefined && map.size < 64) {
        o = Object.freeze({ decrypt, maxAge })
        map.set(maxAge, o)
      }
      return o
    }

    /** The raw read (BaseProvider's abstract `_get`). */
    _get (name, options) {
      const client = this.paramsecrets
      if (options === undefined) return client.getParameter(name, this.#plain)
      if (options.decrypt === true && options.maxAge === undefined && options.forceFetch === undefined && options.sdkOptions === undefined) {
        return client.getParameter(name, this.#plainDecrypted)
      }
      let decrypt = options.decrypt
      const sdk = options.sdkOptions
      if (sdk !== undefined) {
        const other = Object.keys(sdk).filter((k) => k !== 'WithDecryption' && k !== 'Name')
        if (other.length > 0) {
          return Promise.reject(new ExtensionUnsupportedError(`sdkOptions ${other.join(', ')}`, KEEP_SSM))
        }
        decrypt ??= sdk.WithDecryption
      }
      return client.getParameter(name, {
        decrypt: decrypt ?? this.defaultDecrypt,
        maxAge: this._maxAge(options),
        forceFetch: options.forceFetch === true ? true : undefined
      })
    }

    /** GetParametersByPath is not something the extension serves: rejects, never resolves empty. */
    getMultiple (path, _options) {
      return Promise.reject(new ExtensionUnsupportedError(`getMultiple(${JSON.stringify(path)}) (GetParametersByPath)`, KEEP_SSM))
    }

    _getMultiple (path) {
      throw new ExtensionUnsupportedError(`getMultiple(${JSON.stringify(path)}) (GetParametersByPath)`, KEEP_SSM)
    }

    /** Writes are not something the extension serves. */
    set (name) {
      return Promise.reject(new ExtensionUnsupportedError(`set(${JSON.stringify(name)}) (PutParameter)`, KEEP_SSM))
    }

    /**
     * SSMProvider's `getParametersByName({ name: options }, { maxAge, transform, decrypt, throwOnError })`:
     * per-name options override the shared ones; `throwOnError: false` collects the names that
     * failed under `_errors` instead of throwing.
     */
    async getParametersByName (parameters, options) {
      const configs = { decrypt: this.defaultDecrypt, maxAge: DEFAULT_MAX_AGE_SECS, throwOnError: true, ...options }
      if (!configs.throwOnError && Object.hasOwn(parameters, ERRORS_KEY)) {
        throw new GetParameterError(`You cannot fetch a parameter named ${ERRORS_KEY} in graceful error mode.`)
      }
      const names = Object.keys(parameters)
      const settled = await Promise.allSettled(names.map((n) => {
        const p = parameters[n] ?? {}
        const transform = p.transform || configs.transform
        return this._get(n, {
          decrypt: p.decrypt ?? configs.decrypt,
          maxAge: p.maxAge ?? configs.maxAge
        }).then((v) => transform ? transformValue(v, transform, configs.throwOnError, n) : v)
      }))
      const response = {}
      const errors = []
      settled.forEach((s, i) => {
        if (s.status === 'fulfilled') {
          response[names[i]] = s.value
        } else if (configs.throwOnError) {
          throw asPowertoolsError(s.reason, names[i], false)
        } else {
          errors.push(names[i])
        }
      })
      if (!configs.throwOnError) response[ERRORS_KEY] = errors
      return response
    }
  }

  class ExtensionSecretsProvider extends ExtensionProvider {
    static powertoolsName = 'SecretsProvider'

    /** SecretsProvider's `get(name, { maxAge, forceFetch, transform, throwOnMissing, sdkOptions: { VersionId, VersionStage } })`. */
    get (name, options) {
      return this._finish(name, options, this._get(name, options))
    }

    _get (name, options) {
      const sdk = options?.sdkOptions
      if (sdk !== undefined) {
        const other = Object.keys(sdk).filter((k) => k !== 'VersionId' && k !== 'VersionStage' && k !== 'SecretId')
        if (other.length > 0) {
          return Promise.reject(new ExtensionUnsupportedError(`sdkOptions ${other.join(', ')}`, "SecretsProvider from '@aws-lambda-powertools/parameters/secrets'"))
        }
      }
      return this.paramsecrets.getSecret(name, {
        versionId: sdk?.VersionId,
        versionStage: sdk?.VersionStage,
        maxAge: this._maxAge(options),
        forceFetch: options?.forceFetch === true ? true : undefined
      })
    }

    /** Secrets Manager has no read by path (Powertools' SecretsProvider has none either). */
    getMultiple (path) {
      return Promise.reject(new ExtensionUnsupportedError(`getMultiple(${JSON.stringify(path)})`, 'SecretsProvider.get per secret (Secrets Manager has no read by path)'))
    }

    _getMultiple (path) {
      throw new ExtensionUnsupportedError(`getMultiple(${JSON.stringify(path)})`, 'SecretsProvider.get per secret (Secrets Manager has no read by path)')
    }
  }

  /** AppConfig is not served by the Parameters and Secrets extension. */
  class ExtensionAppConfigProvider {
    constructor () {
      throw new ExtensionUnsupportedError('AppConfig', "AppConfigProvider from '@aws-lambda-powertools/parameters/appconfig' (or the AppConfig agent extension)")
    }
  }

  // The function forms (Powertools' getParameter, getParametersByName, getSecret), each on one
  // provider built at first use and kept for the process, as Powertools' DEFAULT_PROVIDERS are.
  let ssm
  let secrets
  const defaultSSM = () => (ssm ??= new ExtensionSSMProvider())
  const defaultSecrets = () => (secrets ??= new ExtensionSecretsProvider())

  const getParameter = (name, options) => defaultSSM().get(name, options)
  const getParametersByName = (parameters, options) => defaultSSM().getParametersByName(parameters, options)
  const getSecret = (name, options) => defaultSecrets().get(name, options)
  // By path: rejected before any client is built (no token needed to learn it is unsupported).
  const getParameters = (path) => Promise.reject(new ExtensionUnsupportedError(`getParameters(${JSON.stringify(path)}) (GetParametersByPath)`, KEEP_SSM))

  return {
    ExtensionSSMProvider,
    ExtensionSecretsProvider,
    ExtensionAppConfigProvider,
    ExtensionUnsupportedError,
    getParameter,
    getParameters,
    getParametersByName,
    getSecret,
    GetParameterError,
    ParameterNotFoundError,
    TransformParameterError
  }
}

module.exports = { build }
