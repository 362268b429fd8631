// The connect timer stops while a person answers a prompt (host key, passphrase) and goes on with
// what was left afterwards; a mocked clock makes every step exact.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { PausableTimer } from '../../../server/src/host/pausableTimer';

test('a paused timer does not fire however long the pause; after resume it fires when the rest is used up', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    let fired = 0;
    const timer = new PausableTimer(300, () => fired++);
    mock.timers.tick(100);
    timer.pause();
    mock.timers.tick(60_000);
    assert.equal(fired, 0);
    timer.resume();
    mock.timers.tick(199);
    assert.equal(fired, 0);
    mock.timers.tick(1);
    assert.equal(fired, 1);
  } finally {
    mock.timers.reset();
  }
});

test('nested pauses: the timer runs again only when the last one ends; cancel stops it for good', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    let fired = 0;
    const timer = new PausableTimer(300, () => fired++);
    timer.pause();
    timer.pause();
    timer.resume();
    mock.timers.tick(1000);
    assert.equal(fired, 0);
    timer.resume();
    mock.timers.tick(300);
    assert.equal(fired, 1);
    const cancelled = new PausableTimer(300, () => fired++);
    cancelled.cancel();
    cancelled.resume();
    mock.timers.tick(1000);
    assert.equal(fired, 1);
  } finally {
    mock.timers.reset();
  }
});
