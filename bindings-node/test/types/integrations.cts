// A TypeScript (CommonJS) consumer of paramsecrets/powertools and paramsecrets/middy.
import { ExtensionSSMProvider, ExtensionUnsupportedError } from 'paramsecrets/powertools'
import { paramsecretsSsm } from 'paramsecrets/middy'
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors'
import { BaseProvider } from '@aws-lambda-powertools/parameters/base'

export async function main (): Promise<void> {
  const provider = new ExtensionSSMProvider()
  const base: BaseProvider = provider
  const v: string | undefined = await provider.get('/app/plain', { maxAge: 10 })
  const e: unknown = await provider.getMultiple('/app').catch((err: unknown) => err)
  if (e instanceof ExtensionUnsupportedError && !(e instanceof GetParameterError)) console.log(e.useInstead)
  const mw = paramsecretsSsm({ fetchData: { v: '/app/plain' }, disablePrefetch: true })
  console.log(base, v, mw.before)
}
