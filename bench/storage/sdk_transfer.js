// The research baseline's transfer workload with @azure/storage-blob: a 256 MiB blob uploaded in
// 8 MiB blocks, 8 in parallel, then downloaded as 8 MiB ranges, 8 in parallel. Prints
// "upload_mib_s download_mib_s" for the server at ENDPOINT. Usage: node sdk_transfer.js ENDPOINT
'use strict';
const crypto = require('node:crypto');
const { BlobServiceClient, StorageSharedKeyCredential } = require('@azure/storage-blob');
const endpoint = process.argv[2];
const account = new URL(endpoint).pathname.split('/')[1];
const key = process.env.ACCOUNT_KEY ||
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const size = 256 * 1024 * 1024;
(async () => {
  const svc = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(account, key));
  const c = svc.getContainerClient('sdkbench');
  await c.createIfNotExists();
  const data = crypto.randomBytes(size);
  const blob = c.getBlockBlobClient('big.bin');
  const best = async (fn) => {
    let fastest = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      await fn();
      fastest = Math.min(fastest, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return size / fastest / 1048576;
  };
  const up = await best(() => blob.uploadData(data, { blockSize: 8 << 20, concurrency: 8, maxSingleShotSize: 8 << 20 }));
  const down = await best(() => blob.downloadToBuffer(Buffer.alloc(size), 0, size, { blockSize: 8 << 20, concurrency: 8 }));
  console.log(`${up.toFixed(0)} ${down.toFixed(0)}`);
})().catch((e) => { console.error(e.message); process.exit(1); });
