// A TypeScript (ESM) consumer of paramsecrets/powertools and paramsecrets/middy: `tsc --noEmit`
// must accept it; the @ts-expect-error lines fail if the types get looser.
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors'
import { Client } from 'paramsecrets'
import { ExtensionSSMProvider, ExtensionSecretsProvider, ExtensionUnsupportedError, getParameter, getParametersByName, getSecret } from 'paramsecrets/powertools'
import paramsecretsSsm from 'paramsecrets/middy'

interface Db { username: string }

export async function main (): Promise<void> {
  const provider = new ExtensionSSMProvider({ clientOptions: { port: 2773 } })
  const s: string | undefined = await provider.get('/app/plain')
  const required: string = await provider.get('/app/plain', { throwOnMissing: true, maxAge: 60, forceFetch: true, decrypt: true })
  const json = await provider.get<Db>('/app/db.json', { transform: 'json' })
  const byName = await provider.getParametersByName({ '/a': {}, '/b.json': { transform: 'json' } }, { maxAge: 30, throwOnError: false })
  const secrets = new ExtensionSecretsProvider({ client: provider.paramsecrets })
  const shared: Client = secrets.paramsecrets
  const secret = await secrets.get('db', { sdkOptions: { VersionStage: 'AWSCURRENT' } })
  const fn: string | undefined = await getParameter('/app/plain')
  await getParametersByName({ '/a': {} })
  await getSecret('db')
  try { await provider.getMultiple('/app') } catch (e) {
    if (e instanceof ExtensionUnsupportedError) console.log(e.useInstead, e.operation)
    if (e instanceof GetParameterError) console.log(e.message)
  }
  // @ts-expect-error: maxAge is a number of seconds
  await provider.get('/app/plain', { maxAge: '5' })
  const handler = paramsecretsSsm({ fetchData: { url: '/app/url' }, setToContext: true, cacheExpiry: 60_000 })
  await handler.before({ internal: {}, context: {} })
  // @ts-expect-error: fetchData values are names
  paramsecretsSsm({ fetchData: { url: 1 } })
  console.log(s, required, json?.username, byName, shared, secret, fn, handler)
}
