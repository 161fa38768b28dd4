// restify 11 loads spdy at start for its optional `spdy` server option, which BO Wonen never sets. The real
// spdy pulls in http-deceiver, whose process.binding('http_parser') prints DEP0111 on Node 20 at every start.
'use strict';
function createServer() {
  throw new Error('BO Wonen does not ship spdy: restify\'s `spdy` option is not supported (use HTTP/1.1 or restify\'s `http2` option).');
}
module.exports = { createServer };
