// A TypeScript (CommonJS) consumer: `import x = require(...)` compiles to `require('paramsecrets')`.
import paramsecrets = require('paramsecrets')

export async function main (): Promise<string> {
  const client = new paramsecrets.Client({ endpoint: 'http://127.0.0.1:2773', token: 't' })
  const e: typeof paramsecrets.ParamSecretsError = paramsecrets.errorClasses.not_found
  void e
  // @ts-expect-error getParameter resolves to a string without a transform
  const n: number = await client.getParameter('/x')
  void n
  return client.getParameter('/app/plain')
}
