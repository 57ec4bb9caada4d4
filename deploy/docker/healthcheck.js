// Container HEALTHCHECK for the G-Mart image: GET http://127.0.0.1:<port>/health/live, exit 0 on 2xx.
// The port is $HTTP_PORT; when it is unset the service runs on its own default port, so the known
// service ports (8081-8086) are tried in turn and any 2xx answer counts.
// Plain Node on purpose: the slim base image has neither curl nor wget.
'use strict';
const http = require('node:http');

const SERVICE_PORTS = [8081, 8082, 8083, 8084, 8085, 8086];
const path = process.env.HEALTHCHECK_PATH || '/health/live';
const ports = process.env.HTTP_PORT ? [Number(process.env.HTTP_PORT)] : SERVICE_PORTS;

function probe(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

(async () => {
  for (const port of ports) {
    if (Number.isInteger(port) && port > 0 && port < 65536 && (await probe(port))) process.exit(0);
  }
  process.exit(1);
})();
