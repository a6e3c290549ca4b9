#!/usr/bin/env node
/*
 * Serves a production build of the app (packages/app/dist) the way the dev
 * server does: files as they are, every other path gets index.html so the
 * router of the single-page app takes over. Run as a child process:
 *   node staticServer.js <dist dir> <port>
 */
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

function createStaticServer(distDir) {
  const root = path.resolve(distDir);
  const index = fs.readFileSync(path.join(root, 'index.html'));
  return http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.resolve(root, `.${urlPath}`);
    const inside = file === root || file.startsWith(root + path.sep);
    fs.stat(file, (error, stat) => {
      if (inside && !error && stat.isFile()) {
        res.writeHead(200, {
          'content-type':
            TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-length': stat.size,
          // Hashed file names: cache them; index.html never.
          'cache-control': urlPath.startsWith('/static/')
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        });
        fs.createReadStream(file).pipe(res);
        return;
      }
      if (urlPath.startsWith('/static/')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES['.html'],
        'cache-control': 'no-cache',
      });
      res.end(index);
    });
  });
}

if (require.main === module) {
  const [distDir, port] = process.argv.slice(2);
  if (!distDir || !port) {
    console.error('usage: staticServer.js <dist dir> <port>');
    process.exit(2);
  }
  createStaticServer(distDir).listen(Number(port), '0.0.0.0', () => {
    console.log(`Serving ${distDir} on :${port}`);
  });
}

module.exports = { createStaticServer };
