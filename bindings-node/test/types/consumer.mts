// A TypeScript (ESM) consumer of the published package: `tsc --noEmit` must accept it.
// The @ts-expect-error lines keep the check honest: they fail if the types get looser.
import { Client, NotFoundError, ParamSecretsError, Parameter, Secret, type BatchResult, type Stats } from 'paramsecrets'
import paramsecrets from 'paramsecrets'

interface Db { username: string; password: string }

export async function main (): Promise<void> {
  const client = new Client({ port: 2773, ttl: 60, timeoutMs: 500 })
  const s: string = await client.getParameter('/app/plain')
  const db = await client.getSecret<Db>('db', { transform: 'json' })
  const user: string = db.username
  const unknownJson: unknown = await client.getParameter('/app/config.json', { transform: 'json' })
  const bytes: Buffer = await client.getSecret('blob', { transform: 'binary' })
  const bytes2: Buffer = await client.getParameter('/app/cert', { transform: 'binary' })
  const secret: string | Buffer = await client.getSecret('db')
  const rec: Parameter = await client.getParameterRecord('/app/plain', { version: 1 })
  const when: Date | null = rec.lastModified
  const srec: Secret = await client.getSecretRecord('db', { versionStage: 'AWSCURRENT' })
  const stages: string[] = srec.versionStages
  const items: Array<BatchResult<string>> = await client.getParameters(['/a', '/b'])
  for (const it of items) {
    if (it.error) {
      const code: string = it.error.code
      void code
    } else {
      const v: string = it.value
      void v
    }
  }
  const stats: Stats = client.stats()
  const dropped: number = client.invalidateParameter('/app/plain')
  client.clearCache()
  try {
    await client.getSecret('nope')
  } catch (e) {
    if (e instanceof NotFoundError) {
      const code: 'not_found' = e.code
      const status: number | null = e.status
      void code; void status
    } else if (e instanceof ParamSecretsError) {
      const awsType: string | null = e.awsType
      void awsType
    }
  }
  // @ts-expect-error a parameter value is a string, not a number
  const n: number = await client.getParameter('/app/plain')
  // @ts-expect-error a binary transform gives a Buffer
  const notString: string = await client.getSecret('blob', { transform: 'binary' })
  // @ts-expect-error unknown option
  await client.getParameter('/x', { bogus: true })
  // @ts-expect-error transform is not an option of records
  await client.getParameterRecord('/x', { transform: 'json' })
  // @ts-expect-error versionId belongs to secrets
  await client.getParameter('/x', { versionId: 'v' })
  const viaDefault = new paramsecrets.Client()
  void [s, user, unknownJson, bytes, bytes2, secret, when, stages, stats, dropped, n, notString, viaDefault]
}
