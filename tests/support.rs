//! Shared helpers of the auditcat integration tests.
