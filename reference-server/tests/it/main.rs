//! Reference server integration tests: the router through `oneshot`, and over a real socket.
