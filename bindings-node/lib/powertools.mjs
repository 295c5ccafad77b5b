// `paramsecrets/powertools` for `import`: the providers over Powertools' ESM build, so
// `instanceof GetParameterError` holds for the class an ESM program imports (Powertools' two
// builds are distinct classes). The shared code is CommonJS (powertools-impl.js).
import { createRequire } from 'node:module'
import { BaseProvider } from '@aws-lambda-powertools/parameters/base'
import * as errors from '@aws-lambda-powertools/parameters/errors'

const { build } = createRequire(import.meta.url)('./powertools-impl.js')
const esm = build({ BaseProvider, ...errors })

export const {
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
} = esm

export default esm
