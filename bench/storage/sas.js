// Prints a container SAS (all permissions, one hour) for the development account, or with
// --create also creates the container first. Usage: node sas.js ENDPOINT CONTAINER [--create]
'use strict';
const { BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters, ContainerSASPermissions } = require('@azure/storage-blob');
const [endpoint, container, flag] = process.argv.slice(2);
const account = new URL(endpoint).pathname.split('/')[1];
const key = process.env.ACCOUNT_KEY ||
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const cred = new StorageSharedKeyCredential(account, key);
(async () => {
  if (flag === '--create') await new BlobServiceClient(endpoint, cred).getContainerClient(container).createIfNotExists();
  const sas = generateBlobSASQueryParameters({
    containerName: container, permissions: ContainerSASPermissions.parse('racwdl'),
    expiresOn: new Date(Date.now() + 3600e3), version: '2021-10-04' }, cred).toString();
  process.stdout.write(sas);
})().catch((e) => { console.error(e.message); process.exit(1); });
