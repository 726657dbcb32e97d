// The official SendSafely Node SDK's whole flow against the emulator (emulator/tests/vendor_sdks.rs).
// Usage: node flow.js HOST send FILE (everything up to reading the message), then
// node flow.js HOST delete PACKAGE_ID (the test looks at the emulator's copy in between).
// Each step's outcome is reported, not judged: the Rust test decides. Prints one JSON object;
// the first error the SDK raises ends the flow.
const crypto = require('crypto');
const SendSafely = require('@sendsafely/sendsafely');

const [host, phase, ...rest] = process.argv.slice(2);
const RECIPIENT_EMAIL = 'bob@acme.example';
const MESSAGE = 'Here are the documents, ünïcødé included.';
// The SDK reports failures as events, each operation under its own name.
const ERROR_EVENTS = ['sendsafely.error', 'file.upload.error', 'server.error', 'message.upload.error',
  'recipients.add.failed', 'recipient.update.failed', 'publickey.add.failed', 'add.keycode.failed',
  'keycode.encrypt.failed', 'keycode.decrypt.failed', 'key.generation.failed', 'keycode.get.failed',
  'package.information.failed', 'publickey.get.failed', 'user.information.failed',
  'package.message.failed', 'MESSAGE_DECRYPT_ERROR'];

const summary = { steps: {} };
let current = 'start';

function finish() {
  console.log(JSON.stringify(summary));
  process.exit(0);
}

function client(key, secret) {
  const ss = new SendSafely(host, key, secret);
  for (const name of ERROR_EVENTS) {
    ss.on(name, (code, message) => {
      summary.steps[current] = 'raised ' + name + ': ' + JSON.stringify(code) + ' ' + JSON.stringify(message);
      finish();
    });
  }
  return ss;
}

// Runs one SDK call taking a completion callback; resolves with the callback's arguments.
function step(name, call) {
  current = name;
  return new Promise((resolve) => call((...args) => {
    summary.steps[name] = 'SUCCESS';
    resolve(args);
  }));
}

async function main() {
  const sender = client('demo-api-key', 'demo-api-secret');
  if (phase === 'delete') {
    await step('delete_package', (done) => sender.deletePackage(rest[0], done));
    finish();
  }
  const [filePath] = rest;
  const [email] = await step('user_information', (done) => sender.verifyCredentials(done));
  summary.user_email = email;
  const [privateKey, publicKey] = await step('trusted_device_key',
    (done) => sender.generateRsaKeyPair('vendor SDK test', done));

  const [packageId, serverSecret, packageCode, keyCode] = await step('create_package',
    (done) => sender.createPackage(done));
  summary.package_id = packageId;
  const [added] = await step('add_recipient',
    (done) => sender.addRecipients(packageId, [RECIPIENT_EMAIL], keyCode, done));
  const recipientId = added.recipients[0].recipientId;
  await step('add_phone_number',
    (done) => sender.addRecipientPhonenumber(packageId, recipientId, '(514) 555-0000', 'CA', done));
  const [, fileId] = await step('upload_file',
    (done) => sender.encryptAndUploadFiles(packageId, keyCode, serverSecret, [filePath], 'NODE_API', done));
  summary.file_id = fileId;
  await step('upload_message',
    (done) => sender.encryptAndUploadMessage(packageId, keyCode, serverSecret, MESSAGE, done));
  const [link] = await step('finalize', (done) => sender.finalizePackage(packageId, packageCode, keyCode, done));
  summary.link = link;

  const [deviceKeycode] = await step('trusted_device_keycode',
    (done) => sender.getKeycode(privateKey, publicKey.id, packageId, done));
  summary.trusted_device_keycode = deviceKeycode;
  await step('revoke_trusted_device_key', (done) => sender.removePublicKey(publicKey.id, done));

  const receiver = client('bob-api-key', 'bob-api-secret');
  const [info] = await step('package_information', (done) => receiver.packageInformationFromLink(link, done));
  summary.package_state = info.state;
  summary.file_names = (info.files || []).map((f) => f.fileName);
  // Without a path in its config the SDK hands over the whole file, once every part is in.
  const [saved] = await step('download_file', (done) => {
    receiver.on('save.file', done);
    receiver.downloadFile(info.packageId, fileId, info.keyCode);
  });
  summary.downloaded_sha256 = crypto.createHash('sha256').update(saved.file).digest('hex');
  const [encrypted] = await step('read_message',
    (done) => receiver.getPackageMessage(info.packageId, info.packageCode, info.keyCode, done));
  const [message] = await step('decrypt_message', (done) => receiver.decryptMessage(
    info.packageId, info.keyCode, info.serverSecret, encrypted.message, done));
  summary.message = message;
  finish();
}

main().catch((e) => {
  summary.steps[current] = 'raised ' + (e && e.stack ? e.stack : String(e));
  finish();
});
