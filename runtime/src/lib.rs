//! What generated code links against: field errors, the rules table types and the execution glue.
