// The LSP trace never shows the answer to an AskSecret request (client/src/traceRedaction.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretTraceFilter } from '../../../client/src/traceRedaction';

test('text trace: the result of an askSecret response is redacted, its header kept', () => {
  const filter = new SecretTraceFilter();
  const line = 'Sending response \'libvirtHostdev/askSecret - (3)\'. Processing request took 812ms.\nResult: {\n    "value": "hunter2"\n}';
  const out = filter.filter(line);
  assert.doesNotMatch(out, /hunter2/);
  assert.match(out, /^Sending response 'libvirtHostdev\/askSecret - \(3\)'\. Processing request took 812ms\.\nResult: <redacted>$/);
});

test('text trace: other responses pass unchanged', () => {
  const filter = new SecretTraceFilter();
  const line = 'Sending response \'libvirtHostdev/confirmHostKey - (4)\'. Processing request took 2ms.\nResult: "once"';
  assert.equal(filter.filter(line), line);
});

test('JSON trace: the response to an askSecret request (matched by id) is redacted; others are not', () => {
  const filter = new SecretTraceFilter();
  const request = JSON.stringify({
    isLSPMessage: true,
    type: 'receive-request',
    message: {
      jsonrpc: '2.0',
      id: 7,
      method: 'libvirtHostdev/askSecret',
      params: { kind: 'password', prompt: 'Password for vmtest@kvm1' },
    },
    timestamp: 1,
  });
  assert.equal(filter.filter(request), request, 'the prompt is not a secret');
  const other = JSON.stringify({
    isLSPMessage: true,
    type: 'send-response',
    message: { jsonrpc: '2.0', id: 8, result: { value: 'not a secret' } },
    timestamp: 2,
  });
  assert.equal(filter.filter(other), other);
  const response = JSON.stringify({
    isLSPMessage: true,
    type: 'send-response',
    message: { jsonrpc: '2.0', id: 7, result: { value: 'hunter2' } },
    timestamp: 3,
  });
  const out = filter.filter(response);
  assert.doesNotMatch(out, /hunter2/);
  assert.equal(JSON.parse(out).message.result, '<redacted>');
});

test('non-JSON and unrelated lines pass unchanged', () => {
  const filter = new SecretTraceFilter();
  for (const line of ['', '{not json', "Received notification 'textDocument/publishDiagnostics'."]) assert.equal(filter.filter(line), line);
});
