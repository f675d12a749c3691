// Set-up of the unit project (jest.config.cjs): its tests run in memory, so a socket there is a
// mistake, however it is reached (node:http, fetch, an SDK). A test that listens on a port or
// opens a connection, loopback included, fails, and is told where it belongs: test/unit/sockets/
// (the sockets project). The failure is also raised after the test, in case the code under test
// turned the refused connection into an answer of its own (a 502, a retry). Restored after each
// file: jest's workers run the other projects' files too.
/* global afterAll, afterEach */
const net = require('node:net');

const { listen } = net.Server.prototype;
const { connect } = net.Socket.prototype;
const opened = [];

function refuse(what) {
  return function refused() {
    const error = new Error(
      `the unit project runs in memory, and this test ${what}: move it to test/unit/sockets/ (the sockets project)`,
    );
    opened.push(error);
    throw error;
  };
}

net.Server.prototype.listen = refuse('listens on a port');
net.Socket.prototype.connect = refuse('opens a connection');

afterEach(() => {
  const [first] = opened.splice(0);
  if (first) throw first;
});

afterAll(() => {
  net.Server.prototype.listen = listen;
  net.Socket.prototype.connect = connect;
});
