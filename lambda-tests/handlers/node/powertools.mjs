// Powertools for AWS Lambda (TypeScript) Parameters' documented examples, run on paramsecrets'
// providers (`paramsecrets/powertools`) in the local Lambda. Returns
// {"results": {exampleName: value | {"error": "ClassName"}}}; the store is lambda-tests/powertools.store.json
// (the same names and values as the Java handler's, so the two tables compare).
// Only the providers changed from Powertools' examples: SSMProvider → ExtensionSSMProvider,
// SecretsProvider → ExtensionSecretsProvider, and the function forms from paramsecrets/powertools.
import { ExtensionSSMProvider, ExtensionSecretsProvider, getParameter, getParametersByName } from 'paramsecrets/powertools'

// Module scope, as in Powertools' examples: built at INIT; nothing is read until the handler.
const parametersProvider = new ExtensionSSMProvider()
const secretsProvider = new ExtensionSecretsProvider({ client: parametersProvider.paramsecrets })

const EXAMPLES = {
  get: () => parametersProvider.get('/powertools/plain'),
  getDecrypted: () => parametersProvider.get('/powertools/secure', { decrypt: true }),
  getWithMaxAge: () => getParameter('/powertools/plain', { maxAge: 60 }),
  transformJson: async () => {
    const config = await parametersProvider.get('/powertools/config', { transform: 'json' })
    return `${config.host}:${config.port}`
  },
  transformBase64: () => parametersProvider.get('/powertools/base64', { transform: 'binary' }),
  forceFetch: () => parametersProvider.get('/powertools/plain', { forceFetch: true }),
  getMissing: () => parametersProvider.get('/powertools/missing'),
  getMultiple: () => parametersProvider.getMultiple('/powertools'),
  getParametersByName: () => getParametersByName({
    '/powertools/plain': { maxAge: 300 },
    '/powertools/config': { transform: 'json' },
    '/powertools/missing': {}
  }, { throwOnError: false }),
  secret: () => secretsProvider.get('powertools/text'),
  secretJson: async () => (await secretsProvider.get('powertools/db', { transform: 'json' })).username
}

export const handler = async () => {
  const results = {}
  for (const [name, run] of Object.entries(EXAMPLES)) {
    try {
      results[name] = await run()
    } catch (err) {
      results[name] = { error: err?.constructor?.name ?? String(err) }
    }
  }
  return { results }
}
