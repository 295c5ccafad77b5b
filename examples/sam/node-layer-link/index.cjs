// require('paramsecrets') from the function package: the package in the paramsecrets layer.
module.exports = require('/opt/nodejs/node_modules/paramsecrets')
