// Types for the ESM entry point: the same declarations as the CommonJS one.
export * from './index.js'
import * as paramsecrets from './index.js'
export default paramsecrets
