// A local stand-in for the SSM and Secrets Manager APIs (awsJson1_1 on 127.0.0.1), serving the
// same store as the emulator, so Powertools' own providers and @middy/ssm (through the real AWS
// SDK) can be compared with ours value for value. GetParameter, GetParameters, GetSecretValue.
import { createServer } from 'node:http'

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }

const ssmParameter = (p) => ({
  Name: p.name,
  Type: p.type ?? 'String',
  Value: p.value,
  Version: 1,
  ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${p.name}`,
  DataType: 'text',
  LastModifiedDate: 1704067200
})

export async function startSsmStub (store) {
  const parameters = new Map(store.parameters.map((p) => [p.name, p]))
  const secrets = new Map((store.secrets ?? []).map((s) => [s.name, s]))
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => { body += d })
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').split('.').pop()
      const input = JSON.parse(body || '{}')
      const send = (status, out) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
        res.end(JSON.stringify(out))
      }
      if (target === 'GetParameter') {
        const p = parameters.get(input.Name)
        return p ? send(200, { Parameter: ssmParameter(p) }) : send(400, { __type: 'ParameterNotFound', message: 'not found' })
      }
      if (target === 'GetParameters') {
        const found = input.Names.filter((n) => parameters.has(n))
        return send(200, { Parameters: found.map((n) => ssmParameter(parameters.get(n))), InvalidParameters: input.Names.filter((n) => !parameters.has(n)) })
      }
      if (target === 'GetSecretValue') {
        const s = secrets.get(input.SecretId)
        if (!s) return send(400, { __type: 'ResourceNotFoundException', Message: 'not found' })
        return send(200, { Name: s.name, ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${s.name}`, VersionId: 'v1', VersionStages: ['AWSCURRENT'], ...(s.string !== undefined ? { SecretString: s.string } : { SecretBinary: s.binary_base64 }) })
      }
      send(400, { __type: 'UnknownOperationException' })
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  return {
    url,
    /** Options for an AWS SDK v3 client pointed at this stub. */
    clientConfig: { endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 },
    stop: () => new Promise((resolve) => server.close(resolve))
  }
}
