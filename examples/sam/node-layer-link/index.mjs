// ES modules resolve a bare `import 'paramsecrets'` from the function's own node_modules only
// (Node ignores NODE_PATH for them), so the function package carries this forwarder to the
// package in the paramsecrets layer, which Lambda unpacks on /opt.
export * from '/opt/nodejs/node_modules/paramsecrets/lib/index.mjs'
export { default } from '/opt/nodejs/node_modules/paramsecrets/lib/index.mjs'
