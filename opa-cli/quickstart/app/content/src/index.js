// ${{ values.name }}: ${{ values.description }}
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: '${{ values.name }}', ok: true }));
  })
  .listen(port, () => console.log(`${{ values.name }} listening on ${port}`));
