'use strict';
// Starts s3rver for the test suite: node s3rver-loopback.js DATA_DIR PORT BUCKET
// Always binds 127.0.0.1. Two fixes over s3rver 3.7.1 as installed from package-lock.json:
//  1. ListObjects with a delimiter: its filesystem walk stops one level below the prefix, so the common prefixes of
//     nested keys (AWSLogs/123456789012/vpcflowlogs/...) never show up. Real S3 folds every matching key into a common
//     prefix; this lists without the delimiter and folds, which is what the acquisition tests rely on.
//  2. Continuation tokens are DES-encrypted, which OpenSSL 3 disables: the caller starts node with
//     --openssl-legacy-provider so that paging (truncated listings) works.
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

const original = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', prefix = '', maxKeys = Infinity } = options;
  if (!delimiter) return original.call(this, bucket, options);
  const all = await original.call(this, bucket, { ...options, delimiter: '', maxKeys: Infinity });
  const commonPrefixes = new Set();
  const objects = [];
  let isTruncated = false;
  for (const o of all.objects) {
    const idx = o.key.slice(prefix.length).indexOf(delimiter);
    if (idx !== -1) {
      commonPrefixes.add(o.key.slice(0, prefix.length + idx + 1));
      continue;
    }
    if (objects.length < maxKeys) objects.push(o);
    else {
      isTruncated = true;
      break;
    }
  }
  return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
};

const [directory, port, bucket] = process.argv.slice(2);
new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: false,
  vhostBuckets: false,
  configureBuckets: bucket ? [{ name: bucket }] : [],
})
  .run()
  .then(({ address, port: p }) => console.log(`s3rver listening on ${address}:${p}`))
  .catch(err => {
    console.error(err);
    process.exit(1);
  });
