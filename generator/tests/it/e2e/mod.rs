//! End to end: generated code, committed beside these tests and kept fresh by `fresh`, compiled warning-free
//! (`compiled`), implemented and executed through the glue with exact expected JSON (`blog`, `lists`).

mod blog;
mod compiled;
mod fresh;
mod lists;
