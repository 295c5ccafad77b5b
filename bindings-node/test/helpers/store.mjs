// The store most binding tests share (format: emulator/README.md).
export const STORE = {
  parameters: [
    { name: '/app/plain', value: 'hello' },
    { name: '/app/secure', type: 'SecureString', value: 'hunter2-param' },
    { name: '/app/list', type: 'StringList', value: 'a,b,c' },
    { name: '/app/config.json', value: '{"feature":true,"n":3}' },
    { name: '/app/cert.binary', value: 'AAEC/w==' },
    { name: '/app/not-json', value: 'hunter2 {not json' },
    { name: '/app/null.json', value: 'null' },
    { name: '/app/slow', value: 'slow-value', delay_ms: 600 },
    { name: '/app/cold', value: 'cold-value' },
    // Slow enough that 1000 reads are all issued before it answers, even emulated (under qemu
    // issuing them took over 300 ms).
    { name: '/app/cold-slow', value: 'cold-slow-value', delay_ms: 2000 },
    {
      name: '/app/versioned',
      versions: [
        { version: 1, value: 'v1', labels: ['old'] },
        { version: 2, value: 'v2', labels: ['Prod'] }
      ]
    },
    { name: '/app/busy', value: 'x', respond: { status: 503, body: 'busy' } },
    { name: '/app/rate-limited', value: 'x', respond: { status: 429, body: 'slow down' } },
    { name: '/app/garbage', value: 'x', respond: { status: 200, body: 'not json at all' } }
  ],
  secrets: [
    { name: 'db', string: '{"username":"admin","password":"hunter2-secret"}' },
    { name: 'blob', binary_base64: 'AAEC/w==' },
    { name: 'blob-json', binary_base64: Buffer.from('{"k":"v"}').toString('base64') },
    { name: 'b64-string', string: 'AAEC/w==' },
    { name: 'plain-secret', string: 'hunter2-plain' },
    {
      name: 'rotated',
      versions: [
        { version_id: '11111111-1111-1111-1111-111111111111', stages: ['AWSPREVIOUS'], string: 'old' },
        { version_id: '22222222-2222-2222-2222-222222222222', stages: ['AWSCURRENT'], string: 'new' }
      ]
    },
    { name: 'denied', error: 'AccessDeniedException' },
    { name: 'missing-upstream', error: 'ResourceNotFoundException' }
  ]
}
