//! End-to-end tests through `GreenhouseApi::execute`.
