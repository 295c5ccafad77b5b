// Types for the ESM entry of `paramsecrets/powertools`: the same declarations as the CommonJS one.
export * from './powertools.js'
